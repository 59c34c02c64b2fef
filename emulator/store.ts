/**
 * The emulated platform's rules, as operations on the state. Every lookup is scoped to the caller's
 * organization; a failure is an HttpProblem carrying the status and the field at fault.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { ambRegistrationInstructions } from "../lib/appleRegistration";
import { AMB_CHANNEL, AMB_CHANNEL_ID } from "../webexconnect/routes";
import type {
  AmbAssetWire,
  BodyOf,
  EngageRegistration,
  Flow,
  FlowDefinition,
  FlowSummary,
  FlowVersion,
  FlowVersionSummary,
  Page,
  Service,
  ServiceCredentials,
} from "../webexconnect/schemas";
import type { AssetRecord, EmulatorState, FlowRecord, ServiceRecord, VersionRecord } from "./state";

export interface ProblemDetails {
  /** The request field at fault. */
  field?: string;
  /** The permission the caller lacks. */
  requiredScope?: string;
  retryAfterSeconds?: number;
}

/** An error answer of the emulated API: status, machine code, message for the user, and details. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ProblemDetails = {},
  ) {
    super(message);
  }
}

export interface StoreContext {
  state: EmulatorState;
  organizationId: string;
  /** Seeded randomness for ids. */
  random: () => number;
  now: () => string;
}

function newId(ctx: Pick<StoreContext, "state" | "random">, prefix: string): string {
  const serial = ctx.state.nextSerial++;
  const suffix = Math.floor(ctx.random() * 0xffffff)
    .toString(16)
    .padStart(6, "0");
  return `${prefix}-${serial.toString().padStart(4, "0")}-${suffix}`;
}

export function paginate<T>(items: T[], page: number, pageSize: number): Page<T> {
  return { items: items.slice((page - 1) * pageSize, page * pageSize), page, pageSize, total: items.length };
}

function byCreation<T extends { createdAt: string; id: string }>(a: T, b: T): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

// Views: what the API returns for a record (secrets and bookkeeping stay inside).

export function assetView(record: AssetRecord): AmbAssetWire {
  const { id, appId, abcAccountId, name, accountName, description, status, channel, channelId } = record;
  return { id, appId, abcAccountId, name, accountName, description, status, channel, channelId };
}

function serviceView(record: ServiceRecord): Service {
  const { id, name, description, createdAt, updatedAt } = record;
  return { id, name, description, createdAt, updatedAt };
}

function flowSummaryView(record: FlowRecord): FlowSummary {
  const { id, serviceId, name, status, liveVersionId, boundAssetId, createdAt, updatedAt } = record;
  return { id, serviceId, name, status, liveVersionId, boundAssetId, createdAt, updatedAt };
}

export function flowView(record: FlowRecord): Flow {
  return { ...flowSummaryView(record), draftDefinition: record.draftDefinition };
}

function versionSummaryView(record: VersionRecord): FlowVersionSummary {
  const { id, flowId, serviceId, number, assetId, origin, createdAt } = record;
  return { id, flowId, serviceId, number, assetId, origin, createdAt };
}

export function versionView(record: VersionRecord): FlowVersion {
  return { ...versionSummaryView(record), definition: record.definition };
}

// Lookups.

function findInOrg<T extends { organizationId: string }>(
  records: Record<string, T>,
  id: string,
  organizationId: string,
): T | undefined {
  const record = Object.prototype.hasOwnProperty.call(records, id) ? records[id] : undefined;
  return record && record.organizationId === organizationId ? record : undefined;
}

function requireAsset(ctx: StoreContext, assetId: string, field?: string): AssetRecord {
  const asset = findInOrg(ctx.state.assets, assetId, ctx.organizationId);
  if (asset) return asset;
  const message = `No AMB asset ${assetId} in organization ${ctx.organizationId}.`;
  throw field
    ? new HttpProblem(400, "unknown_reference", message, { field })
    : new HttpProblem(404, "not_found", message);
}

function requireService(ctx: StoreContext, serviceId: string, field?: string): ServiceRecord {
  const service = findInOrg(ctx.state.services, serviceId, ctx.organizationId);
  if (service) return service;
  const message = `No service ${serviceId} in organization ${ctx.organizationId}.`;
  throw field
    ? new HttpProblem(400, "unknown_reference", message, { field })
    : new HttpProblem(404, "not_found", message);
}

function requireFlow(ctx: StoreContext, serviceId: string, flowId: string): FlowRecord {
  requireService(ctx, serviceId);
  const flow = findInOrg(ctx.state.flows, flowId, ctx.organizationId);
  if (flow && flow.serviceId === serviceId) return flow;
  throw new HttpProblem(404, "not_found", `No flow ${flowId} in service ${serviceId}.`);
}

