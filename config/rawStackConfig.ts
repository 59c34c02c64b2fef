/**
 * One mapping from a stack's Pulumi config keys to the raw shape stackConfig.ts validates, whether the keys come
 * from the running Pulumi program (readStackConfig.ts) or straight from a stacks/Pulumi.<stack>.yaml file (tests,
 * the onboarding script).
 */
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_NAME, SETTINGS_ENV, SETTINGS_KEYS } from "../lib/facts";
import { CREDENTIAL_PARTS, type CredentialSecrecy } from "./credentialSchema";

/** The stack's config as Pulumi hands it to a program: every value a string, structured values as JSON. */
export interface StackConfigSource {
  readonly stackName: string;
  /** The value of a full key such as "webexconnect:orgId" or "amb-cce-connect:edge". */
  get(key: string): string | undefined;
  /** Whether the key is stored encrypted (`pulumi config set --secret`). */
  isSecret(key: string): boolean;
}

/** Environment variables the mapping reads (SETTINGS_ENV): they win over the stack's config, as in the providers. */
export type SettingsEnvironment = Readonly<Record<string, string | undefined>>;

const SECTIONS = [
  "service",
  "asset",
  "cloudConnect",
  "edge",
  "integrationService",
  "flows",
  "kubernetes",
] as const;

/** What a secret read from a stack file stands for: the file holds only its ciphertext. */
const UNREADABLE_SECRET = "[secret]";

/**
 * Which parts of the Webex Connect credential are given, and whether each is kept secret. A part in the stack file is
 * judged as written, whatever the environment holds (the file is committed); a part only in the environment counts
 * as secret.
 */
function credentialSecrecy(source: StackConfigSource, env: SettingsEnvironment): CredentialSecrecy {
  const secrecy: CredentialSecrecy = {};
  for (const part of CREDENTIAL_PARTS) {
    if (source.get(SETTINGS_KEYS[part]) !== undefined) secrecy[part] = source.isSecret(SETTINGS_KEYS[part]);
    else if (env[SETTINGS_ENV[part]]) secrecy[part] = true;
  }
  return secrecy;
}

/**
 * The raw stack configuration. The credential's values are never part of it, only which parts are given and
 * whether each is kept secret.
 */
export function rawStackConfig(source: StackConfigSource, env: SettingsEnvironment): Record<string, unknown> {
  const setting = (name: "region" | "organizationId" | "baseUrl") =>
    env[SETTINGS_ENV[name]] || source.get(SETTINGS_KEYS[name]);
  const raw: Record<string, unknown> = {
    environment: source.get(`${PROJECT_NAME}:environment`),
    stackName: source.stackName,
    webexConnect: {
      region: setting("region"),
      orgId: setting("organizationId"),
      credential: credentialSecrecy(source, env),
      baseUrl: setting("baseUrl"),
    },
  };
  for (const section of SECTIONS) raw[section] = structured(source.get(`${PROJECT_NAME}:${section}`));
  return raw;
}

/** A structured value; a value that is not JSON is passed on as text, so the schema reports it with its key. */
function structured(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `Pulumi.staging-retail.yaml` → `staging-retail`. */
export function stackNameOfFile(filePath: string): string | undefined {
  return /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(filePath))?.[1];
}

/** An encrypted value as a stack file holds it: `{secure: <ciphertext>}`. */
export function isSecure(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).join() === "secure";
}

/** Encrypted values (`{secure: …}`), at the top or nested in structured config, stand in as UNREADABLE_SECRET. */
function withSecretsRedacted(value: unknown): unknown {
  if (isSecure(value)) return UNREADABLE_SECRET;
  if (Array.isArray(value)) return value.map(withSecretsRedacted);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSecretsRedacted(item)]));
  }
  return value;
}

/** The `config:` mapping of a stack file's text, as written (secrets still encrypted). */
export function stackFileConfig(yamlText: string, fileName = "the stack file"): Record<string, unknown> {
  const document: unknown = parse(yamlText);
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${fileName}: "config" must be a mapping of config keys to values`);
  }
  return config as Record<string, unknown>;
}

/** A stack file's config read the way Pulumi reads it, except that secrets are not decrypted. */
export function stackFileSource(stackName: string, yamlText: string): StackConfigSource {
  const values = stackFileConfig(yamlText, `Pulumi.${stackName}.yaml`);
  return {
    stackName,
    get(key) {
      const value = withSecretsRedacted(values[key]);
      if (value === undefined || value === null) return undefined;
      return typeof value === "string" ? value : JSON.stringify(value);
    },
    isSecret: (key) => isSecure(values[key]),
  };
}
