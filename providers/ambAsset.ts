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
import {
  claimAsset,
  ownerRefusal,
  priorFromNotes,
  settingsOf,
  settingsPlan,
  type AssetSettings,
  type Claimant,
  type PriorSettings,
} from "./assetClaim";
import { parseOwnedDescription } from "./ownership";
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

export interface AmbAssetOutputs extends AmbAssetInputs {
  assetId: string;
  ambAccountId: string;
  name: string;
  status: string;
  prior: PriorSettings;
}

async function applyPlan(client: WebexConnectClient, assetId: string, plan: ReturnType<typeof settingsPlan>) {
  for (const step of plan) {
    if (step.action === "unregister") await client.unregisterFromEngage(assetId);
    else if (step.action === "register") await client.registerToEngage(assetId, step.serviceId);
    else await client.setDataStream(assetId, step.enabled);
  }
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
    const current = settingsOf(await client.getAmbAssetWithSettings(asset.id));
    const prior = await claim(client, asset, current, inputs);
    await converge(client, asset.id, inputs, current);
    return { id: asset.id, outs: outputsOf(asset, inputs, prior) };
  },

  async read(id, props: AmbAssetOutputs) {
    const client = webexClient();
    // One request: the asset with its Engage registration and Data Stream toggle (a modeled route).
    const asset = await unlessGone(() => client.getAmbAssetWithSettings(id));
    if (!asset) return {};
    const settings = settingsOf(asset);
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
    const asset = await client.getAmbAssetWithSettings(id);
    const current = settingsOf(asset);
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
      const asset = await client.getAmbAssetWithSettings(id);
      const stored = parseOwnedDescription(asset.description);
      if (stored.owner !== undefined && stored.owner !== props.owner) return;
      const prior = priorFromNotes(stored.notes) ?? props.prior;
      await applyPlan(client, id, settingsPlan(settingsOf(asset), prior));
      if (stored.owner !== undefined)
        await client.updateAmbAsset(id, { name: asset.name, description: stored.description });
    });
  },
});
