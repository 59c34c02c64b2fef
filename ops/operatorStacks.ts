/**
 * Fleet scale with the Pulumi Kubernetes Operator (v2): one `Stack` custom resource (pulumi.com/v1) per stack file.
 * The operator runs each in its own workspace pod: refresh, then up, on every resync, from the tracked branch.
 *
 * Manifests are checked here against `operatorStackSchema`, a zod model of the Stack fields we emit, strict so that
 * a misspelt field fails before it reaches a cluster; test/ops/operatorCrd.test.ts applies them to a real API server
 * with the operator's v2.9.0 CRDs (../shared/reference/operator-crds/), which is what they must pass.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { z } from "zod";
import { SETTINGS_ENV } from "../lib/facts";

/** The operator runs a resync below a minute (including 0) every 60 seconds; it does not refuse it. */
export const MIN_RESYNC_SECONDS = 60;
/** The CRD's CEL rule: "Stack name must be no more than 42 characters in length". */
export const MAX_STACK_NAME_LENGTH = 42;
/** The workspace pods' service account when none is given; it gets the binding the operator needs. */
export const DEFAULT_WORKSPACE_SERVICE_ACCOUNT = "amb-cce-connect-workspace";
const PART_OF = { "app.kubernetes.io/part-of": "amb-cce-connect" };
/** Half an hour: each resync refreshes every Webex Connect object of the stack (see docs/operations.md). */
export const DEFAULT_RESYNC_SECONDS = 1800;

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label: a-z, 0-9 and -")
  .max(63);
const dnsSubdomain = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "must be a DNS subdomain: a-z, 0-9, - and .",
  );
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name");

/** A Kubernetes quantity such as 500m, 1, 1.5, 512Mi, 2Gi. */
const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, "must be a Kubernetes quantity, e.g. 500m or 1Gi");
const resourceList = z.partialRecord(z.enum(["cpu", "memory", "ephemeral-storage"]), quantity);
const resourceRequirementsSchema = z.strictObject({
  requests: resourceList.optional(),
  limits: resourceList.optional(),
});

const secretKeyRefSchema = z.strictObject({ name: dnsSubdomain, key: z.string().min(1) });

/** Stack.spec.envRefs values: where the workspace pod's environment variable comes from. */
const resourceRefSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Secret"), secret: secretKeyRefSchema }),
  z.strictObject({ type: z.literal("Env"), env: z.strictObject({ name: envVarName }) }),
  z.strictObject({ type: z.literal("FS"), filesystem: z.strictObject({ path: z.string().min(1) }) }),
  z.strictObject({ type: z.literal("Literal"), literal: z.strictObject({ value: z.string() }) }),
]);

const labels = z.record(z.string().min(1), z.string().max(63));

