/**
 * Typed errors a user can act on: one class per kind, all `WebexConnectError`s. Each carries the method, route name,
 * trackingid, HTTP status and attempt count; messages say what to do next. Secrets are scrubbed from every message.
 */
import type { HttpMethod, RouteName } from "./routes";
import { errorBody, type ErrorBody } from "./schemas";

export type WebexConnectErrorKind =
  | "auth"
  | "permission"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "validation"
  | "server"
  | "network"
  | "unexpected_response"
  | "configuration";

export interface CallContext {
  method: HttpMethod;
  route: RouteName;
  trackingId: string;
  /** Undefined when no HTTP response was received (network error, configuration, a lookup that found nothing). */
  status?: number;
  attempts: number;
}

function where(context: CallContext): string {
  return [
    `${context.method} ${context.route}`,
    context.status === undefined ? undefined : `status ${context.status}`,
    `trackingid ${context.trackingId}`,
    `${context.attempts} attempt${context.attempts === 1 ? "" : "s"}`,
  ]
    .filter((part) => part !== undefined)
    .join(", ");
}

export abstract class WebexConnectError extends Error {
  abstract readonly kind: WebexConnectErrorKind;
  readonly method: HttpMethod;
  readonly route: RouteName;
  readonly trackingId: string;
  readonly status: number | undefined;
  readonly attempts: number;
  /** True when the request may have been applied although no success was seen: search before retrying a create. */
  readonly ambiguous: boolean;

  protected constructor(context: CallContext, message: string, ambiguous = false) {
    super(`${message} [${where(context)}]`);
    this.name = new.target.name;
    this.method = context.method;
    this.route = context.route;
    this.trackingId = context.trackingId;
    this.status = context.status;
    this.attempts = context.attempts;
    this.ambiguous = ambiguous;
  }
}

/** 401, or a refused refresh-token grant: `advice` names the credential that expired and how to renew it. */
export class AuthError extends WebexConnectError {
  readonly kind = "auth";
  constructor(context: CallContext, detail: string, advice: string) {
    const what =
      context.route === "auth.accessToken"
        ? "Webex refused to renew the access token"
        : "Webex Connect rejected the access token";
    super(context, `${what} (${context.status})${detail}: ${advice}.`);
  }
}

/** 403: the token may not do this in this organization; `requiredScope` names the permission when known. */
export class PermissionError extends WebexConnectError {
  readonly kind = "permission";
  constructor(
    context: CallContext,
    organizationId: string,
    readonly requiredScope: string | undefined,
    detail: string,
  ) {
    const missing = requiredScope
      ? `it lacks the permission "${requiredScope}"`
      : "it lacks a required permission";
    super(
      context,
      `Webex Connect refused ${context.route} in organization ${organizationId} (403): ${missing}${detail}. ` +
        "Use a token of a user or app that belongs to this organization (x-organization-id) and has that permission.",
    );
  }
}

/** 404: the message says what was looked up and in which organization. */
export class NotFoundError extends WebexConnectError {
  readonly kind = "not_found";
  constructor(context: CallContext, subject: string, organizationId: string, hint = "") {
    super(context, `${subject} was not found in organization ${organizationId}.${hint ? ` ${hint}` : ""}`);
  }
}

/** 409: the platform's rules refuse the change in the current state. */
export class ConflictError extends WebexConnectError {
  readonly kind = "conflict";
  constructor(context: CallContext, detail: string) {
    super(context, `Webex Connect refused ${context.route} because of a conflict (409): ${detail}`);
  }
}

/** 429 after all retries. */
export class RateLimitedError extends WebexConnectError {
  readonly kind = "rate_limited";
  constructor(context: CallContext, elapsedMs: number) {
    super(
      context,
      `Webex Connect is still rate limiting ${context.route} (429) after ${context.attempts} attempts over ${Math.round(elapsedMs)} ms. ` +
        "Retry later, lower concurrency (e.g. pulumi up --parallel 2), or raise deadlineMs.",
    );
  }
}

