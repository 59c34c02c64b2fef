/**
 * The AMB asset is adopted, never created: Apple creates it when the business connects Webex Connect as its
 * Messaging Service Provider. The stack manages what the user guide sets by hand on it: the Webex Engage
 * registration to a service and the Data Stream toggle. Destroy returns both to what they were before.
 */
import { hasDataStreamWaiver, MIN_DATA_STREAM_WAIVER_LENGTH } from "../lib/conventions";
import { z } from "zod";
import { ambRegistrationInstructions, mspLinkWithAccountName } from "../lib/appleRegistration";
import type { AmbAsset, WebexConnectClient } from "../webexconnect";
import { diffProperties, readResult, unlessGone } from "./dynamicSupport";
import { defineWebexConnectProvider } from "./defineProvider";
import { describeOwned, parseOwnedDescription } from "./ownership";
import { webexClient } from "./client";

export const ambAssetInputsSchema = z
  .strictObject({
    appId: z.string().trim().min(1, { message: "is empty: give the App ID shown under Assets > Apps" }),
    accountName: z
      .string()
      .trim()
      .min(1, { message: "is empty: give the Messages for Business account name" }),
    serviceId: z
      .string()
      .min(1, { message: "is empty: give the service to register the asset to Webex Engage with" }),
    dataStream: z.boolean().default(true),
    dataStreamWaiver: z.string().optional(),
    /** The link Apple shows after "Connect" (optional): lets errors print the exact link to open. */
    mspLink: z.string().optional(),
    /** `<project>/<stack>`: one asset has one owning stack, recorded on the asset itself. */
    owner: z.string().min(1),
    /** The owning stack this stack takes the asset over from, on purpose; its original settings come along. */
    takeOwnershipFrom: z.string().min(1).optional(),
  })
  .refine((inputs) => inputs.dataStream || hasDataStreamWaiver(inputs.dataStreamWaiver), {
    message:
      "Data Stream is disabled without a reason: customer opt-out, event handling and typing indicators need it; " +
      `enable it, or give dataStreamWaiver a reason of at least ${MIN_DATA_STREAM_WAIVER_LENGTH} characters`,
    path: ["dataStreamWaiver"],
  });

export type AmbAssetInputs = z.infer<typeof ambAssetInputsSchema>;

/** What the asset had before any stack touched it; destroy restores it. */
export interface PriorSettings {
  engageServiceId: string | null;
  dataStream: boolean;
}

export interface AmbAssetOutputs extends AmbAssetInputs {
  assetId: string;
  ambAccountId: string;
  name: string;
  status: string;
  prior: PriorSettings;
}

