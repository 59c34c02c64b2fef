/**
 * The AMB asset's rules, without I/O: which stack owns it (the ownership marker in its description), what its
 * settings were before any stack touched them, and the calls that take its settings from one state to another.
 */
import type { AmbAsset, AmbAssetWithSettings } from "../webexconnect";
import { describeOwned, parseOwnedDescription } from "./ownership";

/** What the asset had before any stack touched it; destroy restores it. */
export interface PriorSettings {
  engageServiceId: string | null;
  dataStream: boolean;
}

export type AssetSettings = PriorSettings;

/** The settings an asset read with its settings carries. */
export function settingsOf(
  asset: Pick<AmbAssetWithSettings, "engageRegistration" | "dataStream">,
): AssetSettings {
  const { registered, serviceId } = asset.engageRegistration;
  return { engageServiceId: registered ? serviceId : null, dataStream: asset.dataStream.enabled };
}

/** The prior settings as notes of the ownership marker, so they outlive a run that dies before state is saved. */
export function priorNotes(prior: PriorSettings): Record<string, string> {
  return { engage: prior.engageServiceId ?? "none", dataStream: prior.dataStream ? "on" : "off" };
}

export function priorFromNotes(notes: Record<string, string>): PriorSettings | undefined {
  if (notes.engage === undefined || !["on", "off"].includes(notes.dataStream)) return undefined;
  return {
    engageServiceId: notes.engage === "none" ? null : notes.engage,
    dataStream: notes.dataStream === "on",
  };
}

export type AssetClaim =
  /** The marker already names this stack: nothing to write. */
  | { action: "keep"; prior: PriorSettings }
  /** No marker yet, or an on-purpose takeover: write this description before changing any setting. */
  | { action: "write"; prior: PriorSettings; description: string }
  | { action: "refuse"; message: string };

export interface Claimant {
  owner: string;
  takeOwnershipFrom?: string;
  appId: string;
}

/**
 * Whether this stack may manage the asset, and what the asset was before any stack touched it. The marker is
 * written before the first setting changes, so a re-run after a failed or killed create finds the true prior
 * settings there instead of reading back what the failed run had already changed. `unclaimed` is the prior to
 * record when the asset carries no marker (its current settings, or the state's record for a stack that managed
 * the asset before markers existed).
 */
export function claimAsset(
  asset: Pick<AmbAsset, "name" | "description">,
  unclaimed: PriorSettings,
  claimant: Claimant,
): AssetClaim {
  const stored = parseOwnedDescription(asset.description);
  const recorded = priorFromNotes(stored.notes);
  if (stored.owner === undefined)
    return {
      action: "write",
      prior: unclaimed,
      description: describeOwned(stored.description, claimant.owner, priorNotes(unclaimed)),
    };
  if (stored.owner === claimant.owner) return { action: "keep", prior: recorded ?? unclaimed };
  const refusal = ownerRefusal(asset, claimant);
  if (refusal !== undefined) return { action: "refuse", message: refusal };
  const prior = recorded ?? unclaimed;
  return {
    action: "write",
    prior,
    description: describeOwned(stored.description, claimant.owner, priorNotes(prior)),
  };
}

/** The one ownership rule: the refusal when another stack owns the asset and this one does not take it over. */
export function ownerRefusal(
  asset: Pick<AmbAsset, "name" | "description">,
  claimant: Claimant,
): string | undefined {
  const { owner } = parseOwnedDescription(asset.description);
  if (owner === undefined || owner === claimant.owner || owner === claimant.takeOwnershipFrom)
    return undefined;
  return ownedElsewhereMessage(asset.name, claimant, owner);
}

/** Why a second stack may not manage an asset, and the two ways to move it on purpose. */
export function ownedElsewhereMessage(assetName: string, claimant: Claimant, owner: string): string {
  const ownerStack = owner.slice(owner.indexOf("/") + 1);
  return (
    `The AMB asset ${JSON.stringify(assetName)} (App ID ${claimant.appId}) is managed by stack ${owner}, and one ` +
    `asset has exactly one owning stack; ${claimant.owner} changed nothing. If this stack file is a copy, give it its ` +
    `own asset.appId. To move the asset on purpose: run \`pulumi destroy --stack ${ownerStack}\` (it gives the asset ` +
    `back as it found it) and then \`pulumi up\` here; or set asset.takeOwnershipFrom: ${JSON.stringify(owner)} in ` +
    `this stack's file, run \`pulumi up\` here, then remove the asset's stack ${ownerStack}.`
  );
}

/** The calls that take an asset from `current` to `target`, in order: unregister before registering elsewhere. */
export function settingsPlan(
  current: AssetSettings,
  target: AssetSettings,
): Array<
  | { action: "unregister" }
  | { action: "register"; serviceId: string }
  | { action: "dataStream"; enabled: boolean }
> {
  const plan: ReturnType<typeof settingsPlan> = [];
  if (current.engageServiceId !== target.engageServiceId) {
    if (current.engageServiceId !== null) plan.push({ action: "unregister" });
    if (target.engageServiceId !== null) plan.push({ action: "register", serviceId: target.engageServiceId });
  }
  if (current.dataStream !== target.dataStream)
    plan.push({ action: "dataStream", enabled: target.dataStream });
  return plan;
}
