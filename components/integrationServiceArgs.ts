/**
 * The integration service's arguments and their rules, the one source for the component (integrationService.ts)
 * and the stack's `integrationService` section (config/stackConfig.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { credentialKeyReason } from "../lib/credentialNames";
import { PROJECT_NAME } from "../lib/facts";
import {
  containerPortSchema,
  containerResourcesSchema,
  imageProblem,
  imageReferenceSchema,
  type ContainerResources,
} from "./workloadArgs";

/**
 * The service reads its Webex Connect credential from the files these variables name, one per part: the token, or
 * the renewing credential's client id, client secret and refresh token. The component sets those of the credential
 * it is given.
 */
export const CREDENTIAL_FILE_VARIABLES = {
  token: "WEBEX_CONNECT_TOKEN_FILE",
  clientId: "WEBEX_CONNECT_CLIENT_ID_FILE",
  clientSecret: "WEBEX_CONNECT_CLIENT_SECRET_FILE",
  refreshToken: "WEBEX_CONNECT_REFRESH_TOKEN_FILE",
} as const;
export type CredentialPart = keyof typeof CREDENTIAL_FILE_VARIABLES;
export const TOKEN_FILE_VARIABLE = CREDENTIAL_FILE_VARIABLES.token;
const CREDENTIAL_FILE_OF = new Map<string, string>([
  [CREDENTIAL_FILE_VARIABLES.token, "token"],
  [CREDENTIAL_FILE_VARIABLES.clientId, "client id"],
  [CREDENTIAL_FILE_VARIABLES.clientSecret, "client secret"],
  [CREDENTIAL_FILE_VARIABLES.refreshToken, "refresh token"],
]);
const ENVIRONMENT_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const DEFAULT_INTEGRATION_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

/** Settings keys become environment variable names; the credential files' variables are the component's own. */
export function settingKeyProblem(key: string): string | undefined {
  const file = CREDENTIAL_FILE_OF.get(key);
  if (file !== undefined) {
    return `is reserved: the component sets it to the ${file} file's path. Fix: remove it from the settings.`;
  }
  if (ENVIRONMENT_VARIABLE.test(key)) return undefined;
  const suggestion = key
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_")
    .replace(/^(\d)/, "_$1");
  return (
    "is not an environment variable name (letters, digits and '_', not starting with a digit). " +
    `Fix: rename it, e.g. to ${JSON.stringify(suggestion)}.`
  );
}

/**
 * A setting whose name says it holds a credential (API_TOKEN, *_SECRET, *_PASSWORD, *_KEY, …) must not be plain
 * text: plain settings land in a ConfigMap, stored and shown unencrypted. Given as a secret, it reaches the service
 * from a Secret instead. Undefined for a name that says no credential.
 */
export function plainCredentialSettingProblem(key: string): string | undefined {
  // A name that is no environment variable's is reported as such first.
  const reason = settingKeyProblem(key) === undefined ? credentialKeyReason(key) : undefined;
  if (reason === undefined) return undefined;
  return (
    `${reason} and is stored in plain text. Fix: run \`pulumi config set --secret --path ` +
    `'${PROJECT_NAME}:integrationService.settings.${key}' <value>\`; the service then reads it from a Secret.`
  );
}

const httpPath = z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, 'is not an HTTP path. Fix: use e.g. "/healthz".');

/**
 * Each setting's problem is reported at its own key, so the message says which setting to rename or to make a
 * secret; checked even when a value has the wrong type, so one run reports every problem.
 */
const settingsSchema = z.record(z.string(), z.string()).superRefine(
  (settings, ctx) => {
    for (const key of Object.keys(settings)) {
      const problem = settingKeyProblem(key) ?? plainCredentialSettingProblem(key);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: [key], message: problem });
    }
  },
  { when: (payload) => typeof payload.value === "object" && payload.value !== null },
);

const autoscalingSchema = z
  .strictObject({
    minReplicas: z
      .number()
      .int("must be a whole number, e.g. 2")
      .min(
        2,
        "must be at least 2 to keep the service up while a pod restarts (the disruption budget allows one down). Fix: use 2 or more.",
      )
      .default(2),
    maxReplicas: z.number().int("must be a whole number, e.g. 6").default(6),
    targetCpuUtilizationPercent: z
      .number()
      .int("must be a whole number from 1 to 100, e.g. 70")
      .min(1, "is a percentage of the CPU request. Fix: use a whole number from 1 to 100, e.g. 70.")
      .max(100, "is a percentage of the CPU request. Fix: use a whole number from 1 to 100, e.g. 70.")
      .default(70),
  })
  .superRefine((autoscaling, ctx) => {
    if (autoscaling.maxReplicas >= autoscaling.minReplicas) return;
    ctx.addIssue({
      code: "custom",
      path: ["maxReplicas"],
      message: `is ${autoscaling.maxReplicas}, below minReplicas ${autoscaling.minReplicas}. Fix: use ${autoscaling.minReplicas} or more.`,
    });
  });

/** What a stack file can set: the component's arguments less those the stack wires in itself. */
export const integrationServiceSettingsShape = {
  image: imageReferenceSchema,
  /** Container port of the service's HTTP listener; the Service exposes the same port. */
  port: containerPortSchema.default(8080),
  readinessPath: httpPath.default("/readyz"),
  livenessPath: httpPath.default("/healthz"),
  /** Non-secret settings; each key becomes an environment variable (a credential's name is refused here). */
  settings: settingsSchema.default({}),
  autoscaling: autoscalingSchema.prefault({}),
  resources: containerResourcesSchema.default(DEFAULT_INTEGRATION_RESOURCES),
  /** The image's non-root user id. */
  runAsUser: z
    .number()
    .int("must be a whole number, e.g. 10001")
    .min(1, "must not be 0: the container runs as a non-root user. Fix: use the image's user id, e.g. 10001.")
    .default(10001),
};

/** Settings that hold credentials, each a Pulumi secret: environment variables from a Secret, never a ConfigMap. */
const secretSettingsSchema = z
  .record(
    z.string(),
    z.custom<pulumi.Input<string>>((value) => value !== undefined && value !== null, "is missing its value"),
  )
  .superRefine((settings, ctx) => {
    for (const key of Object.keys(settings)) {
      const problem = settingKeyProblem(key);
      if (problem !== undefined) ctx.addIssue({ code: "custom", path: [key], message: problem });
    }
  })
  .default({});

/** The component's arguments but the wiring; the environment decides whether the image needs a digest. */
export const integrationServiceArgsSchema = z
  .object({
    environment: z.string(),
    ...integrationServiceSettingsShape,
    secretSettings: secretSettingsSchema,
  })
  .superRefine((args, ctx) => {
    const problem = imageProblem(args.image, args.environment);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["image"], message: problem });
    for (const key of Object.keys(args.settings)) {
      if (Object.hasOwn(args.secretSettings, key)) {
        ctx.addIssue({
          code: "custom",
          path: ["secretSettings", key],
          message: "is also a plain setting. Fix: give it once, as a secret.",
        });
      }
    }
  });

export type IntegrationServiceSettings = z.input<typeof integrationServiceArgsSchema>;
