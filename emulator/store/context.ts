/**
 * What every store operation works on: the state, the caller's organization, seeded ids, paging, and the lookups
 * that scope every record to the caller's organization (a miss is an HttpProblem naming what was not found).
 */
import type { Page } from "../../webexconnect/schemas";
import { HttpProblem } from "../problem";
import type { AssetRecord, EmulatorState, FlowRecord, ServiceRecord } from "../state";

export interface StoreContext {
  state: EmulatorState;
  organizationId: string;
  /** Seeded randomness for ids. */
  random: () => number;
  now: () => string;
}

export function newId(ctx: Pick<StoreContext, "state" | "random">, prefix: string): string {
  const serial = ctx.state.nextSerial++;
  const suffix = Math.floor(ctx.random() * 0xffffff)
    .toString(16)
    .padStart(6, "0");
  return `${prefix}-${serial.toString().padStart(4, "0")}-${suffix}`;
}

export function paginate<T>(items: T[], page: number, pageSize: number): Page<T> {
  return { items: items.slice((page - 1) * pageSize, page * pageSize), page, pageSize, total: items.length };
}

export function byCreation<T extends { createdAt: string; id: string }>(a: T, b: T): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

function findInOrg<T extends { organizationId: string }>(
  records: Record<string, T>,
  id: string,
  organizationId: string,
): T | undefined {
  const record = Object.prototype.hasOwnProperty.call(records, id) ? records[id] : undefined;
  return record && record.organizationId === organizationId ? record : undefined;
}

export function requireAsset(ctx: StoreContext, assetId: string, field?: string): AssetRecord {
  const asset = findInOrg(ctx.state.assets, assetId, ctx.organizationId);
  if (asset) return asset;
  const message = `No AMB asset ${assetId} in organization ${ctx.organizationId}.`;
  throw field
    ? new HttpProblem(400, "unknown_reference", message, { field })
    : new HttpProblem(404, "not_found", message);
}

export function requireService(ctx: StoreContext, serviceId: string, field?: string): ServiceRecord {
  const service = findInOrg(ctx.state.services, serviceId, ctx.organizationId);
  if (service) return service;
  const message = `No service ${serviceId} in organization ${ctx.organizationId}.`;
  throw field
    ? new HttpProblem(400, "unknown_reference", message, { field })
    : new HttpProblem(404, "not_found", message);
}

export function requireFlow(ctx: StoreContext, serviceId: string, flowId: string): FlowRecord {
  requireService(ctx, serviceId);
  const flow = findInOrg(ctx.state.flows, flowId, ctx.organizationId);
  if (flow && flow.serviceId === serviceId) return flow;
  throw new HttpProblem(404, "not_found", `No flow ${flowId} in service ${serviceId}.`);
}

export function liveFlowsBoundTo(state: EmulatorState, assetId: string): FlowRecord[] {
  return Object.values(state.flows).filter((flow) => flow.status === "live" && flow.boundAssetId === assetId);
}

export function deleteFlowRecord(state: EmulatorState, flow: FlowRecord): void {
  for (const version of Object.values(state.versions))
    if (version.flowId === flow.id) delete state.versions[version.id];
  delete state.flows[flow.id];
}
