/**
 * The integration service's arguments and their rules, the one source for the component (integrationService.ts)
 * and the stack's `integrationService` section (config/stackConfig.ts).
 */
import { z } from "zod";
import {
  containerPortSchema,
  containerResourcesSchema,
  imageProblem,
  imageReferenceSchema,
  type ContainerResources,
} from "./workloadArgs";

/** The service reads the token from the file this variable names; the component sets it. */
export const TOKEN_FILE_VARIABLE = "WEBEX_CONNECT_TOKEN_FILE";
const ENVIRONMENT_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const DEFAULT_INTEGRATION_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

/** Settings keys become environment variable names; the token file's variable is the component's own. */
export function settingKeyProblem(key: string): string | undefined {
  if (key === TOKEN_FILE_VARIABLE) {
    return "is reserved: the component sets it to the token file's path. Fix: remove it from the settings.";
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

const httpPath = z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, 'is not an HTTP path. Fix: use e.g. "/healthz".');

/** Each setting's problem is reported at its own key, so the message says which setting to rename. */
const settingsSchema = z.record(z.string(), z.string()).superRefine((settings, ctx) => {
  for (const key of Object.keys(settings)) {
    const problem = settingKeyProblem(key);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: [key], message: problem });
  }
});

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
  /** Non-secret settings; each key becomes an environment variable. */
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

/** The component's plain-data arguments; the environment decides whether the image needs a digest. */
export const integrationServiceArgsSchema = z
  .object({ environment: z.string(), ...integrationServiceSettingsShape })
  .superRefine((args, ctx) => {
    const problem = imageProblem(args.image, args.environment);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["image"], message: problem });
  });

export type IntegrationServiceSettings = z.input<typeof integrationServiceArgsSchema>;
