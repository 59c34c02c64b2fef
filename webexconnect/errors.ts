/**
 * Typed errors a user can act on. Each carries the method, route name, trackingid, HTTP status and
 * attempt count; messages say what to do next. Secrets are scrubbed from every message.
 *
 * The errors are plain `Error` objects with typed properties, told apart by `kind` (and `name`), not
 * class instances: Pulumi's closure serializer rewrites classes into functions that call `Error`
 * without `new`, which loses the message and breaks `instanceof` (test/webexconnect/client.test.ts
 * runs the serialized client to prove the errors survive).
 */
import type { z } from "zod";
import type { HttpMethod, RouteName } from "./routes";
import type { ErrorBody } from "./schemas";

export const ERROR_NAMES = {
  auth: "AuthError",
  permission: "PermissionError",
  not_found: "NotFoundError",
  conflict: "ConflictError",
  rate_limited: "RateLimitedError",
  validation: "ValidationError",
  server: "ServerError",
  network: "NetworkError",
  unexpected_response: "UnexpectedResponseError",
  configuration: "ConfigurationError",
} as const;

export type WebexConnectErrorKind = keyof typeof ERROR_NAMES;

export interface CallContext {
  method: HttpMethod;
  route: RouteName;
  trackingId: string;
  /** Undefined when no HTTP response was received (network error, configuration, a lookup that found nothing). */
  status?: number;
  attempts: number;
}

export interface WebexConnectError<K extends WebexConnectErrorKind = WebexConnectErrorKind> extends Error {
  name: (typeof ERROR_NAMES)[K];
  kind: K;
  method: HttpMethod;
  route: RouteName;
  trackingId: string;
  status: number | undefined;
  attempts: number;
  /** True when the request may have been applied although no success was seen: search before retrying a create. */
  ambiguous: boolean;
}

/** 401: the token is expired or invalid. */
export type AuthError = WebexConnectError<"auth">;
/** 403: the token may not do this in this organization; `requiredScope` names the permission when known. */
export type PermissionError = WebexConnectError<"permission"> & { requiredScope: string | undefined };
/** 404: the message says what was looked up and in which organization. */
export type NotFoundError = WebexConnectError<"not_found">;
/** 409: the platform's rules refuse the change in the current state. */
export type ConflictError = WebexConnectError<"conflict">;
/** 429 after all retries. */
export type RateLimitedError = WebexConnectError<"rate_limited">;
/** 400 (or another 4xx): `field` names the rejected input when the server said which. */
export type ValidationError = WebexConnectError<"validation"> & { field: string | undefined };
export type ServerError = WebexConnectError<"server">;
export type NetworkError = WebexConnectError<"network"> & { code: string | undefined };
export type UnexpectedResponseError = WebexConnectError<"unexpected_response">;
export type ConfigurationError = WebexConnectError<"configuration">;

function webexConnectError<K extends WebexConnectErrorKind, X extends object>(
  kind: K,
  context: CallContext,
  message: string,
  extra: X,
  ambiguous = false,
): WebexConnectError<K> & X {
  const where = [
    `${context.method} ${context.route}`,
    context.status === undefined ? undefined : `status ${context.status}`,
    `trackingid ${context.trackingId}`,
    `${context.attempts} attempt${context.attempts === 1 ? "" : "s"}`,
  ]
    .filter((part) => part !== undefined)
    .join(", ");
  const error = new Error(`${message} [${where}]`);
  return Object.assign(error, {
    name: ERROR_NAMES[kind],
    kind,
    method: context.method,
    route: context.route,
    trackingId: context.trackingId,
    status: context.status,
    attempts: context.attempts,
    ambiguous,
    ...extra,
  });
}

/** 401, or a refused refresh-token grant: `advice` names the credential that expired and how to renew it. */
export function authError(context: CallContext, detail: string, advice: string): AuthError {
  const what =
    context.route === "auth.accessToken"
      ? "Webex refused to renew the access token"
      : "Webex Connect rejected the access token";
  return webexConnectError("auth", context, `${what} (${context.status})${detail}: ${advice}.`, {});
}

export function permissionError(
  context: CallContext,
  organizationId: string,
  requiredScope: string | undefined,
  detail: string,
): PermissionError {
  const missing = requiredScope
    ? `it lacks the permission "${requiredScope}"`
    : "it lacks a required permission";
  return webexConnectError(
    "permission",
    context,
    `Webex Connect refused ${context.route} in organization ${organizationId} (403): ${missing}${detail}. ` +
      "Use a token of a user or app that belongs to this organization (x-organization-id) and has that permission.",
    { requiredScope },
  );
}

