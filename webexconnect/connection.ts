/**
 * What every call of the client shares: the checked options, one transport (token renewal, retries, scrubbing), the
 * organization, the page size, and the pause between the attempts of a guarded create. The client (client.ts) is the
 * set of operations the providers and ops make on one connection; the tests add theirs on the same connection
 * (test/webexconnect/testOnlyCalls.ts).
 */
import { randomUUID } from "node:crypto";
import { isRegion, REGIONS } from "../lib/facts";
import type { WebexCredential } from "./credentials";
import { NotFoundError } from "./errors";
import { paginate } from "./pagination";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
import type { RouteName } from "./routes";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from "./schemas";
import { systemClock, type CallScope, type Clock } from "./clock";
import { createTransport, type Logger, type Transport } from "./transport";
import type { BaseUrlOptions } from "./urls";

export interface WebexConnectClientOptions extends BaseUrlOptions {
  /** A static bearer token (a personal access token lasts 12 hours). Give this or `credential`. Never logged. */
  token?: string;
  /** A static token or a renewing credential (OAuth refresh-token grant), see credentials.ts. Never logged. */
  credential?: WebexCredential;
  /** Lines an operator should act on, e.g. a refresh token about to expire; never contains a secret. */
  notice?: (message: string) => void;
  organizationId: string;
  retry?: Partial<RetryPolicy>;
  /** Total time budget of one logical call, retries included. */
  deadlineMs?: number;
  /** Time budget of one HTTP attempt. */
  requestTimeoutMs?: number;
  /** Items per page for list calls (1–100). */
  pageSize?: number;
  logger?: Logger;
  /** Injected time, sleep and randomness, for tests. */
  clock?: Partial<Clock>;
  newTrackingId?: () => string;
}

export interface ListOptions {
  pageSize?: number;
}
export interface NamedListOptions extends ListOptions {
  /** Exact name to filter by. */
  name?: string;
}

const DEFAULT_DEADLINE_MS = 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

const blank = (value: unknown) => typeof value !== "string" || value.trim() === "";

function credentialProblems(options: WebexConnectClientOptions): string[] {
  const { token, credential } = options;
  if (token !== undefined && credential !== undefined) return ["pass either token or credential, not both"];
  if (credential === undefined || credential.kind === "token") {
    return blank(token ?? credential?.token)
      ? [
          "token is empty: pass a Webex access token, or a renewing credential " +
            '({ kind: "refreshToken", clientId, clientSecret, refreshToken })',
        ]
      : [];
  }
  return (["clientId", "clientSecret", "refreshToken"] as const)
    .filter((field) => blank(credential[field]))
    .map(
      (field) =>
        `credential.${field} is empty: the renewing credential needs client id, secret and refresh token`,
    );
}

/** The credential the options give: `credential`, or `token` as a static one. */
function credentialOf(options: WebexConnectClientOptions): WebexCredential {
  return options.credential ?? { kind: "token", token: options.token! };
}

function checkOptions(options: WebexConnectClientOptions): void {
  const problems: string[] = credentialProblems(options);
  if (typeof options.organizationId !== "string" || options.organizationId.trim() === "")
    problems.push(
      "organizationId is empty: pass the Webex Connect organization ID (sent as x-organization-id)",
    );
  if (options.region !== undefined && !isRegion(options.region))
    problems.push(`region ${JSON.stringify(options.region)} is unknown: use one of ${REGIONS.join(", ")}`);
  if (!options.region && !options.baseUrl)
    problems.push(`set region (one of ${REGIONS.join(", ")}) or baseUrl`);
  for (const url of [options.baseUrl, options.modeledBaseUrl])
    if (url !== undefined && !/^https?:\/\/[^/\s]+/.test(url))
      problems.push(`base URL ${JSON.stringify(url)} is not an http(s) URL`);
  for (const name of ["deadlineMs", "requestTimeoutMs"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0))
      problems.push(`${name} ${value} is not a positive number of milliseconds`);
  }
  const pageSize = options.pageSize;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE))
    problems.push(`pageSize ${pageSize} is out of range: use an integer from 1 to ${MAX_PAGE_SIZE}`);
  if (problems.length > 0) throw new Error(`Invalid Webex Connect client options: ${problems.join("; ")}.`);
}

export interface Connection extends Pick<Transport, "call" | "newScope" | "addSecrets"> {
  organizationId: string;
  retry: RetryPolicy;
  /** Waits before the n-th repeat (n ≥ 1) of a guarded create. */
  pause(retryNumber: number): Promise<void>;
  /** The items of a list route, page by page (the connection's page size unless `list` gives one). */
  pages<T>(
    fetchPage: (page: number, pageSize: number) => Promise<Page<T>>,
    list?: ListOptions,
  ): AsyncGenerator<T, void, undefined>;
  /** The error of a lookup that found nothing (no 404 came back: a search by natural key came up empty). */
  notFound(route: RouteName, scope: CallScope, subject: string, hint: string): NotFoundError;
}

/** Checks the options (every problem at once, in one error) and opens the transport. */
export function openConnection(options: WebexConnectClientOptions): Connection {
  checkOptions(options);
  const clock: Clock = { ...systemClock, ...options.clock };
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const organizationId = options.organizationId;
  const transport = createTransport({
    credential: credentialOf(options),
    notice: options.notice,
    organizationId,
    baseUrls: { region: options.region, baseUrl: options.baseUrl, modeledBaseUrl: options.modeledBaseUrl },
    retry,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    logger: options.logger,
    clock,
    newTrackingId: options.newTrackingId ?? (() => `amb-cce_${randomUUID()}`),
    secrets: new Set(),
  });
  const defaultPageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  return {
    organizationId,
    retry,
    call: transport.call,
    newScope: transport.newScope,
    addSecrets: transport.addSecrets,
    pause: (retryNumber) => clock.sleep(backoffDelayMs(retryNumber, retry, clock.random)),
    pages: (fetchPage, list = {}) => {
      const pageSize = list.pageSize ?? defaultPageSize;
      return paginate((page) => fetchPage(page, pageSize));
    },
    notFound: (route, scope, subject, hint) =>
      new NotFoundError(transport.context(route, scope), subject, organizationId, hint),
  };
}
