/**
 * A local Webex Connect: a real HTTP server on loopback that serves exactly the routes of
 * webexconnect/routes.ts, with auth, per-token rate limits, validation, persisted state, and a
 * control surface under /_emulator/ for tests (controlRoutes.ts; its client is controlClient.ts).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomInt } from "node:crypto";
import type { HttpMethod, RouteName, RouteSpec } from "../webexconnect/routes";
import { bearerToken, headerValue, matchRoute, validatedInput } from "./apiRequest";
import { createAuthority, type OAuthClient, type TokenGrant } from "./auth";
import { CONTROL_PREFIX } from "./controlApi";
import { createControlClient, type EmulatorControl } from "./controlClient";
import { handleControlRequest } from "./controlRoutes";
import { createFaultInjector, seededRandom, type FaultAction } from "./faults";
import { HANDLERS, type ApiRoute, type HandlerInput } from "./handlers";
import { readBody, sendJson } from "./http";
import { HttpProblem, problemBody } from "./problem";
import { createRateLimiter, type RateLimit } from "./rateLimit";
import { storeContext, type EmulatorRuntime, type RequestRecord } from "./runtime";
import { loadState, saveState } from "./state";

export const DEFAULT_TOKEN = "emulator-token";
export const DEFAULT_ORGANIZATION_ID = "emulator-org";
/** The default OAuth client (an integration authorized for DEFAULT_ORGANIZATION_ID): the renewing credential. */
export const DEFAULT_CLIENT_ID = "emulator-client";
export const DEFAULT_CLIENT_SECRET = "emulator-client-secret";
export const DEFAULT_REFRESH_TOKEN = "emulator-refresh-token";
export const DEFAULT_CONTROL_TOKEN = "emulator-control";
export const DEFAULT_RATE_LIMIT: RateLimit = { capacity: 100, refillPerSecond: 50 };
const RECENT_REQUESTS_KEPT = 2000;

export type { OAuthClient, TokenGrant } from "./auth";

export interface EmulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  dataDir: string;
  /** Makes fault probabilities and id suffixes repeatable. */
  seed?: number;
  /** Static bearer tokens and their organizations; defaults to DEFAULT_TOKEN for DEFAULT_ORGANIZATION_ID. */
  tokens?: Record<string, TokenGrant>;
  /** OAuth clients by client id, for the token route; defaults to DEFAULT_CLIENT_ID for DEFAULT_ORGANIZATION_ID. */
  oauthClients?: Record<string, OAuthClient>;
  controlToken?: string;
  rateLimit?: RateLimit;
}

export interface RunningEmulator {
  url: string;
  port: number;
  control: EmulatorControl;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const tokens = options.tokens ?? { [DEFAULT_TOKEN]: { organizationId: DEFAULT_ORGANIZATION_ID } };
  const oauthClients = options.oauthClients ?? {
    [DEFAULT_CLIENT_ID]: {
      clientSecret: DEFAULT_CLIENT_SECRET,
      refreshToken: DEFAULT_REFRESH_TOKEN,
      organizationId: DEFAULT_ORGANIZATION_ID,
    },
  };
  let clockOffsetMs = 0;
  const now = () => Date.now() + clockOffsetMs;
  const authority = createAuthority(tokens, oauthClients, now);
  const defaultRateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const random = seededRandom(options.seed ?? randomInt(2 ** 31));
  const limiter = createRateLimiter(() => Date.now());
  const runtime: EmulatorRuntime = {
    dataDir: options.dataDir,
    state: loadState(options.dataDir),
    faults: createFaultInjector(random),
    random,
    counts: new Map(),
    recent: [],
    controlToken: options.controlToken ?? DEFAULT_CONTROL_TOKEN,
    persist: () => saveState(options.dataDir, runtime.state),
    resetRateLimits: () => limiter.reset(),
    now,
    advanceClock: (ms) => {
      clockOffsetMs += ms;
    },
  };
  saveState(options.dataDir, runtime.state);

  function record(
    route: RouteName,
    method: HttpMethod,
    trackingId: string | undefined,
    outcome: RequestRecord["outcome"],
  ) {
    const perMethod = runtime.counts.get(route) ?? new Map<HttpMethod, number>();
    perMethod.set(method, (perMethod.get(method) ?? 0) + 1);
    runtime.counts.set(route, perMethod);
    runtime.recent.push({ route, method, trackingId, outcome });
    if (runtime.recent.length > RECENT_REQUESTS_KEPT) runtime.recent.shift();
  }

