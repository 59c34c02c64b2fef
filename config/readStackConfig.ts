/** Reads the stack's Pulumi configuration into the shape stackConfig.ts validates. */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS_ENV } from "../providers/settingsKeys";
import { rawStackConfig, type StackConfigSource } from "./rawStackConfig";
import { parseStackConfig, type StackConfig } from "./stackConfig";

/** Whether a config key is stored encrypted (`pulumi config set --secret`); not in the SDK's typings. */
function isConfigSecret(key: string): boolean {
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
  return runtimeConfig.isConfigSecret(key);
}

const runningStackSource: StackConfigSource = {
  get stackName() {
    return pulumi.getStack();
  },
  get: (key) => pulumi.runtime.getConfig(key),
  isSecret: isConfigSecret,
};

export interface LoadedStackConfig {
  config: StackConfig;
  /** Never part of `config`: it stays a Pulumi secret from here on. */
  webexConnectToken: pulumi.Output<string>;
}

/** Validates the whole stack configuration, or throws one error listing every problem with its fix. */
export function readStackConfig(projectDir: string = process.cwd()): LoadedStackConfig {
  const config = parseStackConfig(rawStackConfig(runningStackSource, process.env));
  const renderDir = config.kubernetes.renderYamlToDirectory;
  if (renderDir !== undefined) config.kubernetes.renderYamlToDirectory = path.resolve(projectDir, renderDir);
  const tokenFromEnv = process.env[SETTINGS_ENV.token];
  const webexConnectToken = tokenFromEnv
    ? pulumi.secret(tokenFromEnv)
    : new pulumi.Config("webexconnect").requireSecret("token");
  return { config, webexConnectToken };
}
