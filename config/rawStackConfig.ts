/**
 * One mapping from a stack's Pulumi config keys to the raw shape stackConfig.ts validates, whether the keys come
 * from the running Pulumi program (readStackConfig.ts) or straight from a stacks/Pulumi.<stack>.yaml file
 * (projectFiles.ts: tests, onboarding).
 */
import { PROJECT_NAME, SETTINGS_ENV, SETTINGS_KEYS } from "../lib/facts";
import { CREDENTIAL_PARTS, type CredentialSecrecy } from "./credentialSchema";
import { isMapping } from "./schemaParts";

/** The stack's config as Pulumi hands it to a program: every value a string, structured values as JSON. */
export interface StackConfigSource {
  readonly stackName: string;
  /** The value of a full key such as "webexconnect:orgId" or "amb-cce-connect:edge". */
  get(key: string): string | undefined;
  /**
   * Whether the key is stored encrypted (`pulumi config set --secret`), or, given `path`, the value at that path in
   * its structured value (`pulumi config set --secret --path`).
   */
  isSecret(key: string, path?: readonly string[]): boolean;
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
  const secret = withoutSecretSettings(raw.integrationService, (name) =>
    source.isSecret(INTEGRATION_SERVICE_KEY, ["settings", name]),
  );
  raw.integrationService = secret.section;
  raw.secretSettings = secret.names;
  return raw;
}

const INTEGRATION_SERVICE_KEY = `${PROJECT_NAME}:integrationService`;

/**
 * The integration service's settings stored encrypted, by name only: their values never reach the schema or its
 * messages (the program reads them as Pulumi secrets, readStackConfig.ts). The section keeps the plain settings.
 */
function withoutSecretSettings(
  section: unknown,
  isSecret: (name: string) => boolean,
): { section: unknown; names: string[] } {
  if (!isMapping(section)) return { section, names: [] };
  const { settings } = section as { settings?: unknown };
  if (!isMapping(settings)) return { section, names: [] };
  const names = Object.keys(settings as object).filter(isSecret);
  const plain = Object.fromEntries(
    Object.entries(settings as object).filter(([name]) => !names.includes(name)),
  );
  return { section: { ...(section as object), settings: plain }, names };
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
