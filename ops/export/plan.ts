/**
 * Export, the pure half: from what Webex Connect shows for one AMB asset (read by ./tenant.ts) to what the stack
 * file says. The values a stack binds its flows with (proxy FQDN, App ID, AMB Account ID, variables, custom event,
 * routes) are read back from the live flows at the same binding sites binding writes (flows' `readBindings`); our
 * templates are bound with them and compared with the live flows by canonical hash, and node by node with the same
 * semantic diff the drift report uses.
 */
import { plannedWebhookFlows, type WebhookFlowSettings } from "../../components/webhookFlowSet";
import {
  assetEventsFlowTemplate,
  bindFlow,
  boundFlowName,
  CCE_EVENTS,
  commonWebhookFlowTemplate,
  customerCloseFlowTemplate,
  diffFlows,
  flowHash,
  formatProblems,
  inboundFlowTemplate,
  loadTemplate,
  parseFlowDocument,
  readBindings,
  webhookEventFlowTemplates,
  type DestinationRoute,
  type FlowBindings,
  type FlowChange,
  type FlowDocument,
  type JsonValue,
  type TemplateName,
} from "../../flows";

/** One AMB asset of a tenant as Webex Connect shows it; plain data, so plans can be made and tested offline. */
export interface TenantAsset {
  organizationId: string;
  asset: {
    id: string;
    appId: string;
    ambAccountId: string;
    accountName: string;
    name: string;
    status: string;
  };
  engage: { registered: boolean; serviceId: string | null };
  dataStream: boolean;
  /** The service the asset is registered to in Webex Engage. */
  service?: { id: string; name: string; description: string };
  /** Every live flow of that service bound to this asset, with its live definition; sorted by name. */
  flows: LiveFlowSnapshot[];
}

export interface LiveFlowSnapshot {
  id: string;
  name: string;
  liveVersionId: string;
  definition: unknown;
}

/** What happens to a flow of the stack on the first `up` after export. */
export type FlowVerdict =
  /** The live flow is our template bound with the stack's values: adopted as it is, no new version. */
  | "matches"
  /** Hand-edited: kept as a per-stack override (no new version), or replaced by ours (one new version). */
  | "differs"
  /** Not live on the asset: `up` imports and publishes it. */
  | "missing";

export interface FlowPlan {
  template: TemplateName;
  name: string;
  verdict: FlowVerdict;
  flowId?: string;
  liveVersionId?: string;
  /** Ours (the template bound with the stack's values) → theirs (live), node by node. */
  changes: FlowChange[];
  ours?: FlowDocument;
  theirs?: FlowDocument;
  /** Why theirs cannot be kept as an override as it is (a hand edit at a binding site), if so. */
  notKeepable?: string;
}

/** The stack's `flows` section as export infers it (overrides are added once the user has chosen). */
export interface InferredFlows extends WebhookFlowSettings {
  callVariables: Record<string, string>;
  eccVariables: Record<string, string>;
}

export interface ExportPlan {
  organizationId: string;
  asset: TenantAsset["asset"];
  service?: TenantAsset["service"];
  dataStream: boolean;
  /** The edge FQDN the flows' CCE Domain fields hold; undefined when no flow has one. */
  proxyFqdn?: string;
  flowSettings: InferredFlows;
  flows: FlowPlan[];
  /** Live flows bound to the asset that the stack does not declare: left alone, and reported. */
  unmanagedFlows: string[];
  /** Stack keys export could not infer, each with the reason; written as marked placeholders. */
  notInferred: Array<{ key: string; why: string }>;
  /** Disagreements between flows or with the asset, in words. */
  notes: string[];
}

const PER_ASSET_WEBHOOK_TEMPLATES = CCE_EVENTS.map((event) => webhookEventFlowTemplates[event]);

