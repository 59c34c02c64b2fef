/** Reads the stack's Pulumi configuration into the shape stackConfig.ts validates. */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS_ENV } from "../lib/facts";
import { rawStackConfig, type StackConfigSource } from "./rawStackConfig";
import { parseStackConfig, problemsMessage, StackConfigError, type StackConfig } from "./stackConfig";

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

/**
 * A configuration the program refuses, as the Pulumi runtime prints it: a RunError's message alone, once, with no
 * stack trace (any other Error is printed as an "unhandled exception" with its stack and its fields).
 */
export class InvalidStackConfig extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(problemsMessage(problems));
  }
}

/** Validates the whole stack configuration, or throws one InvalidStackConfig listing every problem with its fix. */
export function readStackConfig(projectDir: string = process.cwd()): LoadedStackConfig {
  const config = parsed(rawStackConfig(runningStackSource, process.env));
  const renderDir = config.kubernetes.renderYamlToDirectory;
  if (renderDir !== undefined) config.kubernetes.renderYamlToDirectory = path.resolve(projectDir, renderDir);
  const tokenFromEnv = process.env[SETTINGS_ENV.token];
  const webexConnectToken = tokenFromEnv
    ? pulumi.secret(tokenFromEnv)
    : new pulumi.Config("webexconnect").requireSecret("token");
  return { config, webexConnectToken };
}

function parsed(raw: Record<string, unknown>): StackConfig {
  try {
    return parseStackConfig(raw);
  } catch (error) {
    if (error instanceof StackConfigError) throw new InvalidStackConfig(error.problems);
    throw error;
  }
}