/** 400 (or another 4xx): `field` names the rejected input when the server said which. */
export class ValidationError extends WebexConnectError {
  readonly kind = "validation";
  constructor(
    context: CallContext,
    readonly field: string | undefined,
    detail: string,
  ) {
    super(
      context,
      `Webex Connect refused ${field ? `field "${field}"` : "the request"} (${context.status}): ${detail}`,
    );
  }
}

/** 5xx; after retries, how many attempts over how long, as RateLimitedError says of a lasting 429. */
export class ServerError extends WebexConnectError {
  readonly kind = "server";
  constructor(context: CallContext, detail: string, ambiguous: boolean, elapsedMs: number) {
    const status = context.status === undefined ? "" : ` (${context.status})`;
    const what =
      context.attempts > 1
        ? `Webex Connect still failed with a server error${status} after ${context.attempts} attempts over ` +
          `${Math.round(elapsedMs)} ms`
        : `Webex Connect failed with a server error${status}`;
    super(
      context,
      `${what}${detail ? `: ${detail.replace(/[.\s]+$/, "")}` : ""}. ` +
        "It is usually transient: run the operation again; report the trackingid to Cisco support if it persists.",
      ambiguous,
    );
  }
}

export class NetworkError extends WebexConnectError {
  readonly kind = "network";
  constructor(
    context: CallContext,
    readonly code: string | undefined,
    detail: string,
    ambiguous: boolean,
  ) {
    super(
      context,
      `Could not reach Webex Connect (${code ?? "network error"}: ${detail}). Check the base URL, DNS, proxy and connectivity.`,
      ambiguous,
    );
  }
}

export class UnexpectedResponseError extends WebexConnectError {
  readonly kind = "unexpected_response";
  constructor(context: CallContext, detail: string) {
    super(context, `Webex Connect answered in an unexpected shape: ${detail}`);
  }
}

export class ConfigurationError extends WebexConnectError {
  readonly kind = "configuration";
  constructor(context: CallContext, detail: string) {
    super(context, detail);
  }
}

const REDACTED = "[redacted]";
const MIN_SECRET_LENGTH = 4;

/** Replaces every known secret, and anything shaped like a bearer credential, with a marker. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text.replace(/(Bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`);
  for (const secret of secrets)
    if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join(REDACTED);
  return result;
}

const MAX_DETAIL_LENGTH = 300;

/** Reads an error body leniently: the modeled JSON shape, or the first characters of whatever text came back. */
export function parseErrorBody(text: string): ErrorBody | undefined {
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const trimmed = text.trim().slice(0, MAX_DETAIL_LENGTH);
  return trimmed ? { code: "unparsed", message: trimmed } : undefined;
}

export interface HttpFailure {
  context: CallContext;
  organizationId: string;
  /** What was looked up, for a 404: e.g. "AMB asset with App ID X". */
  subject: string;
  notFoundHint?: string;
  body: ErrorBody | undefined;
  elapsedMs: number;
  ambiguous: boolean;
  /** Which credential a 401 rejects and how to renew it (credentials.ts). */
  authAdvice?: string;
}

/** Maps a non-2xx response to the typed error a user can act on. */
export function errorForStatus(failure: HttpFailure): WebexConnectError {
  const { context, body } = failure;
  const status = context.status ?? 0;
  const detail = body?.message ?? "";
  const suffix = detail ? ` (${detail})` : "";
  if (status === 401)
    return new AuthError(
      context,
      suffix,
      failure.authAdvice ?? "the access token is expired or invalid; renew it",
    );
  if (status === 403)
    return new PermissionError(context, failure.organizationId, body?.requiredScope, suffix);
  if (status === 404)
    return new NotFoundError(context, failure.subject, failure.organizationId, failure.notFoundHint);
  if (status === 409)
    return new ConflictError(context, detail || "the resource is in a state that does not allow this");
  if (status === 429) return new RateLimitedError(context, failure.elapsedMs);
  if (status >= 400 && status < 500)
    return new ValidationError(context, body?.field, detail || "no detail given");
  return new ServerError(context, detail, failure.ambiguous, failure.elapsedMs);
}
