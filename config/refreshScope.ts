/**
 * Kubernetes objects rendered to a directory have no cluster to read back: the provider fails refresh on them
 * ("unreachable cluster"), and its skipUpdateUnreachable option also skips rendering. So refreshes and drift checks
 * of render-mode stacks leave them out with this URN pattern; their truth is the rendered files, diffed by git.
 */
export const RENDERED_KUBERNETES_URNS = "**kubernetes:**";

/** The `exclude` list for refresh / preview --refresh of a stack, given whether it renders its manifests. */
export function refreshExcludes(rendersManifests: boolean): string[] {
  return rendersManifests ? [RENDERED_KUBERNETES_URNS] : [];
}

/**
 * The environment of drift checks and remediation: Kubernetes fields someone changed by hand (`kubectl edit` makes
 * its field manager their owner) conflict with the provider's server-side apply, so without force even the drift
 * preview fails instead of reporting them. With it the preview shows program → live and remediation takes them back.
 */
export const RECONCILE_KUBERNETES_ENV = { PULUMI_K8S_ENABLE_PATCH_FORCE: "true" } as const;
