/** Flows of a service: drafts, immutable live versions bound to one AMB asset, portal edits, deactivation. */
import type {
  BodyOf,
  Flow,
  FlowDefinition,
  FlowSummary,
  FlowVersion,
  FlowVersionSummary,
  Page,
} from "../../webexconnect/schemas";
import { HttpProblem } from "../problem";
import type { FlowRecord, VersionRecord } from "../state";
import {
  byCreation,
  deleteFlowRecord,
  newId,
  paginate,
  requireAsset,
  requireFlow,
  requireService,
  type StoreContext,
} from "./context";
import { flowSummaryView, flowView, versionSummaryView, versionView } from "./views";

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
