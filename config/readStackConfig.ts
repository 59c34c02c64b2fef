/** Reads the stack's Pulumi configuration into the shape stackConfig.ts validates. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { AmbChannelArgs } from "../components/ambChannelArgs";
import type { WebexConnectCredentialInput } from "../components/integrationService";
import { PROJECT_NAME, SETTINGS_ENV } from "../lib/facts";
import type { CredentialPart } from "./credentialSchema";
import { isSecureAt, readProject, stackFileConfigOf } from "./projectFiles";
import { rawStackConfig, type StackConfigSource } from "./rawStackConfig";
import { parseStackConfig, problemsMessage, StackConfigError, type StackConfig } from "./stackConfig";

/**
 * The running stack's config through the SDK's public API: the values as Pulumi hands them to the program, and
 * whether each is stored encrypted as the stack's file says (its documented `{secure: …}` form; projectFiles.ts). A
 * key the stack file does not hold came from elsewhere (an ESC environment, say), was never written in plain text
 * to a committed file, and is read as a secret like every part of the credential.
 */
function runningStackSource(projectDir: string): StackConfigSource {
  const stackName = pulumi.getStack();
  const written = stackFileConfigOf(readProject(projectDir), stackName);
  return {
    stackName,
    get: (key) => pulumi.runtime.getConfig(key),
    isSecret: (key, path) => !Object.hasOwn(written, key) || isSecureAt(written[key], path),
  };
}

/**
 * The configuration as the program uses it: the integration service's settings stored encrypted are Pulumi secrets
 * beside the plain ones (the schema saw their names only).
 */
export type ProgramConfig = Omit<StackConfig, "integrationService" | "secretSettings"> & {
  integrationService: StackConfig["integrationService"] & {
    secretSettings: Record<string, pulumi.Output<string>>;
  };
};

/**
 * The validated stack configuration in AmbChannel's own shape, with the Webex Connect credential added to the
 * integration service as Pulumi secrets (never part of what the schema or its messages see). The intersection is
 * the check that the two shapes agree: a section the channel reads differently fails to compile here.
 */
export type ChannelStackConfig = ProgramConfig & AmbChannelArgs;

/**
 * A configuration the program refuses, as the Pulumi runtime prints it: a RunError's message alone, once, with no
 * stack trace (any other Error is printed as an "unhandled exception" with its stack and its fields).
 */
export class InvalidStackConfig extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(problemsMessage(problems));
  }
}

/**
 * Where Pulumi.yaml is: the root directory the engine gives the program; under Pulumi's mocks, which give a
 * placeholder, the working folder.
 */
function projectFolder(): string {
  const root = pulumi.runtime.getRootDirectory();
  return path.isAbsolute(root) && fs.existsSync(path.join(root, "Pulumi.yaml")) ? root : process.cwd();
}

/**
 * Validates the whole stack configuration, or throws one InvalidStackConfig listing every problem with its fix. The
 * result is AmbChannel's arguments as they are: `new AmbChannel(name, readStackConfig())`.
 */
export function readStackConfig(projectDir: string = projectFolder()): ChannelStackConfig {
  const { secretSettings, ...config } = parsed(rawStackConfig(runningStackSource(projectDir), process.env));
  const renderDir = config.kubernetes.renderYamlToDirectory;
  if (renderDir !== undefined) config.kubernetes.renderYamlToDirectory = path.resolve(projectDir, renderDir);
  return {
    ...config,
    integrationService: {
      ...config.integrationService,
      secretSettings: secretSettingsOf(secretSettings),
      webexConnectCredential: credentialOf(config.webexConnect.credential),
    },
  };
}

/** The values of the settings stored encrypted, each a Pulumi secret from here on. */
function secretSettingsOf(names: readonly string[]): Record<string, pulumi.Output<string>> {
  if (names.length === 0) return {};
  const section = new pulumi.Config(PROJECT_NAME).requireSecretObject<{ settings: Record<string, string> }>(
    "integrationService",
  );
  return Object.fromEntries(names.map((name) => [name, section.apply((value) => value.settings[name])]));
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