export function notFoundError(
  context: CallContext,
  subject: string,
  organizationId: string,
  hint = "",
): NotFoundError {
  return webexConnectError(
    "not_found",
    context,
    `${subject} was not found in organization ${organizationId}.${hint ? ` ${hint}` : ""}`,
    {},
  );
}

export function conflictError(context: CallContext, detail: string): ConflictError {
  return webexConnectError(
    "conflict",
    context,
    `Webex Connect refused ${context.route} because of a conflict (409): ${detail}`,
    {},
  );
}

export function rateLimitedError(context: CallContext, elapsedMs: number): RateLimitedError {
  return webexConnectError(
    "rate_limited",
    context,
    `Webex Connect is still rate limiting ${context.route} (429) after ${context.attempts} attempts over ${Math.round(elapsedMs)} ms. ` +
      "Retry later, lower concurrency (e.g. pulumi up --parallel 2), or raise deadlineMs.",
    {},
  );
}

export function validationError(
  context: CallContext,
  field: string | undefined,
  detail: string,
): ValidationError {
  const what = field ? `field "${field}"` : "the request";
  return webexConnectError(
    "validation",
    context,
    `Webex Connect refused ${what} (${context.status}): ${detail}`,
    { field },
  );
}

export function serverError(context: CallContext, detail: string, ambiguous: boolean): ServerError {
  return webexConnectError(
    "server",
    context,
    `Webex Connect failed with a server error${detail ? `: ${detail.replace(/[.\s]+$/, "")}` : ""}. ` +
      "It is usually transient: run the operation again; report the trackingid to Cisco support if it persists.",
    {},
    ambiguous,
  );
}

export function networkError(
  context: CallContext,
  code: string | undefined,
  detail: string,
  ambiguous: boolean,
): NetworkError {
  return webexConnectError(
    "network",
    context,
    `Could not reach Webex Connect (${code ?? "network error"}: ${detail}). Check the base URL, DNS, proxy and connectivity.`,
    { code },
    ambiguous,
  );
}

export function unexpectedResponseError(context: CallContext, detail: string): UnexpectedResponseError {
  return webexConnectError(
    "unexpected_response",
    context,
    `Webex Connect answered in an unexpected shape: ${detail}`,
    {},
  );
}

export function configurationError(context: CallContext, detail: string): ConfigurationError {
  return webexConnectError("configuration", context, detail, {});
}

type ErrorOfKind = {
  auth: AuthError;
  permission: PermissionError;
  not_found: NotFoundError;
  conflict: ConflictError;
  rate_limited: RateLimitedError;
  validation: ValidationError;
  server: ServerError;
  network: NetworkError;
  unexpected_response: UnexpectedResponseError;
  configuration: ConfigurationError;
};

/** True for errors of this client (of the given kind); works on errors from serialized copies too. */
export function isWebexConnectError(error: unknown): error is WebexConnectError;
export function isWebexConnectError<K extends WebexConnectErrorKind>(
  error: unknown,
  kind: K,
): error is ErrorOfKind[K];
export function isWebexConnectError(error: unknown, kind?: WebexConnectErrorKind): boolean {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as Partial<WebexConnectError>;
  return (
    typeof candidate.kind === "string" &&
    candidate.kind in ERROR_NAMES &&
    typeof candidate.trackingId === "string" &&
    (kind === undefined || candidate.kind === kind)
  );
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
export function parseErrorBody(text: string, schema: z.ZodType<ErrorBody>): ErrorBody | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
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
    return authError(
      context,
      suffix,
      failure.authAdvice ?? "the access token is expired or invalid; renew it",
    );
  if (status === 403) return permissionError(context, failure.organizationId, body?.requiredScope, suffix);
  if (status === 404)
    return notFoundError(context, failure.subject, failure.organizationId, failure.notFoundHint);
  if (status === 409)
    return conflictError(context, detail || "the resource is in a state that does not allow this");
  if (status === 429) return rateLimitedError(context, failure.elapsedMs);
  if (status >= 400 && status < 500)
    return validationError(context, body?.field, detail || "no detail given");
  return serverError(context, detail, failure.ambiguous);
}
