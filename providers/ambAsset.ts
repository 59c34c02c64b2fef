/**
 * The AMB asset is adopted, never created: Apple creates it when the business connects Webex Connect as its
 * Messaging Service Provider. The stack manages what the user guide sets by hand on it: the Webex Engage
 * registration to a service and the Data Stream toggle. Destroy returns both to what they were before.
 */
import { hasDataStreamWaiver, MIN_DATA_STREAM_WAIVER_LENGTH } from "../lib/conventions";
import { z } from "zod";
import {
  ambRegistrationInstructions,
  mspLinkWithAccountName,
  type AmbAsset,
  type WebexConnectClient,
} from "../webexconnect";
import { diffProperties, readResult, unlessGone } from "./dynamicSupport";
import { defineWebexConnectProvider } from "./defineProvider";
import { webexClient } from "./settings";

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
  })
  .refine((inputs) => inputs.dataStream || hasDataStreamWaiver(inputs.dataStreamWaiver), {
    message:
      "Data Stream is disabled without a reason: customer opt-out, event handling and typing indicators need it; " +
      `enable it, or give dataStreamWaiver a reason of at least ${MIN_DATA_STREAM_WAIVER_LENGTH} characters`,
    path: ["dataStreamWaiver"],
  });

export type AmbAssetInputs = z.infer<typeof ambAssetInputsSchema>;

/** What the asset had before this stack touched it; destroy restores it. */
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

export interface AssetSettings {
  engageServiceId: string | null;
  dataStream: boolean;
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

export const provider = defineWebexConnectProvider(ambAssetInputsSchema, {
  async diff(_id, olds: AmbAssetOutputs, news: AmbAssetInputs) {
    const { changed, replaces } = diffProperties(olds, news, {
      appId: { replaces: true },
      serviceId: {},
      dataStream: {},
      accountName: {},
      dataStreamWaiver: {},
      mspLink: {},
    });
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: AmbAssetInputs) {
    const client = webexClient();
    const asset = await client.findAmbAssetByAppId(inputs.appId);
    if (!asset || asset.status !== "Online") throw new Error(notReadyMessage(inputs, asset));
    const prior = await currentSettings(client, asset.id);
    await applyPlan(
      client,
      asset.id,
      settingsPlan(prior, { engageServiceId: inputs.serviceId, dataStream: inputs.dataStream }),
    );
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
    };
    return readResult(id, outputsOf(asset, inputs, props.prior), inputs);
  },

  async update(id, olds: AmbAssetOutputs, news: AmbAssetInputs) {
    const client = webexClient();
    const current = { engageServiceId: olds.serviceId || null, dataStream: olds.dataStream };
    await applyPlan(
      client,
      id,
      settingsPlan(current, { engageServiceId: news.serviceId, dataStream: news.dataStream }),
    );
    const asset = await client.getAmbAsset(id);
    return { outs: outputsOf(asset, news, olds.prior) };
  },

  /** Never deletes the asset (Apple created it): returns Engage registration and Data Stream to their prior state. */
  async delete(id, props: AmbAssetOutputs) {
    const client = webexClient();
    await unlessGone(async () =>
      applyPlan(client, id, settingsPlan(await currentSettings(client, id), props.prior)),
    );
  },
});
