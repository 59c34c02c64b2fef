/**
 * The emulator's control surface for tests, under /_emulator/ (never in the route table) and
 * guarded by its own token: seed AMB assets as Apple registration would, make out-of-band portal
 * edits, inject faults, read request counts, dump and reset state. createControlClient is the typed
 * way to call it.
 */
import type * as http from "node:http";
import { z } from "zod";
import type { HttpMethod, RouteName } from "../webexconnect/routes";
import { AMB_ASSET_STATUSES, createSchemas, firstIssueField } from "../webexconnect/schemas";
import type { AmbAssetWire, EngageRegistration, FlowDefinition, FlowVersion } from "../webexconnect/schemas";
import { faultRuleInput, type FaultRule, type FaultRuleInput } from "./faults";
import { parseJsonBody, sendJson, problemBody } from "./http";
import type { EmulatorRuntime, RequestRecord } from "./server";
import { emptyState, type EmulatorState } from "./state";
import * as store from "./store";
import { HttpProblem } from "./store";

export const CONTROL_PREFIX = "/_emulator/";
export const CONTROL_TOKEN_HEADER = "x-emulator-control-token";

const seedAssetBody = z.strictObject({
  organizationId: z.string().min(1),
  name: z.string().trim().min(1),
  accountName: z.string().trim().min(1).optional(),
  appId: z.string().min(1).optional(),
  ambAccountId: z.string().min(1).optional(),
  status: z.enum(AMB_ASSET_STATUSES).optional(),
  description: z.string().optional(),
});
const patchAssetBody = z.strictObject({
  status: z.enum(AMB_ASSET_STATUSES).optional(),
  name: z.string().trim().min(1).optional(),
});
const dataStreamBody = z.strictObject({ enabled: z.boolean() });
const portalEditBody = z.strictObject({ definition: createSchemas().flowDefinition });
const clockBody = z.strictObject({ advanceSeconds: z.number().int().positive() });

export interface RequestReport {
  /** Requests per route and method, faulted ones included. */
  counts: Partial<Record<RouteName, Partial<Record<HttpMethod, number>>>>;
  recent: RequestRecord[];
}

function parse<T extends z.ZodType>(schema: T, bodyText: string): z.output<T> {
  const parsed = schema.safeParse(parseJsonBody(bodyText));
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssueField(parsed.error);
  throw new HttpProblem(400, "validation_failed", `Field ${field} ${message}.`, { field });
}

function requireAssetRecord(runtime: EmulatorRuntime, assetId: string) {
  const asset = runtime.state.assets[assetId];
  if (!asset) throw new HttpProblem(404, "not_found", `No AMB asset ${assetId}.`);
  return asset;
}

type ControlAction = (
  runtime: EmulatorRuntime,
  params: string[],
  bodyText: string,
) => { status: number; body?: unknown };

/** [method, path pattern below the prefix, action, whether it changes persisted state]. */
const CONTROL_ROUTES: Array<[string, RegExp, ControlAction, boolean]> = [
  [
    "POST",
    /^assets$/,
    (runtime, _, bodyText) => ({
      status: 201,
      body: store.seedAsset(storeContext(runtime), parse(seedAssetBody, bodyText)),
    }),
    true,
  ],
  [
    "PATCH",
    /^assets\/([^/]+)$/,
    (runtime, [assetId], bodyText) => ({
      status: 200,
      body: store.patchAssetOutOfBand(runtime.state, assetId, parse(patchAssetBody, bodyText)),
    }),
    true,
  ],
  [
    "PUT",
    /^assets\/([^/]+)\/data-stream$/,
    (runtime, [assetId], bodyText) => ({
      status: 200,
      body: store.setDataStream(
        requireAssetRecord(runtime, assetId),
        parse(dataStreamBody, bodyText).enabled,
      ),
    }),
    true,
  ],
  [
    "DELETE",
    /^assets\/([^/]+)\/engage-registration$/,
    (runtime, [assetId]) => ({
      status: 200,
      body: store.unregisterFromEngage(requireAssetRecord(runtime, assetId)),
    }),
    true,
  ],
  [
    "POST",
    /^flows\/([^/]+)\/portal-edit$/,
    (runtime, [flowId], bodyText) => ({
      status: 201,
      body: store.portalEditLiveFlow(
        storeContext(runtime),
        flowId,
        parse(portalEditBody, bodyText).definition,
      ),
    }),
    true,
  ],
  [
    "POST",
    /^faults$/,
    (runtime, _, bodyText) => ({ status: 201, body: runtime.faults.add(parse(faultRuleInput, bodyText)) }),
    false,
  ],
  ["GET", /^faults$/, (runtime) => ({ status: 200, body: runtime.faults.list() }), false],
  [
    "DELETE",
    /^faults$/,
    (runtime) => {
      runtime.faults.clear();
      return { status: 204 };
    },
    false,
  ],
  ["GET", /^requests$/, (runtime) => ({ status: 200, body: requestReport(runtime) }), false],
  [
    "DELETE",
    /^requests$/,
    (runtime) => {
      runtime.counts.clear();
      runtime.recent.length = 0;
      return { status: 204 };
    },
    false,
  ],
  [
    "POST",
    /^clock$/,
    (runtime, _, bodyText) => {
      runtime.advanceClock(parse(clockBody, bodyText).advanceSeconds * 1000);
      return { status: 200, body: { now: new Date(runtime.now()).toISOString() } };
    },
    false,
  ],
  ["GET", /^state$/, (runtime) => ({ status: 200, body: runtime.state }), false],
  [
    "POST",
    /^reset$/,
    (runtime) => {
      runtime.state = emptyState();
      runtime.faults.clear();
      runtime.counts.clear();
      runtime.recent.length = 0;
      runtime.resetRateLimits();
      return { status: 204 };
    },
    true,
  ],
];

