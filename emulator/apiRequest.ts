/**
 * What a request to the route table means: which route and path parameters it names, its bearer token and headers,
 * and its query and body validated against the route's schemas (a problem names the field at fault).
 */
import type * as http from "node:http";
import { ROUTES, ROUTE_NAMES, type RouteName, type RouteSpec } from "../webexconnect/routes";
import { bodies, firstIssueField, pageQuery, type RouteWithBody } from "../webexconnect/schemas";
import type { HandlerInput } from "./handlers";
import { parseJsonBody } from "./http";
import { HttpProblem } from "./problem";

interface CompiledRoute {
  name: RouteName;
  spec: RouteSpec;
  pattern: RegExp;
}

const COMPILED_ROUTES: CompiledRoute[] = ROUTE_NAMES.map((name) => {
  const spec: RouteSpec = ROUTES[name];
  return { name, spec, pattern: new RegExp(`^${spec.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`) };
});

const LIST_ROUTES: ReadonlySet<RouteName> = new Set([
  "asset.list",
  "service.list",
  "flow.list",
  "flow.listVersions",
]);

export function matchRoute(
  method: string,
  pathname: string,
): { route: CompiledRoute; params: Record<string, string> } | "method" | undefined {
  let pathMatched = false;
  for (const route of COMPILED_ROUTES) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (route.spec.method !== method) continue;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(match.groups ?? {})) params[key] = decodeURIComponent(value);
    return { route, params };
  }
  return pathMatched ? "method" : undefined;
}

export function bearerToken(request: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
}

export function headerValue(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function validatedInput(
  name: RouteName,
  spec: RouteSpec,
  url: URL,
  bodyText: string,
): Pick<HandlerInput<RouteName>, "list" | "body"> {
  for (const [key, value] of Object.entries(spec.fixedQuery ?? {}))
    if (url.searchParams.get(key) !== value)
      throw new HttpProblem(
        400,
        "unsupported_query",
        `This emulator models only ${key}=${value} for ${spec.path}.`,
        {
          field: key,
        },
      );
  let list: HandlerInput<RouteName>["list"] = { page: 1, pageSize: 1 };
  if (LIST_ROUTES.has(name)) {
    const parsed = pageQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) {
      const { field, message } = firstIssueField(parsed.error);
      throw new HttpProblem(400, "validation_failed", `Query parameter ${field} ${message}.`, { field });
    }
    list = parsed.data;
  }
  if (!(name in bodies)) return { list, body: undefined };
  const raw =
    spec.bodyEncoding === "form"
      ? Object.fromEntries(new URLSearchParams(bodyText))
      : parseJsonBody(bodyText);
  const parsedBody = bodies[name as RouteWithBody].safeParse(raw);
  if (!parsedBody.success) {
    const { field, message } = firstIssueField(parsedBody.error);
    throw new HttpProblem(400, "validation_failed", `Field ${field} ${message}.`, { field });
  }
  return { list, body: parsedBody.data as never };
}
