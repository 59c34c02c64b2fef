/** Reads the stack's Pulumi configuration into the shape stackConfig.ts validates. */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WebexConnectCredentialInput } from "../components/integrationService";
import { SETTINGS_ENV } from "../lib/facts";
import type { CredentialPart } from "./credentialSchema";
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
  /** Never part of `config`: each part stays a Pulumi secret from here on. */
  webexConnectCredential: WebexConnectCredentialInput;
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
  return { config, webexConnectCredential: credentialOf(config.webexConnect.credential) };
}

/** The credential's values, each from the environment (which wins, as in the providers) or the stack's secrets. */
function credentialOf(kind: StackConfig["webexConnect"]["credential"]): WebexConnectCredentialInput {
  const webexConfig = new pulumi.Config("webexconnect");
  const part = (name: CredentialPart) => {
    const fromEnv = process.env[SETTINGS_ENV[name]];
    return fromEnv ? pulumi.secret(fromEnv) : webexConfig.requireSecret(name);
  };
  if (kind === "token") return { token: part("token") };
  return {
    clientId: part("clientId"),
    clientSecret: part("clientSecret"),
    refreshToken: part("refreshToken"),
  };
}

function parsed(raw: Record<string, unknown>): StackConfig {
  try {
    return parseStackConfig(raw);
  } catch (error) {
    if (error instanceof StackConfigError) throw new InvalidStackConfig(error.problems);
    throw error;
  }
}
