/**
 * Rules shared by the config schema, the components, the providers and the policy pack. Kept free of Pulumi and
 * Kubernetes imports so the policy pack can load it cheaply.
 */

/** The one environment that may run images by tag; every other pins them by digest. */
export const DEV_ENVIRONMENT = "dev";

/** The production environment: its objects are protected, and its edge admits only the listed addresses. */
export const PROD_ENVIRONMENT = "prod";

/** An image reference pinned by digest. */
export const IMAGE_DIGEST = /@sha256:[a-f0-9]{64}$/;

export function isPinnedByDigest(image: string): boolean {
  return IMAGE_DIGEST.test(image);
}

/**
 * The one image rule, used by the stack config, the Kubernetes components and the policy pack: outside dev an image
 * is pinned by digest, so every replica and every rollback runs the same bytes. `environment` undefined means not
 * known, which counts as outside dev. Undefined when the image is fine; else the problem, its value and the fix.
 */
export function imageDigestProblem(image: string, environment: string | undefined): string | undefined {
  if (environment === DEV_ENVIRONMENT || isPinnedByDigest(image)) return undefined;
  const repository = image.replace(/@.*$/, "");
  const which =
    environment === undefined
      ? `every environment but ${JSON.stringify(DEV_ENVIRONMENT)} requires (the environment is not known, so it counts as outside dev)`
      : `environment ${JSON.stringify(environment)} requires (only ${JSON.stringify(DEV_ENVIRONMENT)} may use tags)`;
  return (
    `${JSON.stringify(image)} is not pinned by digest, which ${which}. Fix: use ` +
    `${JSON.stringify(`${repository}@sha256:<64 hex digits>`)}; \`docker buildx imagetools inspect ${repository}\` ` +
    "prints the digest."
  );
}

/** app.kubernetes.io/name of the Cloud Connect edge's workload. */
export const EDGE_APP_NAME = "cloud-connect-edge";

/** On the edge's haproxy.cfg ConfigMap when the stack runs one Cloud Connect node: the waiver's reason. */
export const SINGLE_NODE_WAIVER_ANNOTATION = "amb-cce/single-node-waiver";

/** On the edge's Service when its allow-list admits every address under a waiver: the waiver's reason. */
export const OPEN_ALLOW_LIST_WAIVER_ANNOTATION = "amb-cce/open-allow-list-waiver";

/** Label on every workload naming the stack's environment, so policies can apply per-environment rules. */
export const ENVIRONMENT_LABEL = "amb-cce/environment";

/** Every waiver of a rule (Data Stream off, a single Cloud Connect node, an open allow-list) gives a reason at least this long. */
export const MIN_WAIVER_LENGTH = 10;

export function hasWaiverReason(reason: string | undefined): boolean {
  return (reason ?? "").trim().length >= MIN_WAIVER_LENGTH;
}

/** Turning Data Stream off needs a reason (customer opt-out and typing indicators need it on). */
export const MIN_DATA_STREAM_WAIVER_LENGTH = MIN_WAIVER_LENGTH;
export const hasDataStreamWaiver = hasWaiverReason;
