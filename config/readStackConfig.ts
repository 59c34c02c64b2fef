/** Reads the stack's Pulumi configuration into the shape stackConfig.ts validates. */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS_ENV } from "../providers/settings";
import { parseStackConfig, PROJECT, type StackConfig } from "./stackConfig";

const SECTIONS = ["service", "asset", "cloudConnect", "edge", "integrationService", "flows", "kubernetes"] as const;

/** Whether a config key is stored encrypted (`pulumi config set --secret`); not in the SDK's typings. */
function isConfigSecret(key: string): boolean {
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
  return runtimeConfig.isConfigSecret(key);
}

export interface LoadedStackConfig {
  config: StackConfig;
  /** Never part of `config`: it stays a Pulumi secret from here on. */
  webexConnectToken: pulumi.Output<string>;
}

/** Validates the whole stack configuration, or throws one error listing every problem with its fix. */
export function readStackConfig(projectDir: string = process.cwd()): LoadedStackConfig {
  const project = new pulumi.Config(PROJECT);
  const webex = new pulumi.Config("webexconnect");
  const tokenFromEnv = process.env[SETTINGS_ENV.token];
  const tokenInConfig = webex.get("token") !== undefined;
  const raw: Record<string, unknown> = {
    environment: project.get("environment"),
    stackName: pulumi.getStack(),
    webexConnect: {
      region: webex.get("region"),
      orgId: process.env[SETTINGS_ENV.organizationId] || webex.get("orgId"),
      tokenIsSecret: tokenFromEnv ? true : tokenInConfig ? isConfigSecret("webexconnect:token") : undefined,
      baseUrl: process.env[SETTINGS_ENV.baseUrl] || webex.get("baseUrl"),
    },
  };
  for (const section of SECTIONS) raw[section] = project.getObject(section);
  const config = parseStackConfig(raw);
  const renderDir = config.kubernetes.renderYamlToDirectory;
  if (renderDir !== undefined) config.kubernetes.renderYamlToDirectory = path.resolve(projectDir, renderDir);
  const webexConnectToken = tokenFromEnv ? pulumi.secret(tokenFromEnv) : webex.requireSecret("token");
  return { config, webexConnectToken };
}
