/**
 * One logical call = one route, one trackingid, one deadline, several attempts. Retries follow
 * retry.ts; responses are validated with the route's zod schema; failures become typed errors.
 */
import {
  createAccessTokenSource,
  credentialSecrets,
  rejectedAccessTokenAdvice,
  rejectedRefreshTokenAdvice,
  type WebexCredential,
} from "./credentials";
import {
  AuthError,
  ConfigurationError,
  NetworkError,
  UnexpectedResponseError,
  errorForStatus,
  parseErrorBody,
  redactSecrets,
  type CallContext,
  type WebexConnectError,
} from "./errors";
import {
  isRetryableNetworkFailure,
  networkFailureWasSent,
  nextDelayMs,
  parseRetryAfterMs,
  isRetryableStatus,
  statusIsAmbiguous,
  type RetryPolicy,
} from "./retry";
import type { CallScope, Clock } from "./clock";
import { sendAttempt, type Outcome } from "./http";
import { ROUTES, type RouteName, type RouteSpec } from "./routes";
import { buildUrl, resolveBaseUrl, type BaseUrlOptions, type PathParams, type QueryValue } from "./urls";
import { responses, type ResponseOf } from "./schemas";

export interface LogEntry {
  level: "debug";
  message: string;
  route: RouteName;
  method: string;
  status: number | undefined;
  attempt: number;
  trackingId: string;
  durationMs: number;
}
/** Receives one line per attempt; never headers or bodies. */
export type Logger = (entry: LogEntry) => void;

export interface CallOptions {
  params?: PathParams;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** What is looked up, for a 404 message: e.g. "Flow f-1 in service s-1". */
  subject: string;
  notFoundHint?: string;
  scope?: CallScope;
}

export interface TransportOptions {
  credential: WebexCredential;
  /** Lines an operator should act on (a refresh token about to expire or rotated); never secrets. */
  notice?: (message: string) => void;
  organizationId: string;
  baseUrls: BaseUrlOptions;
  retry: RetryPolicy;
  deadlineMs: number;
  requestTimeoutMs: number;
  logger?: Logger;
  clock: Clock;
  newTrackingId: () => string;
  /** Values scrubbed from every message and log line; grows as credentials are read and tokens renewed. */
  secrets: Set<string>;
}

export interface Transport {
  call<R extends RouteName>(route: R, options: CallOptions): Promise<ResponseOf<R>>;
  newScope(): CallScope;
  /** Errors this transport raised outside HTTP (e.g. a lookup that found nothing) share its context format. */
  context(route: RouteName, scope: CallScope, status?: number): CallContext;
  /** Adds values (e.g. service credentials just read) to what is scrubbed from messages and logs. */
  addSecrets(...values: string[]): void;
}

const TOKEN_ROUTE = "auth.accessToken" satisfies RouteName;

interface Failure {
  error: WebexConnectError;
  retryable: boolean;
  retryAfterMs: number | undefined;
}

