/** AMB assets as Apple registration leaves them, their Webex Engage registration and their Data Stream toggle. */
import { randomUUID } from "node:crypto";
import { ambRegistrationInstructions } from "../../lib/appleRegistration";
import { AMB_CHANNEL, AMB_CHANNEL_ID } from "../../webexconnect/routes";
import type { AmbAssetWire, BodyOf, EngageRegistration, Page } from "../../webexconnect/schemas";
import { HttpProblem } from "../problem";
import type { AssetRecord, EmulatorState } from "../state";
import {
  byCreation,
  liveFlowsBoundTo,
  newId,
  paginate,
  requireAsset,
  requireService,
  type StoreContext,
} from "./context";
import { assetView, registrationView } from "./views";

export function refuseAssetCreate(accountName: string): never {
  throw new HttpProblem(400, "channel_create_not_supported", ambRegistrationInstructions(accountName), {
    field: "channel",
  });
}

export interface SeedAssetInput {
  organizationId: string;
  name: string;
  accountName?: string;
  appId?: string;
  ambAccountId?: string;
  status?: AmbAssetWire["status"];
  description?: string;
}

/** What Apple registration plus the MSP link with &name= does: an asset appears, usually "In review". */
export function seedAsset(ctx: Omit<StoreContext, "organizationId">, input: SeedAssetInput): AmbAssetWire {
  const appId = input.appId ?? randomUUID();
  const clash = Object.values(ctx.state.assets).find(
    (asset) => asset.organizationId === input.organizationId && asset.appId === appId,
  );
  if (clash)
    throw new HttpProblem(409, "conflict", `App ID ${appId} is already asset ${clash.id}.`, {
      field: "appId",
    });
  const record: AssetRecord = {
    id: newId(ctx, "amb"),
    appId,
    abcAccountId: input.ambAccountId ?? randomUUID(),
    name: input.name,
    accountName: input.accountName ?? input.name,
    description: input.description ?? "",
    status: input.status ?? "In review",
    channel: AMB_CHANNEL,
    channelId: AMB_CHANNEL_ID,
    organizationId: input.organizationId,
    createdAt: ctx.now(),
    engageServiceId: null,
    dataStreamEnabled: false,
  };
  ctx.state.assets[record.id] = record;
  return assetView(record);
}

/** Out-of-band asset changes: Apple approving the account, a portal user renaming it. */
export function patchAssetOutOfBand(
  state: EmulatorState,
  assetId: string,
  patch: { status?: AmbAssetWire["status"]; name?: string },
): AmbAssetWire {
  const asset = state.assets[assetId];
  if (!asset) throw new HttpProblem(404, "not_found", `No AMB asset ${assetId}.`);
  Object.assign(asset, patch);
  return assetView(asset);
}

export function listAssets(ctx: StoreContext, page: number, pageSize: number): Page<AmbAssetWire> {
  const assets = Object.values(ctx.state.assets).filter(
    (asset) => asset.organizationId === ctx.organizationId,
  );
  return paginate(assets.sort(byCreation).map(assetView), page, pageSize);
}

export function getAsset(ctx: StoreContext, assetId: string): AmbAssetWire {
  return assetView(requireAsset(ctx, assetId));
}

/** The asset with its Engage registration and Data Stream toggle in one answer, as the portal's asset page (modeled). */
export function getAssetWithSettings(ctx: StoreContext, assetId: string) {
  const asset = requireAsset(ctx, assetId);
  return {
    ...assetView(asset),
    engageRegistration: registrationView(asset),
    dataStream: dataStreamView(asset),
  };
}

export function updateAsset(ctx: StoreContext, assetId: string, body: BodyOf<"asset.update">): AmbAssetWire {
  const asset = requireAsset(ctx, assetId);
  asset.name = body.name;
  asset.description = body.description;
  return assetView(asset);
}

export function deleteAsset(ctx: StoreContext, assetId: string): void {
  const asset = requireAsset(ctx, assetId);
  const live = liveFlowsBoundTo(ctx.state, asset.id);
  if (live.length > 0)
    throw new HttpProblem(
      409,
      "conflict",
      `AMB asset ${assetId} is bound to live flow(s) ${live.map((flow) => flow.name).join(", ")}; deactivate them first.`,
    );
  delete ctx.state.assets[asset.id];
}

// Engage registration and Data Stream.
export function getEngageRegistration(ctx: StoreContext, assetId: string): EngageRegistration {
  return registrationView(requireAsset(ctx, assetId));
}

export function registerToEngage(ctx: StoreContext, assetId: string, serviceId: string): EngageRegistration {
  const asset = requireAsset(ctx, assetId);
  requireService(ctx, serviceId, "serviceId");
  if (asset.engageServiceId !== null && asset.engageServiceId !== serviceId)
    throw new HttpProblem(
      409,
      "conflict",
      `AMB asset ${assetId} is registered to Webex Engage with service ${asset.engageServiceId}; unregister it first.`,
    );
  asset.engageServiceId = serviceId;
  return registrationView(asset);
}

export function unregisterFromEngage(asset: AssetRecord): EngageRegistration {
  asset.engageServiceId = null;
  return registrationView(asset);
}

export function unregisterAssetFromEngage(ctx: StoreContext, assetId: string): EngageRegistration {
  return unregisterFromEngage(requireAsset(ctx, assetId));
}

function dataStreamView(asset: AssetRecord) {
  return { assetId: asset.id, enabled: asset.dataStreamEnabled };
}

export function getDataStream(ctx: StoreContext, assetId: string) {
  return dataStreamView(requireAsset(ctx, assetId));
}

export function setDataStream(asset: AssetRecord, enabled: boolean) {
  asset.dataStreamEnabled = enabled;
  return { assetId: asset.id, enabled };
}

export function setAssetDataStream(ctx: StoreContext, assetId: string, enabled: boolean) {
  return setDataStream(requireAsset(ctx, assetId), enabled);
}
