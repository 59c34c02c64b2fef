/**
 * Where a call goes: the base URL of a route (the emulator's, a tenant's for modeled routes, or the region's for the
 * documented asset API) and the full URL with its path filled and its query added, from the route table (routes.ts).
 */
import { REGIONS, type AssetApiRegion, type Region } from "../lib/facts";
import { ASSET_API_BASE_URLS, MODELED_BASE_URLS, ROUTES, type RouteName, type RouteSpec } from "./routes";

/** The asset API has no Japan region: jp is served from au. */
function assetApiRegion(region: Region): AssetApiRegion {
  return region === "jp" ? "au" : region;
}

export interface BaseUrlOptions {
  region?: Region;
  /** Points every route (documented and modeled) at one origin, e.g. the emulator. */
  baseUrl?: string;
  /** Points modeled routes at what a real tenant serves. */
  modeledBaseUrl?: string;
}

export type BaseUrlResolution = { ok: true; baseUrl: string } | { ok: false; message: string };

/** Picks the base URL for a route: full override, then per-fidelity override, then the regional default. */
export function resolveBaseUrl(route: RouteName, options: BaseUrlOptions): BaseUrlResolution {
  const trim = (url: string) => url.replace(/\/+$/, "");
  if (options.baseUrl) return { ok: true, baseUrl: trim(options.baseUrl) };
  const spec: RouteSpec = ROUTES[route];
  if (spec.origin) return { ok: true, baseUrl: spec.origin };
  if (!options.region && !(spec.fidelity === "modeled" && options.modeledBaseUrl))
    return {
      ok: false,
      message: `No Webex Connect region or baseUrl configured for route ${route}. Set region to one of ${REGIONS.join(", ")}, or baseUrl to the emulator's URL.`,
    };
  if (spec.fidelity === "documented")
    return { ok: true, baseUrl: ASSET_API_BASE_URLS[assetApiRegion(options.region!)] };
  const modeled =
    options.modeledBaseUrl ??
    (options.region ? MODELED_BASE_URLS[assetApiRegion(options.region)] : undefined);
  if (modeled) return { ok: true, baseUrl: trim(modeled) };
  return {
    ok: false,
    message:
      `Route ${route} is modeled: Webex Connect publishes no API for it. Set modeledBaseUrl to what your tenant serves ` +
      `(or fill MODELED_BASE_URLS in webexconnect/routes.ts), or set baseUrl to the emulator's URL.`,
  };
}

export type PathParams = Readonly<Record<string, string>>;

/** Fills a path template; every parameter must be a non-empty string and is percent-encoded. */
export function fillPath(template: string, params: PathParams): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string" || value === "")
      throw new Error(`Path parameter "${name}" of ${template} is missing or empty; pass a non-empty id.`);
    return encodeURIComponent(value);
  });
}

export type QueryValue = string | number | boolean | undefined;

/** The full URL of a call: base + filled path + fixed query + call query (undefined values dropped). */
export function buildUrl(
  baseUrl: string,
  route: RouteName,
  params: PathParams = {},
  query: Readonly<Record<string, QueryValue>> = {},
): string {
  const spec: RouteSpec = ROUTES[route];
  const url = new URL(baseUrl + fillPath(spec.path, params));
  const merged: Record<string, QueryValue> = { ...spec.fixedQuery, ...query };
  for (const [key, value] of Object.entries(merged))
    if (value !== undefined) url.searchParams.set(key, String(value));
  return url.toString();
}
