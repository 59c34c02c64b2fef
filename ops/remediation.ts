/**
 * Whether reconcile may run `pulumi up` on a drifted stack: only when the run asks for it (--remediate) AND the
 * stack's own file allows it (`<project>:reconcile.remediate: true`). Either alone is not enough, so neither a
 * careless flag nor a stale stack file can make a scheduled job change production on its own.
 */
export interface RemediationDecision {
  allowed: boolean;
  reason: string;
}

export function remediationConfigKey(projectName: string): string {
  return `${projectName}:reconcile.remediate`;
}

/** Reads the flat key, or the nested form `pulumi config set --path reconcile.remediate true` writes. */
function stackAllows(projectName: string, config: Record<string, unknown>): boolean {
  const nested = config[`${projectName}:reconcile`];
  const value =
    config[remediationConfigKey(projectName)] ??
    (nested !== null && typeof nested === "object"
      ? (nested as Record<string, unknown>).remediate
      : undefined);
  return value === true || value === "true";
}

export function remediationDecision(
  projectName: string,
  stackConfig: Record<string, unknown>,
  requested: boolean,
): RemediationDecision {
  const key = remediationConfigKey(projectName);
  const allowedByStack = stackAllows(projectName, stackConfig);
  if (!requested) {
    return { allowed: false, reason: "report only: the run was not given --remediate" };
  }
  if (!allowedByStack) {
    return {
      allowed: false,
      reason: `the stack does not allow it: set ${key}: true in its stack file (pulumi config set ${key.split(":")[1]} true)`,
    };
  }
  return { allowed: true, reason: `--remediate and ${key}: true` };
}