  function applyTerminalFault(
    response: http.ServerResponse,
    action: FaultAction,
    headers: Record<string, string>,
  ): number | "dropped" {
    if (action.type === "drop") {
      response.socket?.destroy();
      return "dropped";
    }
    if (action.type !== "status") return 0;
    const faultHeaders = { ...headers };
    if (action.retryAfterSeconds !== undefined)
      faultHeaders["retry-after"] = String(action.retryAfterSeconds);
    sendJson(
      response,
      action.status,
      { code: "injected_fault", message: action.message ?? `Injected fault: status ${action.status}.` },
      faultHeaders,
    );
    return action.status;
  }

  /** Auth, organization, permission and rate limit, in the order a gateway checks them. */
  function authorize(request: http.IncomingMessage, spec: RouteSpec): string {
    const token = bearerToken(request);
    const grant = authority.bearer(token);
    const organizationId = headerValue(request, "x-organization-id");
    if (!organizationId)
      throw new HttpProblem(400, "missing_header", "The x-organization-id header is required.", {
        field: "x-organization-id",
      });
    if (organizationId !== grant.organizationId)
      throw new HttpProblem(
        403,
        "forbidden",
        `The token does not grant access to organization ${organizationId}.`,
      );
    if (grant.permissions && !grant.permissions.includes(spec.permission))
      throw new HttpProblem(403, "forbidden", `The token lacks the permission ${spec.permission}.`, {
        requiredScope: spec.permission,
      });
    const decision = limiter.take(token!, grant.rateLimit ?? defaultRateLimit);
    if (!decision.allowed)
      throw new HttpProblem(429, "rate_limited", "Too many requests for this token.", {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    return organizationId;
  }

  async function handleApiRequest(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    bodyText: string,
  ) {
    const method = request.method ?? "GET";
    const matched = matchRoute(method, url.pathname);
    if (matched === undefined)
      return sendJson(response, 404, {
        code: "route_not_found",
        message: `No route ${method} ${url.pathname}.`,
      });
    if (matched === "method")
      return sendJson(response, 405, {
        code: "method_not_allowed",
        message: `${url.pathname} does not accept ${method}.`,
      });
    const { route, params } = matched;
    const trackingId = headerValue(request, "trackingid");
    const headers: Record<string, string> = trackingId ? { trackingid: trackingId } : {};
    /** Answers (or cuts) the request with the fault that fired, if one did. */
    const answeredByFault = (terminal: FaultAction | undefined): boolean => {
      if (terminal)
        record(route.name, route.spec.method, trackingId, applyTerminalFault(response, terminal, headers));
      return terminal !== undefined;
    };
    const before = runtime.faults.fire(route.name, route.spec.method, "before");
    if (before.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, before.latencyMs));
    if (answeredByFault(before.terminal)) return;

    let status: number;
    let body: unknown;
    try {
      if (route.name === "auth.accessToken") {
        const { body: grant } = validatedInput(route.name, route.spec, url, bodyText);
        status = 200;
        body = authority.exchange(grant as HandlerInput<"auth.accessToken">["body"]);
      } else {
        const organizationId = authorize(request, route.spec);
        const input = validatedInput(route.name, route.spec, url, bodyText);
        const store = storeContext(runtime, organizationId);
        const handler = HANDLERS[route.name as ApiRoute] as (input: HandlerInput<RouteName>) => {
          status: number;
          body?: unknown;
        };
        ({ status, body } = handler({ store, params, ...input }));
        if (route.spec.method !== "GET") runtime.persist();
      }
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      const retryAfter = error.details.retryAfterSeconds;
      if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
      status = error.status;
      body = problemBody(error);
    }
    if (answeredByFault(runtime.faults.fire(route.name, route.spec.method, "after").terminal)) return;
    sendJson(response, status, body, headers);
    record(route.name, route.spec.method, trackingId, status);
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    readBody(request)
      .then((bodyText) =>
        url.pathname.startsWith(CONTROL_PREFIX)
          ? handleControlRequest(runtime, request, response, url, bodyText)
          : handleApiRequest(request, response, url, bodyText),
      )
      .catch((error: unknown) => {
        if (response.headersSent) return;
        if (error instanceof HttpProblem) return sendJson(response, error.status, problemBody(error));
        sendJson(response, 500, {
          code: "emulator_error",
          message: `Emulator bug: ${(error as Error).message}`,
        });
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
  return {
    url,
    port,
    control: createControlClient(url, runtime.controlToken),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
