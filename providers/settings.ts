/**
 * How the providers reach Webex Connect. Credentials never travel as resource inputs (they would land in state):
 * the engine hands the stack configuration to `configure`, and environment variables override it.
 */
import { z } from "zod";
import type * as pulumi from "@pulumi/pulumi";
import { SETTINGS_ENV, SETTINGS_KEYS } from "./settingsKeys";
import {
  createWebexConnectClient,
  isRegion,
  REGIONS,
  type Region,
  type WebexConnectClient,
} from "../webexconnect";

type SettingName = keyof typeof SETTINGS_KEYS;

const settingsSchema = z
  .object({
    region: z
      .string()
      .refine((value): value is Region => isRegion(value), { message: `is not one of ${REGIONS.join(", ")}` })
      .optional(),
    organizationId: z.string({ error: "is missing" }).trim().min(1, { message: "is missing" }),
    token: z.string({ error: "is missing" }).trim().min(1, { message: "is missing" }),
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
  token: `pulumi config set --secret ${SETTINGS_KEYS.token} <token>, or export ${SETTINGS_ENV.token}`,
  baseUrl: `pulumi config set ${SETTINGS_KEYS.baseUrl} https://…`,
  modeledBaseUrl: `pulumi config set ${SETTINGS_KEYS.modeledBaseUrl} https://…`,
};

/** Reads and validates the settings; the error names each key, why it is wrong and the fix, never the token. */
export function readSettings(
  config: Pick<pulumi.dynamic.Config, "get">,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const raw: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(SETTINGS_KEYS) as SettingName[]) {
    const value = env[SETTINGS_ENV[name]] || config.get(SETTINGS_KEYS[name]);
    if (value !== undefined && value !== "") raw[name] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path[0] as SettingName;
    const shown = name === "token" || raw[name] === undefined ? "" : ` (${JSON.stringify(raw[name])})`;
    return `${SETTINGS_KEYS[name]}${shown} ${issue.message}: ${FIXES[name]}`;
  });
  throw new Error(`Webex Connect settings are invalid:\n  ${problems.join("\n  ")}`);
}

let configured: ProviderSettings | undefined;
let client: WebexConnectClient | undefined;

/** Called from each provider's `configure`: once per provider process. */
export function configureSettings(config: Pick<pulumi.dynamic.Config, "get">): void {
  configured = readSettings(config);
  client = undefined;
}

/** The client for this provider process, built on first use from the configured settings. */
export function webexClient(): WebexConnectClient {
  if (!client) {
    const settings = configured ?? readSettings({ get: () => undefined });
    client = createWebexConnectClient(settings);
  }
  return client;
}