export function createTransport(options: TransportOptions): Transport {
  const { clock, retry } = options;
  const redact = (text: string) => redactSecrets(text, options.secrets);
  addSecrets(...credentialSecrets(options.credential));
  const tokens = createAccessTokenSource({
    credential: options.credential,
    clock,
    grant: (body, scope) => call(TOKEN_ROUTE, { body, subject: "The access token", scope }),
    addSecrets,
    notice: options.notice,
  });

  function newScope(): CallScope {
    return { trackingId: options.newTrackingId(), deadline: clock.now() + options.deadlineMs };
  }

  function context(route: RouteName, scope: CallScope, status?: number, attempts = 1): CallContext {
    return { method: ROUTES[route].method, route, trackingId: scope.trackingId, status, attempts };
  }

  function parseSuccess<R extends RouteName>(route: R, text: string, ctx: CallContext): ResponseOf<R> {
    let json: unknown = undefined;
    if (text.trim() !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        throw new UnexpectedResponseError(
          ctx,
          `the body is not JSON (starts with ${JSON.stringify(redact(text.slice(0, 40)))})`,
        );
      }
    }
    const parsed = responses[route].safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue.path.join(".") || "(root)";
      throw new UnexpectedResponseError(
        ctx,
        `${path}: ${issue.message}. The route table may not match this tenant's API.`,
      );
    }
    return parsed.data as ResponseOf<R>;
  }

  function classify(
    route: RouteName,
    outcome: Outcome,
    ctx: CallContext,
    request: CallOptions,
    elapsedMs: number,
  ): Failure {
    const idempotent = ROUTES[route].idempotent;
    if (outcome.kind === "network") {
      const sent = networkFailureWasSent(outcome);
      return {
        error: new NetworkError(ctx, outcome.code, outcome.message, sent),
        retryable: isRetryableNetworkFailure(outcome) && (idempotent || !sent),
        retryAfterMs: undefined,
      };
    }
    const ambiguous = statusIsAmbiguous(outcome.status);
    const body = parseErrorBody(outcome.text);
    const scrubbed = body && {
      ...body,
      message: redact(body.message),
      field: body.field && redact(body.field),
    };
    const { credential } = options;
    const grantRefused =
      route === TOKEN_ROUTE &&
      credential.kind === "refreshToken" &&
      outcome.status >= 400 &&
      outcome.status < 500 &&
      outcome.status !== 429;
    const error = grantRefused
      ? new AuthError(ctx, scrubbed ? ` (${scrubbed.message})` : "", rejectedRefreshTokenAdvice(credential))
      : errorForStatus({
          context: ctx,
          organizationId: options.organizationId,
          subject: request.subject,
          notFoundHint: request.notFoundHint,
          body: scrubbed,
          elapsedMs,
          ambiguous,
          authAdvice: rejectedAccessTokenAdvice(credential),
        });
    return {
      error,
      retryable: isRetryableStatus(outcome.status, idempotent),
      retryAfterMs: parseRetryAfterMs(outcome.retryAfter, clock.now()),
    };
  }

  async function call<R extends RouteName>(route: R, request: CallOptions): Promise<ResponseOf<R>> {
    const scope = request.scope ?? newScope();
    const started = clock.now();
    const base = resolveBaseUrl(route, options.baseUrls);
    if (!base.ok) throw new ConfigurationError(context(route, scope), base.message);
    const url = buildUrl(base.baseUrl, route, request.params, request.query);
    let sawAmbiguousFailure = false;
    let renewedAfterRejection = false;
    const spec: RouteSpec = ROUTES[route];
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = clock.now();
      const remainingMs = scope.deadline - attemptStarted;
      // Only the first attempt can start late: an operation spanning several calls used up the shared deadline.
      if (remainingMs <= 0)
        throw new NetworkError(
          context(route, scope),
          "ETIMEDOUT",
          `the operation's deadline of ${options.deadlineMs} ms passed before this request was sent; raise deadlineMs or retry`,
          false,
        );
      const timeoutMs = Math.min(options.requestTimeoutMs, remainingMs);
      const bearer = spec.bearer === false ? undefined : await tokens.bearer(scope);
      const outcome = await sendAttempt({
        url,
        route,
        body: request.body,
        timeoutMs,
        trackingId: scope.trackingId,
        bearer,
        organizationId: options.organizationId,
        redact,
      });
      const status = outcome.kind === "response" ? outcome.status : undefined;
      const ctx = context(route, scope, status, attempt);
      const result =
        outcome.kind === "response"
          ? String(outcome.status)
          : `network error ${outcome.code ?? outcome.message}`;
      options.logger?.({
        level: "debug",
        message: redact(
          `${ctx.method} ${route} -> ${result} (attempt ${attempt}, trackingid ${scope.trackingId})`,
        ),
        route,
        method: ctx.method,
        status,
        attempt,
        trackingId: scope.trackingId,
        durationMs: clock.now() - attemptStarted,
      });
      if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300)
        return parseSuccess(route, outcome.text, ctx);
      // A repeated DELETE that finds nothing means an earlier, unanswered attempt already deleted it.
      if (status === 404 && ctx.method === "DELETE" && sawAmbiguousFailure) return undefined as ResponseOf<R>;
      // A renewed access token rejected early (revoked, or the server forgot it): renew once and try again.
      if (status === 401 && bearer !== undefined && !renewedAfterRejection && tokens.invalidate(bearer)) {
        renewedAfterRejection = true;
        continue;
      }
      const failure = classify(route, outcome, ctx, request, clock.now() - started);
      sawAmbiguousFailure ||= failure.error.ambiguous;
      if (!failure.retryable || attempt >= retry.maxAttempts) throw failure.error;
      const delay = nextDelayMs(attempt, retry, clock.random, failure.retryAfterMs);
      if (clock.now() + delay >= scope.deadline) throw failure.error;
      await clock.sleep(delay);
    }
  }

  function addSecrets(...values: string[]): void {
    for (const value of values) options.secrets.add(value);
  }

  return { call, newScope, context, addSecrets };
}