export type AssetSettings = PriorSettings;

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
function ownerRefusal(asset: Pick<AmbAsset, "name" | "description">, claimant: Claimant): string | undefined {
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

async function applyPlan(client: WebexConnectClient, assetId: string, plan: ReturnType<typeof settingsPlan>) {
  for (const step of plan) {
    if (step.action === "unregister") await client.unregisterFromEngage(assetId);
    else if (step.action === "register") await client.registerToEngage(assetId, step.serviceId);
    else await client.setDataStream(assetId, step.enabled);
  }
}

async function currentSettings(client: WebexConnectClient, assetId: string): Promise<AssetSettings> {
  const [registration, dataStream] = await Promise.all([
    client.getEngageRegistration(assetId),
    client.getDataStream(assetId),
  ]);
  return {
    engageServiceId: registration.registered ? registration.serviceId : null,
    dataStream: dataStream.enabled,
  };
}

/** The error for an asset Apple has not handed to Webex Connect yet: what to do, and the link to open. */
export function notReadyMessage(inputs: AmbAssetInputs, asset: AmbAsset | undefined): string {
  const link = inputs.mspLink
    ? ` Open ${mspLinkWithAccountName(inputs.mspLink, inputs.accountName)} to finish.`
    : "";
  if (!asset) {
    return (
      `No AMB asset with App ID ${JSON.stringify(inputs.appId)} exists in Webex Connect yet. ` +
      `${ambRegistrationInstructions(inputs.accountName)}${link}`
    );
  }
  return (
    `The AMB asset ${JSON.stringify(asset.name)} (App ID ${inputs.appId}) is still "${asset.status}" at Apple: ` +
    `wait until Apple Business Register shows it "Online", then run again.${link}`
  );
}

function outputsOf(asset: AmbAsset, inputs: AmbAssetInputs, prior: PriorSettings): AmbAssetOutputs {
  return {
    ...inputs,
    assetId: asset.id,
    ambAccountId: asset.ambAccountId,
    name: asset.name,
    status: asset.status,
    prior,
  };
}

/** Claims the asset for this stack (or refuses, before any write) and returns the prior settings to keep. */
async function claim(
  client: WebexConnectClient,
  asset: AmbAsset,
  unclaimed: PriorSettings,
  inputs: AmbAssetInputs,
): Promise<PriorSettings> {
  const decision = claimAsset(asset, unclaimed, inputs);
  if (decision.action === "refuse") throw new Error(decision.message);
  if (decision.action === "write")
    await client.updateAmbAsset(asset.id, { name: asset.name, description: decision.description });
  return decision.prior;
}

/** Takes the asset's settings to the stack's, from what they really are now. */
async function converge(
  client: WebexConnectClient,
  assetId: string,
  inputs: AmbAssetInputs,
  current: AssetSettings,
) {
  await applyPlan(
    client,
    assetId,
    settingsPlan(current, { engageServiceId: inputs.serviceId, dataStream: inputs.dataStream }),
  );
}

/** Read-only: refuses an asset another stack owns, so the stack fails before its first write. */
export async function assertAssetClaimable(client: WebexConnectClient, claimant: Claimant): Promise<void> {
  const asset = await client.findAmbAssetByAppId(claimant.appId);
  const refusal = asset && ownerRefusal(asset, claimant);
  if (refusal) throw new Error(refusal);
}

export const provider = defineWebexConnectProvider(ambAssetInputsSchema, {
  async diff(_id, olds: AmbAssetOutputs, news: AmbAssetInputs) {
    const { changed, replaces } = diffProperties(olds, news, {
      appId: { replaces: true },
      serviceId: {},
      dataStream: {},
      accountName: {},
      dataStreamWaiver: {},
      mspLink: {},
      owner: {},
      takeOwnershipFrom: {},
    });
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: AmbAssetInputs) {
    const client = webexClient();
    const asset = await client.findAmbAssetByAppId(inputs.appId);
    if (!asset || asset.status !== "Online") throw new Error(notReadyMessage(inputs, asset));
    const current = await currentSettings(client, asset.id);
    const prior = await claim(client, asset, current, inputs);
    await converge(client, asset.id, inputs, current);
    return { id: asset.id, outs: outputsOf(asset, inputs, prior) };
  },

  async read(id, props: AmbAssetOutputs) {
    const client = webexClient();
    const asset = await unlessGone(() => client.getAmbAsset(id));
    if (!asset) return {};
    const settings = await currentSettings(client, id);
    const inputs: AmbAssetInputs = {
      appId: asset.appId,
      accountName: props.accountName,
      // An empty serviceId reads as "not registered" and differs from any configured service.
      serviceId: settings.engageServiceId ?? "",
      dataStream: settings.dataStream,
      dataStreamWaiver: props.dataStreamWaiver,
      mspLink: props.mspLink,
      // Another stack's name here is drift the next update refuses, instead of taking the asset back and forth.
      owner: parseOwnedDescription(asset.description).owner ?? "",
      takeOwnershipFrom: props.takeOwnershipFrom,
    };
    return readResult(id, outputsOf(asset, inputs, props.prior), inputs);
  },

  async update(id, olds: AmbAssetOutputs, news: AmbAssetInputs) {
    const client = webexClient();
    const asset = await client.getAmbAsset(id);
    const current = await currentSettings(client, id);
    // A stack deployed before markers existed recorded the prior settings in its state.
    const prior = await claim(client, asset, olds.prior ?? current, news);
    await converge(client, id, news, current);
    // The claim rewrites only the description, which no output carries: the asset read above is still current.
    return { outs: outputsOf(asset, news, prior) };
  },

  /**
   * Never deletes the asset (Apple created it): returns Engage registration and Data Stream to what they were before
   * any stack touched it, then removes the marker. An asset another stack has taken over is left to that stack.
   */
  async delete(id, props: AmbAssetOutputs) {
    const client = webexClient();
    await unlessGone(async () => {
      const asset = await client.getAmbAsset(id);
      const stored = parseOwnedDescription(asset.description);
      if (stored.owner !== undefined && stored.owner !== props.owner) return;
      const prior = priorFromNotes(stored.notes) ?? props.prior;
      await applyPlan(client, id, settingsPlan(await currentSettings(client, id), prior));
      if (stored.owner !== undefined)
        await client.updateAmbAsset(id, { name: asset.name, description: stored.description });
    });
  },
});
