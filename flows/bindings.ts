/**
 * The environment-specific values a template is bound with, and how each is checked and written.
 * Templates hold `{{<binding key>}}` placeholders at the places a binding fills in.
 */
import { checkFqdn } from "../lib/fqdn";
import { isJsonObject } from "./paths";
import type { JsonValue } from "./schema";

/** The common webhook flow forwards a CCE event whose destination is `appId` as the custom event `eventId`. */
export interface DestinationRoute {
  readonly appId: string;
  readonly eventId: string;
}

export interface FlowBindings {
  /** FQDN of the reverse proxy / load balancer in front of Cloud Connect (CCE Create/End Task "Domain"). */
  readonly proxyFqdn?: string;
  /** App ID of the AMB asset: the destination the per-asset webhook flows are conditioned on. */
  readonly appId?: string;
  /** AMB Account ID used by Search Conversation and Create Conversation. */
  readonly ambAccountId?: string;
  /** The AMB asset the flow's AMB nodes and channel-event trigger are bound to. */
  readonly ambAssetId?: string;
  /** The Webex Connect service the flow lives in. */
  readonly serviceId?: string;
  /** Extra CCE call variables (`cv_…`) merged into every CCE Create Task node. */
  readonly callVariables?: Readonly<Record<string, string>>;
  /** Extra CCE ECC variables (`user_…`) merged into every CCE Create Task node. */
  readonly eccVariables?: Readonly<Record<string, string>>;
  /** Routes of the common webhook flow, one per AMB asset. */
  readonly destinationRoutes?: readonly DestinationRoute[];
  /** The custom event the common webhook flow raises for this asset: what the asset-events flow starts on. */
  readonly eventId?: string;
}

export type BindingKey = keyof FlowBindings;

/** How a binding site's new value is made from its current one; failures list every problem found. */
export type BindingResolution =
  | { readonly ok: true; readonly apply: (current: JsonValue | undefined) => JsonValue | undefined }
  | { readonly ok: false; readonly messages: readonly string[] };

type TokenKey = "appId" | "ambAccountId" | "ambAssetId" | "serviceId" | "eventId";

const HINTS: Record<Exclude<BindingKey, "callVariables" | "eccVariables">, string> = {
  proxyFqdn: 'give the FQDN of the reverse proxy in front of Cloud Connect, e.g. "cc.example.com".',
  appId: "give the App ID of the AMB asset (Webex Connect → Assets → Apps).",
  ambAccountId: "give the AMB Account ID of the Apple Messages for Business account.",
  ambAssetId: "give the id of the AMB asset in Webex Connect.",
  serviceId: "give the id of the Webex Connect service the flow belongs to.",
  destinationRoutes: "give one route {appId, eventId} per AMB asset.",
  eventId:
    "give the id of the custom event the common webhook flow raises for this asset (Webex Connect → Assets → Integrations → Custom Event).",
};

const PLACEHOLDER = /\{\{\s*[A-Za-z][A-Za-z0-9_]*\s*\}\}/g;

/** The placeholder a template holds where the binding `key` goes. */
export function placeholder(key: BindingKey): string {
  return `{{${key}}}`;
}

export function findPlaceholders(text: string): string[] {
  return text.match(PLACEHOLDER) ?? [];
}

/** Problems with an id-like value (App ID, account id, …), phrased with `label` as the subject. */
function tokenProblems(label: string, value: string | undefined, hint: string): string[] {
  if (value === undefined) return [`${label} is missing: ${hint}`];
  const shown = JSON.stringify(value);
  if (value.trim() === "") return [`${label} is empty: ${hint}`];
  if (value !== value.trim())
    return [`${label} ${shown} has surrounding whitespace; use ${JSON.stringify(value.trim())}.`];
  if (/\s/.test(value))
    return [`${label} ${shown} contains whitespace; copy the value exactly as Webex Connect shows it.`];
  if (findPlaceholders(value).length > 0)
    return [`${label} ${shown} is a template placeholder, not a value: ${hint}`];
  return [];
}

function replaceWith(value: JsonValue): BindingResolution {
  return { ok: true, apply: () => value };
}

function resolveToken(key: TokenKey, value: string | undefined): BindingResolution {
  const messages = tokenProblems(key, value, HINTS[key]);
  return messages.length > 0 || value === undefined ? { ok: false, messages } : replaceWith(value);
}

function resolveFqdn(value: string | undefined): BindingResolution {
  if (value === undefined) return { ok: false, messages: [`proxyFqdn is missing: ${HINTS.proxyFqdn}`] };
  const check = checkFqdn(value);
  return check.ok ? replaceWith(check.fqdn) : { ok: false, messages: [`proxyFqdn ${check.message}`] };
}

/** Variables are added to the node's own; their names and sizes are checked by validateFlow. */
function resolveVariables(variables: Readonly<Record<string, string>> | undefined): BindingResolution {
  return {
    ok: true,
    apply: (current) =>
      variables === undefined ? current : { ...(isJsonObject(current) ? current : {}), ...variables },
  };
}

function resolveRoutes(routes: readonly DestinationRoute[] | undefined): BindingResolution {
  if (routes === undefined)
    return { ok: false, messages: [`destinationRoutes is missing: ${HINTS.destinationRoutes}`] };
  if (routes.length === 0)
    return { ok: false, messages: [`destinationRoutes is empty: ${HINTS.destinationRoutes}`] };
  const messages = routes.flatMap((route, index) => [
    ...tokenProblems(`destinationRoutes[${index}].appId`, route.appId, HINTS.appId),
    ...tokenProblems(
      `destinationRoutes[${index}].eventId`,
      route.eventId,
      "give the custom event id of the asset's flow.",
    ),
  ]);
  const appIds = routes.map((route) => route.appId);
  for (const appId of new Set(appIds.filter((appId, index) => appIds.indexOf(appId) !== index))) {
    messages.push(
      `destinationRoutes lists the App ID ${JSON.stringify(appId)} more than once; give each AMB asset one route.`,
    );
  }
  return messages.length > 0
    ? { ok: false, messages }
    : replaceWith(routes.map((route) => ({ appId: route.appId, eventId: route.eventId })));
}

export function resolveBinding(key: BindingKey, bindings: FlowBindings): BindingResolution {
  switch (key) {
    case "proxyFqdn":
      return resolveFqdn(bindings.proxyFqdn);
    case "callVariables":
    case "eccVariables":
      return resolveVariables(bindings[key]);
    case "destinationRoutes":
      return resolveRoutes(bindings.destinationRoutes);
    case "appId":
    case "ambAccountId":
    case "ambAssetId":
    case "serviceId":
    case "eventId":
      return resolveToken(key, bindings[key]);
  }
}
