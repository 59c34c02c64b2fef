/** What every Webex Connect provider does the same way: settings from `configure`, inputs checked by its schema. */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { checkInputs } from "./dynamicSupport";
import { configureSettings } from "./client";

export function defineWebexConnectProvider(
  inputsSchema: z.ZodType,
  methods: Omit<pulumi.dynamic.ResourceProvider, "configure" | "check">,
): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      configureSettings(req.config);
    },
    async check(_olds, news) {
      return checkInputs(inputsSchema, news);
    },
    ...methods,
  };
}