/** Values found at a binding key's sites across flows, most frequent first (ties: the order found). */
function valuesAt(flows: readonly FlowDocument[], key: keyof FlowBindings): JsonValue[] {
  const counts = new Map<string, { value: JsonValue; count: number }>();
  for (const flow of flows) {
    for (const site of readBindings(flow).filter((found) => found.key === key && found.value !== undefined)) {
      const id = JSON.stringify(site.value);
      const entry = counts.get(id) ?? { value: site.value as JsonValue, count: 0 };
      entry.count += 1;
      counts.set(id, entry);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count).map((entry) => entry.value);
}

const isStringRecord = (value: JsonValue | undefined): value is Record<string, string> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((item) => typeof item === "string");

/** The stack's call or ECC variables: what the live CCE Create Task holds beyond the template's own values. */
function extraVariables(live: FlowDocument | undefined, key: "callVariables" | "eccVariables") {
  if (!live) return {};
  const [found] = valuesAt([live], key);
  const [own] = valuesAt([loadTemplate(inboundFlowTemplate)], key);
  if (!isStringRecord(found)) return {};
  const template = isStringRecord(own) ? own : {};
  return Object.fromEntries(
    Object.keys(found)
      .sort()
      .filter((name) => template[name] !== found[name])
      .map((name) => [name, found[name]]),
  );
}

function parseLive(snapshot: LiveFlowSnapshot): FlowDocument | undefined {
  try {
    return parseFlowDocument(snapshot.definition, `live flow ${snapshot.name}`);
  } catch {
    return undefined;
  }
}

/** Webhook mode from the flows present: per-asset flows, or the asset-events flow (and the tenant's common flow). */
function inferWebhooks(byTemplate: ReadonlyMap<TemplateName, FlowDocument>): WebhookFlowSettings {
  const assetEvents = byTemplate.get(assetEventsFlowTemplate);
  const perAsset = PER_ASSET_WEBHOOK_TEMPLATES.some((template) => byTemplate.has(template));
  if (perAsset || !assetEvents) return { mode: "perAsset" };
  const [eventId] = valuesAt([assetEvents], "eventId");
  const common = byTemplate.get(commonWebhookFlowTemplate);
  const [routes] = common ? valuesAt([common], "destinationRoutes") : [];
  return {
    mode: "common",
    eventId: typeof eventId === "string" ? eventId : undefined,
    ...(common
      ? { commonFlowOwner: true, destinationRoutes: (routes ?? []) as unknown as DestinationRoute[] }
      : {}),
  };
}

/** Whether binding theirs again with the stack's values leaves it as it is (else a hand edit sits at a binding site). */
function keepableProblem(theirs: FlowDocument, bindings: FlowBindings): string | undefined {
  const rebound = bindFlow(theirs, bindings);
  if (!rebound.ok) return formatProblems(rebound.problems);
  const lost = diffFlows(theirs, rebound.flow);
  return lost.length === 0
    ? undefined
    : `its hand edit is at a value the stack sets (${lost.map((change) => change.line).join("; ")})`;
}

/** The plan for one asset: the stack's values, and per flow whether the first `up` adopts it as it is. */
export function planExport(tenant: TenantAsset): ExportPlan {
  const { asset, service } = tenant;
  const notes: string[] = [];
  const notInferred: ExportPlan["notInferred"] = [];
  const templates: TemplateName[] = [
    inboundFlowTemplate,
    customerCloseFlowTemplate,
    ...PER_ASSET_WEBHOOK_TEMPLATES,
    assetEventsFlowTemplate,
    commonWebhookFlowTemplate,
  ];
  const liveByName = new Map(tenant.flows.map((flow) => [flow.name, flow]));
  const byTemplate = new Map<TemplateName, FlowDocument>();
  for (const template of templates) {
    const snapshot = liveByName.get(boundFlowName(template, asset.accountName));
    const parsed = snapshot && parseLive(snapshot);
    if (snapshot && !parsed)
      notes.push(`${snapshot.name}: its live definition is not a flow document we can read`);
    if (parsed) byTemplate.set(template, parsed);
  }
  const live = [...byTemplate.values()];

  const fqdns = valuesAt(live, "proxyFqdn").filter((value): value is string => typeof value === "string");
  if (fqdns.length > 1)
    notes.push(`the flows' CCE Domain fields disagree (${fqdns.join(", ")}): the stack takes ${fqdns[0]}`);
  if (fqdns.length === 0)
    notInferred.push({ key: "edge.fqdn", why: "no live flow of the asset has a CCE Create/End Task Domain" });
  for (const [key, own] of [
    ["appId", asset.appId],
    ["ambAccountId", asset.ambAccountId],
  ] as const) {
    const others = valuesAt(live, key).filter((value) => value !== own);
    if (others.length > 0)
      notes.push(
        `some flows hold ${key} ${others.map((value) => JSON.stringify(value)).join(", ")}, not the asset's ${own}`,
      );
  }
  if (!service)
    notInferred.push({
      key: "service",
      why: "the asset is not registered to a Webex Engage service: `up` will create the service named here",
    });

  const webhooks = inferWebhooks(byTemplate);
  if (webhooks.mode === "common" && webhooks.eventId === undefined)
    notInferred.push({ key: "flows.eventId", why: "the asset-events flow has no custom event" });
  const flowSettings: InferredFlows = {
    ...webhooks,
    callVariables: extraVariables(byTemplate.get(inboundFlowTemplate), "callVariables"),
    eccVariables: extraVariables(byTemplate.get(inboundFlowTemplate), "eccVariables"),
  };
  const bindings: FlowBindings = {
    proxyFqdn: fqdns[0],
    appId: asset.appId,
    ambAccountId: asset.ambAccountId,
    ambAssetId: asset.id,
    serviceId: service?.id,
    callVariables: flowSettings.callVariables,
    eccVariables: flowSettings.eccVariables,
  };

  const declared = [
    { template: inboundFlowTemplate, bindings: {} },
    { template: customerCloseFlowTemplate, bindings: {} },
    ...plannedWebhookFlows(webhooks),
  ];
  const flows = declared.map(({ template, bindings: own }): FlowPlan => {
    const name = boundFlowName(template, asset.accountName);
    const snapshot = liveByName.get(name);
    const theirs = byTemplate.get(template);
    const bound = bindFlow(loadTemplate(template), { ...bindings, ...own });
    const ours = bound.ok ? bound.flow : undefined;
    if (!bound.ok) notes.push(`${name}: our template cannot be bound yet: ${formatProblems(bound.problems)}`);
    if (!snapshot || !theirs) return { template, name, verdict: "missing", changes: [], ours };
    const at = { flowId: snapshot.id, liveVersionId: snapshot.liveVersionId, ours, theirs };
    if (ours && flowHash(ours) === flowHash(theirs))
      return { template, name, verdict: "matches", changes: [], ...at };
    const changes = ours ? diffFlows(ours, theirs) : [];
    const notKeepable = keepableProblem(theirs, { ...bindings, ...own });
    return { template, name, verdict: "differs", changes, ...at, ...(notKeepable ? { notKeepable } : {}) };
  });
  const declaredNames = new Set(flows.map((flow) => flow.name));
  return {
    organizationId: tenant.organizationId,
    asset,
    service,
    dataStream: tenant.dataStream,
    proxyFqdn: fqdns[0],
    flowSettings,
    flows,
    unmanagedFlows: tenant.flows.map((flow) => flow.name).filter((name) => !declaredNames.has(name)),
    notInferred,
    notes,
  };
}
