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
