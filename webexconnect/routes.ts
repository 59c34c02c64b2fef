/**
 * Every HTTP route this project calls on Webex Connect, as data. Each route says whether it is
 * documented (public API, with its source) or modeled (no public API exists; we designed it). The
 * emulator serves exactly these routes, and docs/webex-connect-routes.md carries the same table.
 *
 * A team with a real tenant points the modeled routes at what their tenant serves by editing
 * MODELED_BASE_URLS (and, if needed, the modeled paths) in this file, or by passing
 * `modeledBaseUrl` to the client. Providers never build URLs themselves: urls.ts does, from this table.
 */
import type { AssetApiRegion } from "../lib/facts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type RouteFidelity = "documented" | "modeled";

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Path below the base URL; `{name}` segments are filled from call parameters. */
  readonly path: string;
  /** Query parameters the route always sends (e.g. the asset API's channel selector). */
  readonly fixedQuery?: Readonly<Record<string, string>>;
  readonly fidelity: RouteFidelity;
  /** A public URL for documented routes; a short statement of what was modeled otherwise. */
  readonly source: string;
  /** True when repeating the request cannot change the outcome (PUT/DELETE semantics): safe to retry. */
  readonly idempotent: boolean;
  /** Permission the emulator enforces; real scope names are not public (see docs). */
  readonly permission: string;
  readonly summary: string;
  /** What is inferred rather than read from the source. */
  readonly note?: string;
  /** The origin that serves the route whatever the region (Webex's identity API); `baseUrl` still overrides it. */
  readonly origin?: string;
  /** "form": the body is sent as application/x-www-form-urlencoded (OAuth) instead of JSON. */
  readonly bodyEncoding?: "form";
  /** False: sent without the bearer token and x-organization-id (it is how a bearer token is obtained). */
  readonly bearer?: false;
}

export const AMB_CHANNEL = "applebusinesschat";
export const AMB_CHANNEL_ID = 23;

const AMB_ASSET_API_SOURCE =
  "https://developer.webex.com/webex-connect/docs/api/v1/apple-messages-for-business-digital-asset-apis-apple-messages-for-business-channel";
const ASSET_CREATE_SOURCE = "https://developer.webex.com/docs/webex-connect-create-your-first-digital-asset";
const INFERRED_ASSET_PATH =
  "Operation documented for AMB; the per-asset path shape is inferred from the shared create path " +
  "POST /v2/digital/app (the stored reference page lists the operation, not its path).";
const MODELED_PORTAL =
  "Modeled: portal-only feature (help.webexconnect.io/docs/flows, cce-apple-messages-for-business); no public API found.";

const ambQuery = { channel: AMB_CHANNEL } as const;

/** Webex's identity API: the OAuth token endpoint is https://webexapis.com/v1/access_token in every region. */
export const WEBEX_IDENTITY_ORIGIN = "https://webexapis.com";