const stackSpecSchema = z
  .strictObject({
    stack: z.string().min(1),
    projectRepo: z
      .string()
      .regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, "must be a git URL (https://, ssh:// or git@)"),
    branch: z.string().min(1).optional(),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/, "must be a commit hash")
      .optional(),
    repoDir: z.string().min(1).optional(),
    backend: z
      .string()
      .regex(
        /^(https?|file|s3|azblob|gs):\/\/\S+$/,
        "must be a backend URL (https://, s3://, azblob://, gs://, file://)",
      ),
    envRefs: z.record(envVarName, resourceRefSchema).optional(),
    refresh: z.boolean().optional(),
    resyncFrequencySeconds: z.number().int().min(0).optional(),
    preview: z.boolean().optional(),
    continueResyncOnCommitMatch: z.boolean().optional(),
    destroyOnFinalize: z.boolean().optional(),
    serviceAccountName: dnsSubdomain.optional(),
    workspaceTemplate: z
      .strictObject({
        metadata: z
          .strictObject({
            labels: labels.optional(),
            annotations: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
        spec: z
          .strictObject({
            image: z.string().min(1).optional(),
            resources: resourceRequirementsSchema.optional(),
            serviceAccountName: dnsSubdomain.optional(),
            securityProfile: z.enum(["baseline", "restricted"]).optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .refine((spec) => (spec.branch === undefined) !== (spec.commit === undefined), {
    message: "give exactly one of branch and commit (the operator treats them as mutually exclusive)",
    path: ["branch"],
  });

export const operatorStackSchema = z.strictObject({
  apiVersion: z.literal("pulumi.com/v1"),
  kind: z.literal("Stack"),
  metadata: z.strictObject({
    name: dnsSubdomain.max(
      MAX_STACK_NAME_LENGTH,
      `must be at most ${MAX_STACK_NAME_LENGTH} characters (the operator's CRD rule)`,
    ),
    namespace: dnsLabel,
    labels: labels.optional(),
  }),
  spec: stackSpecSchema,
});

export type OperatorStack = z.infer<typeof operatorStackSchema>;
export type SecretKeyRef = z.infer<typeof secretKeyRefSchema>;
export type ResourceRequirements = z.infer<typeof resourceRequirementsSchema>;

/**
 * The Secret keys of the Webex Connect credential the workspace pods get: a static token, which lasts 12 hours and
 * so fails a resync within a day (the operator then stalls the Stack), or the renewing credential's three parts.
 */
export type WebexCredentialSecrets =
  | { token: SecretKeyRef }
  | { clientId: SecretKeyRef; clientSecret: SecretKeyRef; refreshToken: SecretKeyRef };

/** The credential's keys in one Secret, each named like the environment variable it becomes. */
export function webexCredentialSecrets(
  secretName: string,
  kind: "token" | "renewing",
): WebexCredentialSecrets {
  const ref = (part: keyof typeof SETTINGS_ENV) => ({ name: secretName, key: SETTINGS_ENV[part] });
  if (kind === "token") return { token: ref("token") };
  return { clientId: ref("clientId"), clientSecret: ref("clientSecret"), refreshToken: ref("refreshToken") };
}

export interface OperatorStackOptions {
  namespace: string;
  /** Git URL of this repository, and the branch the operator follows. */
  projectRepo: string;
  branch: string;
  /** Folder of Pulumi.yaml inside the repository, when not at its root. */
  repoDir?: string;
  /** State backend URL (s3://…, azblob://…, gs://…, https://… for a self-hosted Pulumi Cloud). */
  backend: string;
  /** Kubernetes Secret keys for the passphrase of the stacks' secrets and the Webex Connect credential. */
  passphraseSecret: SecretKeyRef;
  webexCredential: WebexCredentialSecrets;
  /** More environment from Secrets, e.g. the state bucket's credentials: variable → Secret key. */
  extraSecretEnv?: Record<string, SecretKeyRef>;
  /** Below 60 (including 0) becomes 60, as the operator treats it. */
  resyncFrequencySeconds?: number;
  /** The workspace pods' service account (default DEFAULT_WORKSPACE_SERVICE_ACCOUNT). */
  serviceAccountName?: string;
  /** Report-only: the operator runs previews, never updates (spec.preview). */
  previewOnly?: boolean;
  /** Requests and limits of each stack's workspace pod. */
  workspaceResources?: ResourceRequirements;
  /** Prefixes the stack name (`org/stack`), as Pulumi Cloud backends need. */
  organization?: string;
}

const trimSeparators = (name: string) => name.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");

/**
 * The Kubernetes name for a stack: lower case, invalid characters as "-" (`dev-Retail_Store` → `dev-retail-store`).
 * A name longer than the CRD allows keeps its first 33 characters and ends in 8 hex digits of the stack name's
 * SHA-256, so it is the same on every run and two long stacks with the same beginning still differ.
 */
export function kubernetesName(stack: string): string {
  const name = trimSeparators(stack.toLowerCase().replace(/[^a-z0-9.-]+/g, "-"));
  if (name.length <= MAX_STACK_NAME_LENGTH) return name;
  const hash = createHash("sha256").update(stack).digest("hex").slice(0, 8);
  return `${trimSeparators(name.slice(0, MAX_STACK_NAME_LENGTH - hash.length - 1))}-${hash}`;
}

function resyncSeconds(requested: number | undefined): number {
  if (requested === undefined) return DEFAULT_RESYNC_SECONDS;
  if (!Number.isInteger(requested) || requested < 0)
    throw new Error(
      `resyncFrequencySeconds is ${requested}: give a whole number of seconds (below ${MIN_RESYNC_SECONDS} counts as ${MIN_RESYNC_SECONDS})`,
    );
  return Math.max(requested, MIN_RESYNC_SECONDS);
}

const workspaceServiceAccount = (options: OperatorStackOptions) =>
  options.serviceAccountName ?? DEFAULT_WORKSPACE_SERVICE_ACCOUNT;

/**
 * The workspace pods' ServiceAccount and its binding to the ClusterRole `system:auth-delegator`, which the
 * operator's v2 workspaces need (the pod's agent checks the operator's token with a TokenReview).
 */
export function workspaceAccess(options: OperatorStackOptions) {
  const name = workspaceServiceAccount(options);
  const serviceAccount = {
    apiVersion: "v1" as const,
    kind: "ServiceAccount" as const,
    metadata: { name, namespace: options.namespace, labels: PART_OF },
  };
  const clusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1" as const,
    kind: "ClusterRoleBinding" as const,
    metadata: { name: `${options.namespace}:${name}:system:auth-delegator`, labels: PART_OF },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
    subjects: [{ kind: "ServiceAccount", name, namespace: options.namespace }],
  };
  return { serviceAccount, clusterRoleBinding };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(manifest)"}: ${issue.message}`).join("; ");
}

/** Validates a manifest; the error names the stack, each bad field and why. */
export function validateOperatorStack(manifest: unknown, stack: string): OperatorStack {
  const parsed = operatorStackSchema.safeParse(manifest);
  if (!parsed.success)
    throw new Error(`Stack resource for ${stack} is not valid: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function secretRef(secret: SecretKeyRef) {
  return { type: "Secret" as const, secret };
}

export function operatorStack(stack: string, options: OperatorStackOptions): OperatorStack {
  const name = kubernetesName(stack);
  const credentialParts = Object.entries(options.webexCredential) as Array<
    [keyof typeof SETTINGS_ENV, SecretKeyRef]
  >;
  const envRefs = {
    PULUMI_CONFIG_PASSPHRASE: secretRef(options.passphraseSecret),
    ...Object.fromEntries(credentialParts.map(([part, ref]) => [SETTINGS_ENV[part], secretRef(ref)])),
    ...Object.fromEntries(
      Object.entries(options.extraSecretEnv ?? {}).map(([variable, ref]) => [variable, secretRef(ref)]),
    ),
  };
  const manifest = {
    apiVersion: "pulumi.com/v1",
    kind: "Stack",
    metadata: {
      name,
      namespace: options.namespace,
      labels: { ...PART_OF, "amb-cce-connect/stack": name },
    },
    spec: {
      stack: options.organization ? `${options.organization}/${stack}` : stack,
      projectRepo: options.projectRepo,
      branch: options.branch,
      ...(options.repoDir ? { repoDir: options.repoDir } : {}),
      backend: options.backend,
      envRefs,
      refresh: true,
      resyncFrequencySeconds: resyncSeconds(options.resyncFrequencySeconds),
      ...(options.previewOnly ? { preview: true } : {}),
      continueResyncOnCommitMatch: true,
      // Deleting the custom resource must never delete the contact center's Webex Connect objects.
      destroyOnFinalize: false,
      serviceAccountName: workspaceServiceAccount(options),
      ...(options.workspaceResources
        ? { workspaceTemplate: { spec: { resources: options.workspaceResources } } }
        : {}),
    },
  };
  return validateOperatorStack(manifest, stack);
}

/** One validated Stack resource per stack; stacks whose Kubernetes names would collide are refused. */
export function operatorStacks(stacks: readonly string[], options: OperatorStackOptions): OperatorStack[] {
  const byName = new Map<string, string>();
  for (const stack of stacks) {
    const name = kubernetesName(stack);
    const other = byName.get(name);
    if (other !== undefined) {
      throw new Error(
        `stacks ${other} and ${stack} both become the Kubernetes name ${name}: rename one of the stack files`,
      );
    }
    byName.set(name, stack);
  }
  return stacks.map((stack) => operatorStack(stack, options));
}

/** Everything to apply for a fleet: the workspace service account and its binding, then one Stack per stack. */
export function fleetManifests(stacks: readonly string[], options: OperatorStackOptions) {
  const { serviceAccount, clusterRoleBinding } = workspaceAccess(options);
  return [serviceAccount, clusterRoleBinding, ...operatorStacks(stacks, options)];
}

/** The resources as one multi-document YAML file, ready for kubectl apply -f. */
export function toYamlDocuments(resources: readonly object[]): string {
  return resources.map((resource) => stringify(resource)).join("---\n");
}
