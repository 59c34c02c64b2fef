/**
 * How the client authenticates: a static bearer token (a personal access token lasts 12 hours), or a credential
 * that renews itself through Webex's OAuth refresh-token grant (an integration's or service app's client id, client
 * secret and refresh token → an access token, renewed before it expires). Every part is a secret: the transport
 * scrubs each from messages and logs, including every access token and refresh token Webex hands out.
 */
import type { CallScope, Clock } from "./clock";
import type { ResponseOf } from "./schemas";

export interface StaticTokenCredential {
  kind: "token";
  token: string;
  /** Where the user set it, for messages: e.g. "webexconnect:token (or WEBEX_CONNECT_TOKEN)". */
  source?: string;
}

export interface RefreshTokenCredential {
  kind: "refreshToken";
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Where the user set the refresh token, for messages: e.g. "webexconnect:refreshToken". */
  source?: string;
}

export type WebexCredential = StaticTokenCredential | RefreshTokenCredential;

export type TokenGrantResponse = ResponseOf<"auth.accessToken">;
export type TokenGrantRequest = {
  grant_type: "refresh_token";
  client_id: string;
  client_secret: string;
  refresh_token: string;
};

/** Renew this long before the access token expires (or halfway through a shorter lifetime). */
export const RENEWAL_MARGIN_MS = 10 * 60_000;
/** Warn when the refresh token itself has less than this left. */
export const REFRESH_TOKEN_WARNING_MS = 14 * 24 * 3600_000;

const DEFAULT_TOKEN_SOURCE = "the client's `token`";
const DEFAULT_REFRESH_SOURCE = "the client's `credential.refreshToken`";

/** When an access token obtained at `obtainedAt` and valid `expiresInSeconds` should be renewed. */
export function renewalDueAt(obtainedAt: number, expiresInSeconds: number): number {
  const lifetimeMs = expiresInSeconds * 1000;
  return obtainedAt + lifetimeMs - Math.min(RENEWAL_MARGIN_MS, lifetimeMs / 2);
}

/** The values to scrub from every message and log line, for a credential. */
export function credentialSecrets(credential: WebexCredential): string[] {
  return credential.kind === "token"
    ? [credential.token]
    : [credential.clientId, credential.clientSecret, credential.refreshToken];
}

/** What a 401 from Webex Connect means for this credential, and how to renew it. */
export function rejectedAccessTokenAdvice(credential: WebexCredential): string {
  if (credential.kind === "token")
    return (
      `the static access token (${credential.source ?? DEFAULT_TOKEN_SOURCE}) is expired or invalid. ` +
      "Personal access tokens last 12 hours: copy a fresh one from developer.webex.com (Webex Connect API " +
      `reference, "Use personal access token") and set it as ${credential.source ?? DEFAULT_TOKEN_SOURCE}. ` +
      "For scheduled or unattended runs use the renewing credential instead: an integration's or service app's " +
      'client id, client secret and refresh token (docs/operations.md, "Credentials that last")'
    );
  return (
    `an access token just renewed with the refresh token (${credential.source ?? DEFAULT_REFRESH_SOURCE}) was ` +
    "rejected: the authorization behind the refresh token was revoked, or its user or app has no access to this " +
    "Webex Connect organization. Authorize the integration (or the service app) again and set the new refresh " +
    `token as ${credential.source ?? DEFAULT_REFRESH_SOURCE}`
  );
}

/** What a refused refresh-token grant means, and how to renew the refresh token. */
export function rejectedRefreshTokenAdvice(credential: RefreshTokenCredential): string {
  const source = credential.source ?? DEFAULT_REFRESH_SOURCE;
  return (
    `the refresh token (${source}) is expired or revoked, or the client id and client secret are not those of ` +
    "the integration or service app it was issued to. Renew it: authorize the integration again (OAuth " +
    "authorization-code grant at https://webexapis.com/v1/authorize) or, for a service app, have a Full Admin " +
    `authorize it in Control Hub and fetch a new token pair; then set the new refresh token as ${source}`
  );
}

export interface AccessTokenSourceOptions {
  credential: WebexCredential;
  clock: Pick<Clock, "now">;
  /** Performs the refresh-token grant (the token route, form-encoded, without a bearer token). */
  grant(request: TokenGrantRequest, scope: CallScope): Promise<TokenGrantResponse>;
  /** Every token Webex hands out is added here, so that it is scrubbed from messages and logs. */
  addSecrets(...values: string[]): void;
  /** One line an operator should act on; never contains a secret. */
  notice?: (message: string) => void;
}

export interface AccessTokenSource {
  /** The bearer token for the next request: the static token, or a renewed access token that is not due. */
  bearer(scope: CallScope): Promise<string>;
  /** Forgets `token` after a 401; true when the next `bearer` will fetch a new one (a renewing credential). */
  invalidate(token: string): boolean;
  credential: WebexCredential;
}

interface CachedToken {
  value: string;
  renewAt: number;
}

export function createAccessTokenSource(options: AccessTokenSourceOptions): AccessTokenSource {
  const { clock } = options;
  const credential = options.credential;
  if (credential.kind === "token")
    return { credential, bearer: async () => credential.token, invalidate: () => false };
  const renewing: RefreshTokenCredential = credential;

  let refreshToken = renewing.refreshToken;
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;
  let warnedAboutExpiry = false; // once per process, like the rotation notice

  async function renew(scope: CallScope): Promise<string> {
    const requestedAt = clock.now();
    const answer = await options.grant(
      {
        grant_type: "refresh_token",
        client_id: renewing.clientId,
        client_secret: renewing.clientSecret,
        refresh_token: refreshToken,
      },
      scope,
    );
    options.addSecrets(answer.access_token, ...(answer.refresh_token ? [answer.refresh_token] : []));
    cached = { value: answer.access_token, renewAt: renewalDueAt(requestedAt, answer.expires_in) };
    const source = renewing.source ?? DEFAULT_REFRESH_SOURCE;
    if (answer.refresh_token && answer.refresh_token !== refreshToken) {
      const first = refreshToken === renewing.refreshToken;
      refreshToken = answer.refresh_token;
      if (first)
        options.notice?.(
          `Webex issued a new refresh token in place of ${source}; this run uses it, but a Pulumi run cannot write ` +
            "it back to the stack's configuration. If Webex retired the old one, the next run cannot renew: " +
            `authorize again and set the new refresh token as ${source}.`,
        );
    }
    const remainingMs = (answer.refresh_token_expires_in ?? Infinity) * 1000;
    if (remainingMs < REFRESH_TOKEN_WARNING_MS && !warnedAboutExpiry) {
      warnedAboutExpiry = true;
      const expires = new Date(requestedAt + remainingMs).toISOString();
      options.notice?.(
        `The refresh token (${source}) expires at ${expires}: authorize the integration or service app again ` +
          `before then and set the new refresh token as ${source}.`,
      );
    }
    return answer.access_token;
  }

  return {
    credential,
    bearer(scope) {
      if (cached && clock.now() < cached.renewAt) return Promise.resolve(cached.value);
      // One renewal at a time: concurrent calls of a provider wait for the same answer.
      inFlight ??= renew(scope).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.value === token) cached = undefined;
      return true;
    },
  };
}