function storeContext(runtime: EmulatorRuntime) {
  return { state: runtime.state, random: runtime.random, now: () => new Date(runtime.now()).toISOString() };
}

function requestReport(runtime: EmulatorRuntime): RequestReport {
  const counts: RequestReport["counts"] = {};
  for (const [route, perMethod] of runtime.counts) counts[route] = Object.fromEntries(perMethod);
  return { counts, recent: runtime.recent };
}

export async function handleControlRequest(
  runtime: EmulatorRuntime,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  url: URL,
  bodyText: string,
): Promise<void> {
  if (request.headers[CONTROL_TOKEN_HEADER] !== runtime.controlToken)
    return sendJson(response, 401, {
      code: "unauthorized",
      message: `Control requests need the ${CONTROL_TOKEN_HEADER} header with the emulator's control token.`,
    });
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  for (const [method, pattern, action, mutates] of CONTROL_ROUTES) {
    const match = pattern.exec(path);
    if (!match || method !== request.method) continue;
    try {
      const result = action(runtime, match.slice(1).map(decodeURIComponent), bodyText);
      if (mutates) runtime.persist();
      return sendJson(response, result.status, result.body);
    } catch (error) {
      if (error instanceof HttpProblem) return sendJson(response, error.status, problemBody(error));
      throw error;
    }
  }
  sendJson(response, 404, {
    code: "route_not_found",
    message: `No control route ${request.method} ${url.pathname}.`,
  });
}

/** Typed calls to the control surface of an emulator at `baseUrl`. */
export function createControlClient(baseUrl: string, controlToken: string) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${CONTROL_PREFIX}${path}`, {
      method,
      headers: {
        [CONTROL_TOKEN_HEADER]: controlToken,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Emulator control ${method} ${path} failed with ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const segment = encodeURIComponent;
  return {
    /** An AMB asset as Apple registration plus the MSP link with &name= would create it. */
    seedAsset: (input: store.SeedAssetInput) => request<AmbAssetWire>("POST", "assets", input),
    /** Apple approving the account ("Online"), or a portal user renaming the asset. */
    updateAsset: (assetId: string, patch: z.input<typeof patchAssetBody>) =>
      request<AmbAssetWire>("PATCH", `assets/${segment(assetId)}`, patch),
    setDataStream: (assetId: string, enabled: boolean) =>
      request<{ assetId: string; enabled: boolean }>("PUT", `assets/${segment(assetId)}/data-stream`, {
        enabled,
      }),
    unregisterEngage: (assetId: string) =>
      request<EngageRegistration>("DELETE", `assets/${segment(assetId)}/engage-registration`),
    /** A portal user edits the live flow and makes it live again: a new live version. */
    portalEditFlow: (flowId: string, definition: FlowDefinition) =>
      request<FlowVersion>("POST", `flows/${segment(flowId)}/portal-edit`, { definition }),
    addFault: (rule: FaultRuleInput) => request<FaultRule>("POST", "faults", rule),
    listFaults: () => request<FaultRule[]>("GET", "faults"),
    clearFaults: () => request<void>("DELETE", "faults"),
    requests: () => request<RequestReport>("GET", "requests"),
    clearRequests: () => request<void>("DELETE", "requests"),
    /** Moves the emulator's clock forward: tokens expire as if that much time had passed. */
    advanceClock: (seconds: number) => request<{ now: string }>("POST", "clock", { advanceSeconds: seconds }),
    dumpState: () => request<EmulatorState>("GET", "state"),
    reset: () => request<void>("POST", "reset"),
  };
}

export type EmulatorControl = ReturnType<typeof createControlClient>;
