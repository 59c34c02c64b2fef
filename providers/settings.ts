/**
 * The providers' Webex Connect settings (providers/client.ts builds the client from them). Credentials never travel
 * as resource inputs (they would land in state): the engine hands the stack configuration to `configure`, and
 * environment variables override it.
 */
import { z } from "zod";
import type * as pulumi from "@pulumi/pulumi";
import { isRegion, REGIONS, SETTINGS_ENV, SETTINGS_KEYS, type Region } from "../lib/facts";
import type { WebexCredential } from "../webexconnect";

type SettingName = keyof typeof SETTINGS_KEYS;

/** The parts of the renewing credential: given together, or not at all. */
const RENEWING_PARTS = ["clientId", "clientSecret", "refreshToken"] as const;
/** Settings whose values are never shown in a message. */
const SECRET_SETTINGS: readonly SettingName[] = ["token", ...RENEWING_PARTS];
const optionalSecret = z.string().trim().min(1, { message: "is missing" }).optional();

const settingsSchema = z
  .object({
    region: z
      .string()
      .refine((value): value is Region => isRegion(value), { message: `is not one of ${REGIONS.join(", ")}` })
      .optional(),
    organizationId: z.string({ error: "is missing" }).trim().min(1, { message: "is missing" }),
    token: optionalSecret,
    clientId: optionalSecret,
    clientSecret: optionalSecret,
    refreshToken: optionalSecret,
    baseUrl: z.url().optional(),
    modeledBaseUrl: z.url().optional(),
  })
  .refine((s) => s.region !== undefined || s.baseUrl !== undefined, {
    message: "neither a region nor a baseUrl is set",
    path: ["region"],
  });

export type ProviderSettings = z.infer<typeof settingsSchema>;

const FIXES: Record<SettingName, string> = {
  region: `pulumi config set ${SETTINGS_KEYS.region} <${REGIONS.join("|")}>`,
  organizationId: `pulumi config set ${SETTINGS_KEYS.organizationId} <org id>`,
  token:
    `pulumi config set --secret ${SETTINGS_KEYS.token} <token>, or export ${SETTINGS_ENV.token}; ` +
    `for scheduled runs use the renewing credential instead (${RENEWING_PARTS.map((name) => SETTINGS_KEYS[name]).join(", ")})`,
  baseUrl: `pulumi config set ${SETTINGS_KEYS.baseUrl} https://…`,
  modeledBaseUrl: `pulumi config set ${SETTINGS_KEYS.modeledBaseUrl} https://…`,
  clientId: `pulumi config set --secret ${SETTINGS_KEYS.clientId} <client id>, or export ${SETTINGS_ENV.clientId}`,
  clientSecret: `pulumi config set --secret ${SETTINGS_KEYS.clientSecret} <client secret>, or export ${SETTINGS_ENV.clientSecret}`,
  refreshToken: `pulumi config set --secret ${SETTINGS_KEYS.refreshToken} <refresh token>, or export ${SETTINGS_ENV.refreshToken}`,
};

/**
 * A token, or the renewing credential's three parts together. A part given blank is left to the schema's
 * "is missing"; here only what is not given at all.
 */
function credentialIssues(
  raw: Partial<Record<SettingName, string>>,
): Array<{ path: [SettingName]; message: string }> {
  const given = RENEWING_PARTS.filter((part) => raw[part] !== undefined);
  if (given.length === 0) return raw.token === undefined ? [{ path: ["token"], message: "is missing" }] : [];
  const together = RENEWING_PARTS.map((name) => SETTINGS_KEYS[name]).join(", ");
  return RENEWING_PARTS.filter((part) => raw[part] === undefined).map((part) => ({
    path: [part],
    message: `is missing (the renewing credential needs ${together} together)`,
  }));
}

/**
 * Without --run-program, a refresh configures the providers with the settings recorded at the stack's last update:
 * a token given then only through the environment, or rotated since, is not there.
 */
export const STALE_SETTINGS_HINT =
  "If this is a refresh (pulumi refresh, or preview/up --refresh): it uses the settings recorded at the stack's " +
  "last update, not the current config; add --run-program to refresh with the current config and environment.";

/**
 * Reads and validates the settings; the error names each key, why it is wrong and the fix, never a secret, and ends
 * with `hint` (for a provider, what a refresh without --run-program configures it with).
 */
export function readSettings(
  config: Pick<pulumi.dynamic.Config, "get">,
  env: NodeJS.ProcessEnv = process.env,
  hint: string = STALE_SETTINGS_HINT,
): ProviderSettings {
  const raw: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(SETTINGS_KEYS) as SettingName[]) {
    const value = env[SETTINGS_ENV[name]] || config.get(SETTINGS_KEYS[name]);
    if (value !== undefined && value !== "") raw[name] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  const credential = credentialIssues(raw);
  if (parsed.success && credential.length === 0) return parsed.data;
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...credential];
  const problems = issues.map((issue) => {
    const name = issue.path[0] as SettingName;
    const shown =
      SECRET_SETTINGS.includes(name) || raw[name] === undefined ? "" : ` (${JSON.stringify(raw[name])})`;
    return `${SETTINGS_KEYS[name]}${shown} ${issue.message}: ${FIXES[name]}`;
  });
  throw new Error(
    `Webex Connect settings are invalid:\n  ${problems.join("\n  ")}${hint ? `\n${hint}` : ""}`,
  );
}

/** Where a setting comes from, for messages: the environment variable when it is set, else the config key. */
function sourceOf(name: SettingName, env: NodeJS.ProcessEnv): string {
  return env[SETTINGS_ENV[name]] ? SETTINGS_ENV[name] : SETTINGS_KEYS[name];
}

/**
 * The client's credential: the renewing one when its three parts are set (it wins over a token), else the token.
 * Each names where the user set it, so that an expired-credential error says which one to renew.
 */
export function credentialOf(
  settings: ProviderSettings,
  env: NodeJS.ProcessEnv = process.env,
): WebexCredential {
  const { clientId, clientSecret, refreshToken, token } = settings;
  if (clientId && clientSecret && refreshToken)
    return {
      kind: "refreshToken",
      clientId,
      clientSecret,
      refreshToken,
      source: sourceOf("refreshToken", env),
    };
  return { kind: "token", token: token!, source: sourceOf("token", env) };
}
