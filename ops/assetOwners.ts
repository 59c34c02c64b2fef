/**
 * One AMB asset, one owning stack: a check across the stack files of a project, so that a copied stack file that
 * keeps its App ID is refused in the pull request, before any preview or up runs against the tenant. (At run time
 * the asset's ownership marker refuses the second stack too; this catches it earlier, with the file names.)
 */
import * as path from "node:path";
import { discoverStacks, stackFileConfigOf, type PulumiProject } from "../config/projectFiles";

export interface AssetBinding {
  /** The stack file, relative to the project. */
  file: string;
  organizationId: string;
  appId: string;
}

/** The organization and App ID a stack file binds, when it names both. */
export function assetBindings(project: PulumiProject): AssetBinding[] {
  return discoverStacks(project).flatMap((stack) => {
    const config = stackFileConfigOf(project, stack);
    const organizationId = config["webexconnect:orgId"];
    const appId = (config["amb-cce-connect:asset"] as { appId?: unknown } | undefined)?.appId;
    if (typeof organizationId !== "string" || typeof appId !== "string") return [];
    const file = path.relative(project.dir, path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`));
    return [{ file, organizationId: organizationId.trim(), appId: appId.trim() }];
  });
}

/** One problem per App ID that more than one stack file binds in the same organization, naming the files. */
export function sharedAssetProblems(bindings: AssetBinding[]): string[] {
  const byAsset = new Map<string, AssetBinding[]>();
  for (const binding of bindings) {
    const key = JSON.stringify([binding.organizationId, binding.appId]);
    byAsset.set(key, [...(byAsset.get(key) ?? []), binding]);
  }
  return [...byAsset.values()]
    .filter((shared) => shared.length > 1)
    .map(
      (shared) =>
        `App ID ${JSON.stringify(shared[0].appId)} in organization ${JSON.stringify(shared[0].organizationId)} is ` +
        `bound by ${shared.map((binding) => binding.file).join(" and ")}: one AMB asset has exactly one owning ` +
        "stack. Give the copied stack its own asset.appId, or move the asset on purpose (asset.takeOwnershipFrom in " +
        "the new stack, then remove the old stack file).",
    );
}
