import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const greeting = `hello ${config.get("who") ?? "world"}`;
