/**
 * The amb-cce policy pack: `pulumi preview --policy-pack policies`. Constructing PolicyPack starts the policy
 * server, so this file does nothing else; the rules and their tests live in rules/.
 */
import * as path from "node:path";
import { PolicyPack } from "@pulumi/policy";
import { ambCcePolicies } from "./rules";

// PolicyPack reads its version from <cwd>/package.json; the pack has none of its own and is versioned with the
// project, so it starts from the project root (the engine starts it in policies/).
process.chdir(path.resolve(__dirname, ".."));

new PolicyPack("amb-cce", { policies: ambCcePolicies });
