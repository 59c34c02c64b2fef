/**
 * Rules shared by the config schema, the components, the providers and the policy pack. Kept free of Pulumi and
 * Kubernetes imports so the policy pack can load it cheaply.
 */

/** The one environment that may run images by tag; every other pins them by digest. */
export const DEV_ENVIRONMENT = "dev";

/** An image reference pinned by digest. */
export const IMAGE_DIGEST = /@sha256:[a-f0-9]{64}$/;

export function isPinnedByDigest(image: string): boolean {
  return IMAGE_DIGEST.test(image);
}

/** app.kubernetes.io/name of the Cloud Connect edge's workload. */
export const EDGE_APP_NAME = "cloud-connect-edge";

/** Label on every workload naming the stack's environment, so policies can apply per-environment rules. */
export const ENVIRONMENT_LABEL = "amb-cce/environment";

/** Turning Data Stream off needs a reason at least this long (customer opt-out and typing indicators need it on). */
export const MIN_DATA_STREAM_WAIVER_LENGTH = 10;

export function hasDataStreamWaiver(reason: string | undefined): boolean {
  return (reason ?? "").trim().length >= MIN_DATA_STREAM_WAIVER_LENGTH;
}