export const ROUTES = {
  "auth.accessToken": {
    method: "POST",
    path: "/v1/access_token",
    origin: WEBEX_IDENTITY_ORIGIN,
    bodyEncoding: "form",
    bearer: false,
    fidelity: "documented",
    source: "https://developer.webex.com/docs/authentication",
    idempotent: true,
    permission: "client credentials",
    summary:
      "OAuth refresh-token grant: client id, client secret and refresh token in, a new access token out (renewing credential).",
    note:
      "Form fields grant_type=refresh_token, client_id, client_secret, refresh_token; answer access_token, expires_in, " +
      "refresh_token, refresh_token_expires_in (seconds). Repeating the grant only mints another access token, so a " +
      "lost answer is retried. The error body on refusal is modeled.",
  },
  "asset.create": {
    method: "POST",
    path: "/v2/digital/app",
    fixedQuery: ambQuery,
    fidelity: "documented",
    source: ASSET_CREATE_SOURCE,
    idempotent: false,
    permission: "assets:write",
    summary: "Shared asset create; refused for AMB, whose assets come only from Apple Business Register.",
  },
  "asset.list": {
    method: "GET",
    path: "/v2/digital/app",
    fixedQuery: ambQuery,
    fidelity: "documented",
    source: AMB_ASSET_API_SOURCE,
    idempotent: true,
    permission: "assets:read",
    summary: "List AMB assets of the organization (filtered by channel), paged.",
    note: `${INFERRED_ASSET_PATH} Paging parameters and envelope are modeled.`,
  },
  "asset.get": {
    method: "GET",
    path: "/v2/digital/app/{assetId}",
    fixedQuery: ambQuery,
    fidelity: "documented",
    source: AMB_ASSET_API_SOURCE,
    idempotent: true,
    permission: "assets:read",
    summary: "Read one AMB asset.",
    note: INFERRED_ASSET_PATH,
  },
  "asset.update": {
    method: "PUT",
    path: "/v2/digital/app/{assetId}",
    fixedQuery: ambQuery,
    fidelity: "documented",
    source: AMB_ASSET_API_SOURCE,
    idempotent: true,
    permission: "assets:write",
    summary: "Replace the editable fields (name, description) of an AMB asset.",
    note: INFERRED_ASSET_PATH,
  },
  "asset.delete": {
    method: "DELETE",
    path: "/v2/digital/app/{assetId}",
    fixedQuery: ambQuery,
    fidelity: "documented",
    source: AMB_ASSET_API_SOURCE,
    idempotent: true,
    permission: "assets:write",
    summary: "Delete an AMB asset from Webex Connect (the Apple account itself stays).",
    note: INFERRED_ASSET_PATH,
  },
  "asset.getWithSettings": {
    method: "GET",
    path: "/v1/assets/{assetId}",
    fidelity: "modeled",
    source:
      "Modeled: the portal's asset page shows an asset with its Webex Engage registration and Data Stream toggle " +
      "(help.webexconnect.io/docs/data-streams, cce-apple-messages-for-business); no public API returns them together.",
    idempotent: true,
    permission: "assets:read",
    summary:
      "Read one AMB asset together with its Webex Engage registration and Data Stream toggle: one request per refresh.",
  },
  "engage.get": {
    method: "GET",
    path: "/v1/assets/{assetId}/engage-registration",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "assets:read",
    summary: "Read whether an asset is registered to Webex Engage, and with which service.",
  },
  "engage.register": {
    method: "PUT",
    path: "/v1/assets/{assetId}/engage-registration",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "assets:write",
    summary: "Register an asset to Webex Engage with a service (409 if registered to another service).",
  },
  "engage.unregister": {
    method: "DELETE",
    path: "/v1/assets/{assetId}/engage-registration",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "assets:write",
    summary: "Unregister an asset from Webex Engage.",
  },
  "dataStream.get": {
    method: "GET",
    path: "/v1/assets/{assetId}/data-stream",
    fidelity: "modeled",
    source: "Modeled: Data Stream Management is portal-only (help.webexconnect.io/docs/data-streams).",
    idempotent: true,
    permission: "assets:read",
    summary: "Read the per-asset Data Stream toggle.",
  },
  "dataStream.set": {
    method: "PUT",
    path: "/v1/assets/{assetId}/data-stream",
    fidelity: "modeled",
    source: "Modeled: Data Stream Management is portal-only (help.webexconnect.io/docs/data-streams).",
    idempotent: true,
    permission: "assets:write",
    summary: "Enable or disable Data Stream for an asset.",
  },
  "service.create": {
    method: "POST",
    path: "/v1/services",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: false,
    permission: "services:write",
    summary: "Create a service; names are not unique, so creates are guarded by a search by name.",
  },
  "service.list": {
    method: "GET",
    path: "/v1/services",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "services:read",
    summary: "List services, paged, optionally filtered by exact name.",
  },
  "service.get": {
    method: "GET",
    path: "/v1/services/{serviceId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "services:read",
    summary: "Read a service (without credentials).",
  },
  "service.update": {
    method: "PUT",
    path: "/v1/services/{serviceId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "services:write",
    summary: "Rename a service or change its description.",
  },
  "service.delete": {
    method: "DELETE",
    path: "/v1/services/{serviceId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "services:write",
    summary: "Delete a service (409 while it has live flows or Engage registrations).",
  },
  "service.credentials": {
    method: "GET",
    path: "/v1/services/{serviceId}/credentials",
    fidelity: "modeled",
    source:
      "Modeled: the service key and JWT secret are shown on the service dashboard " +
      "(help.webexconnect.io/docs/using-the-multi-channel-messaging-api); no public API returns them.",
    idempotent: true,
    permission: "services:write",
    summary: "Read the service key and base64 JWT secret used by the messaging and event APIs.",
  },
  "flow.list": {
    method: "GET",
    path: "/v1/services/{serviceId}/flows",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:read",
    summary: "List the flows of a service, paged, optionally filtered by exact name.",
  },
  "flow.import": {
    method: "POST",
    path: "/v1/services/{serviceId}/flows",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: false,
    permission: "flows:write",
    summary: "Import a flow definition as a draft; guarded by a search by name in the service.",
  },
  "flow.get": {
    method: "GET",
    path: "/v1/services/{serviceId}/flows/{flowId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:read",
    summary: "Read a flow's metadata and draft definition.",
  },
  "flow.rename": {
    method: "PATCH",
    path: "/v1/services/{serviceId}/flows/{flowId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:write",
    summary: "Rename a flow in place (sets an absolute name, so a repeat is harmless).",
  },
  "flow.delete": {
    method: "DELETE",
    path: "/v1/services/{serviceId}/flows/{flowId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:write",
    summary: "Delete a flow (409 while it is live).",
  },
  "flow.saveDraft": {
    method: "PUT",
    path: "/v1/services/{serviceId}/flows/{flowId}/draft",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:write",
    summary: "Replace the draft definition of a flow.",
  },
  "flow.publish": {
    method: "POST",
    path: "/v1/services/{serviceId}/flows/{flowId}/publish",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: false,
    permission: "flows:write",
    summary: "Make the draft live as a new immutable version bound to one AMB asset; returns versionId.",
  },
  "flow.deactivate": {
    method: "POST",
    path: "/v1/services/{serviceId}/flows/{flowId}/deactivate",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:write",
    summary: "Take a live flow offline (a repeat leaves it inactive).",
  },
  "flow.listVersions": {
    method: "GET",
    path: "/v1/services/{serviceId}/flows/{flowId}/versions",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:read",
    summary: "List the immutable versions of a flow, paged, oldest first.",
  },
  "flow.getVersion": {
    method: "GET",
    path: "/v1/services/{serviceId}/flows/{flowId}/versions/{versionId}",
    fidelity: "modeled",
    source: MODELED_PORTAL,
    idempotent: true,
    permission: "flows:read",
    summary: "Read one immutable version with its definition.",
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

/** Digital Channel Onboarding base URLs (developer.webex.com/docs/webex-connect-api-endpoints-and-regions). */
export const ASSET_API_BASE_URLS = {
  eu: "https://assetmanagement.eu.webexconnect.io/connectapi",
  us: "https://assetmanagement.us.webexconnect.io/connectapi",
  uk: "https://assetmanagement.uk.webexconnect.io/connectapi",
  ca: "https://assetmanagement.ca.webexconnect.io/connectapi",
  au: "https://assetmanagement.au.webexconnect.io/connectapi",
  sg: "https://assetmanagement.sg.webexconnect.io/connectapi",
  in: "https://assetmanagement.in.webexconnect.io/connectapi",
} as const;

/**
 * Where modeled routes live for a real tenant. Empty on purpose: no public host serves them, so a
 * call fails with instructions instead of guessing. Fill in your tenant's URL per region here.
 */
export const MODELED_BASE_URLS: Readonly<Partial<Record<AssetApiRegion, string>>> = {};
