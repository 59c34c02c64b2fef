/**
 * The emulator's control routes (the contract is controlApi.ts): seed AMB assets as Apple registration would, make
 * out-of-band portal edits, inject faults, read request counts, move the clock, dump and reset state.
 */
import type * as http from "node:http";
import type { z } from "zod";
import { firstIssueField } from "../webexconnect/schemas";
import {
  clockBody,
  CONTROL_PREFIX,
  CONTROL_TOKEN_HEADER,
  dataStreamBody,
  patchAssetBody,
  portalEditBody,
  seedAssetBody,
  type RequestReport,
} from "./controlApi";
import { faultRuleInput } from "./faults";
import { parseJsonBody, sendJson } from "./http";
import { HttpProblem, problemBody } from "./problem";
import { unscopedStore, type EmulatorRuntime } from "./runtime";
import { emptyState } from "./state";
import { patchAssetOutOfBand, seedAsset, setDataStream, unregisterFromEngage } from "./store/assets";
import { portalEditLiveFlow } from "./store/flows";

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
      body: seedAsset(unscopedStore(runtime), parse(seedAssetBody, bodyText)),
    }),
    true,
  ],
  [
    "PATCH",
    /^assets\/([^/]+)$/,
    (runtime, [assetId], bodyText) => ({
      status: 200,
      body: patchAssetOutOfBand(runtime.state, assetId, parse(patchAssetBody, bodyText)),
    }),
    true,
  ],
  [
    "PUT",
    /^assets\/([^/]+)\/data-stream$/,
    (runtime, [assetId], bodyText) => ({
      status: 200,
      body: setDataStream(requireAssetRecord(runtime, assetId), parse(dataStreamBody, bodyText).enabled),
    }),
    true,
  ],
  [
    "DELETE",
    /^assets\/([^/]+)\/engage-registration$/,
    (runtime, [assetId]) => ({
      status: 200,
      body: unregisterFromEngage(requireAssetRecord(runtime, assetId)),
    }),
    true,
  ],
  [
    "POST",
    /^flows\/([^/]+)\/portal-edit$/,
    (runtime, [flowId], bodyText) => ({
      status: 201,
      body: portalEditLiveFlow(unscopedStore(runtime), flowId, parse(portalEditBody, bodyText).definition),
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
