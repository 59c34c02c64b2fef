/**
 * One HTTP attempt of a call, and nothing more: the route's method and body encoding, the tracking, bearer and
 * organization headers, a timeout; no retries, no redirects, no status handling (transport.ts decides on those).
 */
import got from "got";
import { ROUTES, type RouteName, type RouteSpec } from "./routes";

export type Outcome =
  | { kind: "response"; status: number; text: string; retryAfter: string | undefined }
  | { kind: "network"; code: string | undefined; message: string };

export interface Attempt {
  url: string;
  route: RouteName;
  body: unknown;
  timeoutMs: number;
  trackingId: string;
  /** Sent with x-organization-id; undefined for the route that obtains a token. */
  bearer: string | undefined;
  organizationId: string;
  /** Scrubs secrets from a network error's message. */
  redact(text: string): string;
}

const USER_AGENT = "amb-cce-connect-webexconnect-client";

/** The body as the route sends it: JSON, or a form for the OAuth token route. */
function encodeBody(route: RouteName, body: unknown): { type: string; text: string } | undefined {
  if (body === undefined) return undefined;
  const spec: RouteSpec = ROUTES[route];
  return spec.bodyEncoding === "form"
    ? {
        type: "application/x-www-form-urlencoded",
        text: new URLSearchParams(body as Record<string, string>).toString(),
      }
    : { type: "application/json", text: JSON.stringify(body) };
}

/** Any answer is a response (whatever its status); only a failure to get one is a network outcome. */
export async function sendAttempt(attempt: Attempt): Promise<Outcome> {
  const headers: Record<string, string> = {
    trackingid: attempt.trackingId,
    accept: "application/json",
    "user-agent": USER_AGENT,
  };
  if (attempt.bearer !== undefined) {
    headers.authorization = `Bearer ${attempt.bearer}`;
    headers["x-organization-id"] = attempt.organizationId;
  }
  const encoded = encodeBody(attempt.route, attempt.body);
  if (encoded) headers["content-type"] = encoded.type;
  try {
    const response = await got(attempt.url, {
      method: ROUTES[attempt.route].method,
      headers,
      body: encoded?.text,
      responseType: "text",
      throwHttpErrors: false,
      followRedirect: false,
      retry: 0,
      timeout: attempt.timeoutMs,
    });
    const retryAfter = response.headers["retry-after"];
    return { kind: "response", status: response.statusCode, text: response.body, retryAfter };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return { kind: "network", code, message: attempt.redact(String(message ?? error)) };
  }
}
