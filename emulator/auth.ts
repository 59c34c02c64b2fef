/**
 * Who may call the emulator, on the emulator's clock: static bearer tokens that expire like Webex personal access
 * tokens (12 hours after the emulator starts), and OAuth clients (integrations or service apps) whose refresh token
 * is exchanged at the token route for access tokens that expire. The clock can be moved forward from the control
 * surface, so "13 hours later" is a request, not a wait. Issued tokens live in memory: a restart forgets them, as a
 * revocation would.
 */
import { randomBytes } from "node:crypto";
import type { BodyOf, ResponseOf } from "../webexconnect/schemas";
import { HttpProblem } from "./problem";
import type { RateLimit } from "./rateLimit";

/** Webex personal access tokens are valid for 12 hours. */
export const PERSONAL_ACCESS_TOKEN_SECONDS = 12 * 3600;
/** Access tokens issued by the refresh-token grant (emulator default; Webex states expires_in in each answer). */
export const DEFAULT_ACCESS_TOKEN_SECONDS = 12 * 3600;
/** Refresh tokens (emulator default: 90 days, counted from the emulator's start or the last rotation). */
export const DEFAULT_REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;

export interface TokenGrant {
  organizationId: string;
  /** Permissions (route `permission` values) the token holds; all when absent. */
  permissions?: string[];
  rateLimit?: RateLimit;
  /** Lifetime from the emulator's start; default PERSONAL_ACCESS_TOKEN_SECONDS. */
  expiresInSeconds?: number;
}

/** An integration or service app authorized for an organization, holding one refresh token. */
export interface OAuthClient {
  clientSecret: string;
  refreshToken: string;
  organizationId: string;
  permissions?: string[];
  /** Default DEFAULT_ACCESS_TOKEN_SECONDS. */
  accessTokenSeconds?: number;
  /** Default DEFAULT_REFRESH_TOKEN_SECONDS. */
  refreshTokenSeconds?: number;
  /** True: every grant answers a new refresh token and the old one stops working (strict rotation). */
  rotateRefreshToken?: boolean;
}

export interface Bearer extends TokenGrant {
  expiresAt: number;
}

interface RefreshRecord {
  clientId: string;
  expiresAt: number;
}

export interface Authority {
  /** The grant behind a bearer token, or a 401 saying whether it expired or is unknown. */
  bearer(token: string | undefined): Bearer;
  /** The refresh-token grant: a new access token, or 401 (client) / 400 (refresh token) naming what is wrong. */
  exchange(request: BodyOf<"auth.accessToken">): ResponseOf<"auth.accessToken"> & { token_type: "Bearer" };
}

const secondsLeft = (expiresAt: number, now: number) => Math.max(1, Math.floor((expiresAt - now) / 1000));
const newToken = (prefix: string) => `${prefix}-${randomBytes(18).toString("base64url")}`;

export function createAuthority(
  tokens: Record<string, TokenGrant>,
  clients: Record<string, OAuthClient>,
  now: () => number,
): Authority {
  const startedAt = now();
  const bearers = new Map<string, Bearer>(
    Object.entries(tokens).map(([token, grant]) => [
      token,
      { ...grant, expiresAt: startedAt + (grant.expiresInSeconds ?? PERSONAL_ACCESS_TOKEN_SECONDS) * 1000 },
    ]),
  );
  const refreshTokens = new Map<string, RefreshRecord>(
    Object.entries(clients).map(([clientId, client]) => [
      client.refreshToken,
      {
        clientId,
        expiresAt: startedAt + (client.refreshTokenSeconds ?? DEFAULT_REFRESH_TOKEN_SECONDS) * 1000,
      },
    ]),
  );

  return {
    bearer(token) {
      const found = token === undefined ? undefined : bearers.get(token);
      if (!found) throw new HttpProblem(401, "unauthorized", "The access token is missing or invalid.");
      if (now() >= found.expiresAt)
        throw new HttpProblem(401, "token_expired", "The access token expired; get a new one.");
      return found;
    },
    exchange(request) {
      const client = clients[request.client_id];
      if (!client || client.clientSecret !== request.client_secret)
        throw new HttpProblem(401, "invalid_client", "The client id or client secret is not valid.");
      const record = refreshTokens.get(request.refresh_token);
      if (!record || record.clientId !== request.client_id)
        throw new HttpProblem(400, "invalid_grant", "The refresh token is not valid or was revoked.", {
          field: "refresh_token",
        });
      const at = now();
      if (at >= record.expiresAt)
        throw new HttpProblem(400, "invalid_grant", "The refresh token expired.", { field: "refresh_token" });
      const accessToken = newToken("wxc-at");
      const accessSeconds = client.accessTokenSeconds ?? DEFAULT_ACCESS_TOKEN_SECONDS;
      bearers.set(accessToken, {
        organizationId: client.organizationId,
        permissions: client.permissions,
        expiresAt: at + accessSeconds * 1000,
      });
      let refreshToken = request.refresh_token;
      let refreshExpiresAt = record.expiresAt;
      if (client.rotateRefreshToken) {
        refreshTokens.delete(refreshToken);
        refreshToken = newToken("wxc-rt");
        refreshExpiresAt = at + (client.refreshTokenSeconds ?? DEFAULT_REFRESH_TOKEN_SECONDS) * 1000;
        refreshTokens.set(refreshToken, { clientId: request.client_id, expiresAt: refreshExpiresAt });
      }
      return {
        access_token: accessToken,
        expires_in: accessSeconds,
        refresh_token: refreshToken,
        refresh_token_expires_in: secondsLeft(refreshExpiresAt, at),
        token_type: "Bearer",
      };
    },
  };
}