function liveFlowsBoundTo(state: EmulatorState, assetId: string): FlowRecord[] {
  return Object.values(state.flows).filter((flow) => flow.status === "live" && flow.boundAssetId === assetId);
}

// AMB assets.

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

function registrationView(asset: AssetRecord): EngageRegistration {
  return { assetId: asset.id, registered: asset.engageServiceId !== null, serviceId: asset.engageServiceId };
}

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

export function getDataStream(ctx: StoreContext, assetId: string) {
  const asset = requireAsset(ctx, assetId);
  return { assetId: asset.id, enabled: asset.dataStreamEnabled };
}

export function setDataStream(asset: AssetRecord, enabled: boolean) {
  asset.dataStreamEnabled = enabled;
  return { assetId: asset.id, enabled };
}

export function setAssetDataStream(ctx: StoreContext, assetId: string, enabled: boolean) {
  return setDataStream(requireAsset(ctx, assetId), enabled);
}

// Services.

export function createService(ctx: StoreContext, body: BodyOf<"service.create">): Service {
  const now = ctx.now();
  const record: ServiceRecord = {
    id: newId(ctx, "svc"),
    organizationId: ctx.organizationId,
    name: body.name,
    description: body.description ?? "",
    serviceKey: randomUUID(),
    jwtSecret: randomBytes(32).toString("base64"),
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.services[record.id] = record;
  return serviceView(record);
}

export function listServices(
  ctx: StoreContext,
  page: number,
  pageSize: number,
  name?: string,
): Page<Service> {
  const services = Object.values(ctx.state.services).filter(
    (service) =>
      service.organizationId === ctx.organizationId && (name === undefined || service.name === name),
  );
  return paginate(services.sort(byCreation).map(serviceView), page, pageSize);
}

export function getService(ctx: StoreContext, serviceId: string): Service {
  return serviceView(requireService(ctx, serviceId));
}

export function updateService(ctx: StoreContext, serviceId: string, body: BodyOf<"service.update">): Service {
  const service = requireService(ctx, serviceId);
  service.name = body.name;
  service.description = body.description;
  service.updatedAt = ctx.now();
  return serviceView(service);
}

export function deleteService(ctx: StoreContext, serviceId: string): void {
  const service = requireService(ctx, serviceId);
  const flows = Object.values(ctx.state.flows).filter((flow) => flow.serviceId === service.id);
  const live = flows.filter((flow) => flow.status === "live");
  if (live.length > 0)
    throw new HttpProblem(
      409,
      "conflict",
      `Service ${serviceId} has live flow(s) ${live.map((flow) => flow.name).join(", ")}; deactivate them first.`,
    );
  const registered = Object.values(ctx.state.assets).filter((asset) => asset.engageServiceId === service.id);
  if (registered.length > 0)
    throw new HttpProblem(
      409,
      "conflict",
      `Service ${serviceId} is used by the Webex Engage registration of asset(s) ${registered.map((asset) => asset.id).join(", ")}; unregister them first.`,
    );
  for (const flow of flows) deleteFlowRecord(ctx.state, flow);
  delete ctx.state.services[service.id];
}

export function getServiceCredentials(ctx: StoreContext, serviceId: string): ServiceCredentials {
  const service = requireService(ctx, serviceId);
  return { serviceId: service.id, serviceKey: service.serviceKey, jwtSecret: service.jwtSecret };
}

// Flows and versions.

function deleteFlowRecord(state: EmulatorState, flow: FlowRecord): void {
  for (const version of Object.values(state.versions))
    if (version.flowId === flow.id) delete state.versions[version.id];
  delete state.flows[flow.id];
}

export function listFlows(
  ctx: StoreContext,
  serviceId: string,
  page: number,
  pageSize: number,
  name?: string,
): Page<FlowSummary> {
  requireService(ctx, serviceId);
  const flows = Object.values(ctx.state.flows).filter(
    (flow) => flow.serviceId === serviceId && (name === undefined || flow.name === name),
  );
  return paginate(flows.sort(byCreation).map(flowSummaryView), page, pageSize);
}

export function importFlow(ctx: StoreContext, serviceId: string, body: BodyOf<"flow.import">): Flow {
  requireService(ctx, serviceId);
  const now = ctx.now();
  const record: FlowRecord = {
    id: newId(ctx, "flow"),
    organizationId: ctx.organizationId,
    serviceId,
    name: body.name,
    status: "draft",
    liveVersionId: null,
    boundAssetId: null,
    draftDefinition: body.definition,
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.flows[record.id] = record;
  return flowView(record);
}

export function getFlow(ctx: StoreContext, serviceId: string, flowId: string): Flow {
  return flowView(requireFlow(ctx, serviceId, flowId));
}

export function renameFlow(ctx: StoreContext, serviceId: string, flowId: string, name: string): Flow {
  const flow = requireFlow(ctx, serviceId, flowId);
  flow.name = name;
  flow.updatedAt = ctx.now();
  return flowView(flow);
}

export function saveFlowDraft(
  ctx: StoreContext,
  serviceId: string,
  flowId: string,
  definition: FlowDefinition,
): Flow {
  const flow = requireFlow(ctx, serviceId, flowId);
  flow.draftDefinition = definition;
  flow.updatedAt = ctx.now();
  return flowView(flow);
}

export function deleteFlow(ctx: StoreContext, serviceId: string, flowId: string): void {
  const flow = requireFlow(ctx, serviceId, flowId);
  if (flow.status === "live")
    throw new HttpProblem(
      409,
      "conflict",
      `Flow ${flow.name} (${flowId}) is live; deactivate it before deleting it.`,
    );
  deleteFlowRecord(ctx.state, flow);
}

/** A new immutable version of the definition, made live and bound to the asset. */
export function addLiveVersion(
  ctx: Omit<StoreContext, "organizationId">,
  flow: FlowRecord,
  assetId: string,
  definition: FlowDefinition,
  origin: VersionRecord["origin"],
): VersionRecord {
  const number = Object.values(ctx.state.versions).filter((version) => version.flowId === flow.id).length + 1;
  const now = ctx.now();
  const version: VersionRecord = {
    id: newId(ctx, "ver"),
    organizationId: flow.organizationId,
    serviceId: flow.serviceId,
    flowId: flow.id,
    number,
    assetId,
    origin,
    definition: structuredClone(definition),
    createdAt: now,
  };
  ctx.state.versions[version.id] = version;
  Object.assign(flow, { status: "live", liveVersionId: version.id, boundAssetId: assetId, updatedAt: now });
  return version;
}

export function publishFlow(ctx: StoreContext, serviceId: string, flowId: string, assetId: string) {
  const flow = requireFlow(ctx, serviceId, flowId);
  requireAsset(ctx, assetId, "assetId");
  if (flow.status === "live" && flow.boundAssetId !== assetId)
    throw new HttpProblem(
      409,
      "conflict",
      `Flow ${flow.name} (${flowId}) is live on AMB asset ${flow.boundAssetId}; a live flow is bound to exactly one asset. ` +
        `Deactivate it before making it live on ${assetId}.`,
    );
  const version = addLiveVersion(ctx, flow, assetId, flow.draftDefinition, "api");
  return { versionId: version.id, flow: flowView(flow) };
}

/** A portal user edited the live flow and made it live again: a new version, draft included. */
export function portalEditLiveFlow(
  ctx: Omit<StoreContext, "organizationId">,
  flowId: string,
  definition: FlowDefinition,
): FlowVersion {
  const flow = ctx.state.flows[flowId];
  if (!flow) throw new HttpProblem(404, "not_found", `No flow ${flowId}.`);
  if (flow.status !== "live" || flow.boundAssetId === null)
    throw new HttpProblem(
      409,
      "conflict",
      `Flow ${flowId} is ${flow.status}; a portal edit of the live definition needs a live flow.`,
    );
  flow.draftDefinition = structuredClone(definition);
  return versionView(addLiveVersion(ctx, flow, flow.boundAssetId, definition, "portal"));
}

export function deactivateFlow(ctx: StoreContext, serviceId: string, flowId: string): Flow {
  const flow = requireFlow(ctx, serviceId, flowId);
  if (flow.status === "live")
    Object.assign(flow, {
      status: "inactive",
      liveVersionId: null,
      boundAssetId: null,
      updatedAt: ctx.now(),
    });
  return flowView(flow);
}

export function listVersions(
  ctx: StoreContext,
  serviceId: string,
  flowId: string,
  page: number,
  pageSize: number,
): Page<FlowVersionSummary> {
  requireFlow(ctx, serviceId, flowId);
  const versions = Object.values(ctx.state.versions)
    .filter((version) => version.flowId === flowId)
    .sort((a, b) => a.number - b.number);
  return paginate(versions.map(versionSummaryView), page, pageSize);
}

export function getVersion(
  ctx: StoreContext,
  serviceId: string,
  flowId: string,
  versionId: string,
): FlowVersion {
  requireFlow(ctx, serviceId, flowId);
  const version = ctx.state.versions[versionId];
  if (!version || version.flowId !== flowId)
    throw new HttpProblem(404, "not_found", `No version ${versionId} of flow ${flowId}.`);
  return versionView(version);
}
