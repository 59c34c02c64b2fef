/**
 * One stack serves one AMB asset, and each live flow is bound to exactly that asset. A per-asset webhook
 * flow starts only on CCE events whose destination is the asset's App ID; only the common webhook flow, which
 * forwards each event to the asset's own flow, runs unconditioned. That asset-events flow starts on a custom
 * event, not on the webhook, and the common flow must route the stack's App ID to that event. A flow whose AMB nodes
 * or trigger name an asset other than its assetId would mix two assets in one live flow, which Webex Connect does
 * not allow.
 */
import { commonWebhookFlowTemplate, DESTINATION_FIELD } from "../../flows";
import { stackPolicy } from "./define";
import { asArray, asObject, isUnknown, Outcome, valueAt, type ResourceView } from "./engineValues";
import { UNKNOWN } from "../../lib/facts";
import { bindingFields, flowDefinition, flowLabel, flowNodes, flowProblem, liveFlowsOf } from "./liveFlows";
import { describeResource } from "./resources";
import { AMB_ASSET_TYPE } from "../../lib/facts";

/** One stack, one asset: anything else is reported on the stack, and the flows are checked on their own. */
function stackAsset(
  resources: ResourceView[],
  flows: ResourceView[],
  outcome: Outcome,
): ResourceView | undefined {
  const assets = resources.filter((resource) => resource.type === AMB_ASSET_TYPE);
  if (assets.length === 1) return assets[0];
  if (assets.length === 0 && flows.length > 0) {
    outcome.fail(
      `The stack has live flows (${flows.map(describeResource).join(", ")}) but no AmbAsset, so nothing ties ` +
        "them to one asset. Fix: declare the AMB asset in the stack that binds its flows.",
    );
  } else if (assets.length > 1) {
    outcome.fail(
      `The stack has ${assets.length} AMB assets (${assets.map(describeResource).join(", ")}); one stack serves ` +
        "one environment and one asset, and every flow binds that asset. Fix: give each asset its own stack " +
        "(<env>-<asset>).",
    );
  }
  return undefined;
}

/** The flow's assetId and serviceId against the stack's asset (its assetId is an output: absent at preview). */
function checkFlowAgainstAsset(flow: ResourceView, asset: ResourceView, outcome: Outcome): void {
  const label = flowLabel(flow);
  const assetLabel = describeResource(asset);
  const flowAssetId = flow.props.assetId;
  const assetId = asset.props.assetId ?? UNKNOWN;
  if (
    outcome.known(flowAssetId, `${label} assetId`) &&
    outcome.known(assetId, `${assetLabel} assetId`) &&
    flowAssetId !== assetId
  ) {
    outcome.fail(
      `${label} is bound to AMB asset ${JSON.stringify(flowAssetId)}, not to this stack's asset ` +
        `${JSON.stringify(assetId)} (${assetLabel}); a live flow serves one asset. ` +
        "Fix: pass the stack's asset id (AmbAsset.assetId) as the flow's assetId.",
      flow.urn,
    );
  }
  const flowServiceId = flow.props.serviceId;
  const assetServiceId = asset.props.serviceId;
  if (
    outcome.known(flowServiceId, `${label} serviceId`) &&
    outcome.known(assetServiceId, `${assetLabel} serviceId`) &&
    flowServiceId !== assetServiceId
  ) {
    outcome.fail(
      `${label} lives in service ${JSON.stringify(flowServiceId)}, but ${assetLabel} is registered to Webex ` +
        `Engage with service ${JSON.stringify(assetServiceId)}; the asset and its flows belong to one service. ` +
        `Fix: create the flow in service ${JSON.stringify(assetServiceId)}.`,
      flow.urn,
    );
  }
}

/** Every place in the document that names an AMB asset must name the flow's one asset. */
function checkAssetReferences(
  flow: ResourceView,
  definition: Record<string, unknown>,
  outcome: Outcome,
): void {
  const label = flowLabel(flow);
  const sites: Array<{ nodeId?: string; nodeName?: string; field: string; value: unknown }> = [];
  const trigger = asObject(definition.trigger) ?? {};
  if (trigger.kind === "channelEvent") sites.push({ field: "trigger.asset", value: trigger.asset });
  for (const node of flowNodes(definition)) {
    for (const field of bindingFields(node.type, "ambAssetId")) {
      sites.push({ nodeId: node.id, nodeName: node.name, field, value: valueAt(node.config, field) });
    }
  }
  const known = sites.filter((site) =>
    outcome.known(site.value, `${label}${site.nodeId ? ` node ${site.nodeId}` : ""} ${site.field}`),
  );
  const { assetId } = flow.props;
  const bound =
    known.length > 0 && outcome.known(assetId, `${label} assetId`) && typeof assetId === "string"
      ? assetId
      : undefined;
  // While the flow's assetId is unknown, the first site that names an asset is what the others must match.
  const reference = bound === undefined ? known[0] : undefined;
  const expected = bound ?? (reference?.value as string | undefined);
  const boundTo =
    reference === undefined
      ? `the flow is bound to ${JSON.stringify(bound)} (its assetId)`
      : `${reference.nodeId ? `node ${reference.nodeId} ${JSON.stringify(reference.nodeName)}` : reference.field} ` +
        `names ${JSON.stringify(expected)}`;
  for (const site of known.filter((candidate) => candidate.value !== expected)) {
    const { value, ...where } = site;
    outcome.fail(
      flowProblem(flow, {
        ...where,
        message:
          `names AMB asset ${JSON.stringify(value)}, but ${boundTo}; a live flow is bound to one asset for all ` +
          `its nodes. Fix: bind the template with ambAssetId ${JSON.stringify(expected)}.`,
      }),
      flow.urn,
    );
  }
}

/** A per-asset webhook flow starts only on its asset's App ID; the common flow is the one exception. */
function checkWebhookCondition(
  flow: ResourceView,
  definition: Record<string, unknown>,
  asset: ResourceView | undefined,
  outcome: Outcome,
): void {
  const label = flowLabel(flow);
  const trigger = asObject(definition.trigger) ?? {};
  if (!outcome.known(trigger.kind, `${label} trigger.kind`) || trigger.kind !== "webhook") return;
  if (!outcome.known(definition.name, `${label} definition.name`)) return;
  if (definition.name === commonWebhookFlowTemplate) return;
  const appId = asset?.props.appId;
  const destinations = asArray(trigger.conditions).flatMap((entry, index) => {
    const condition = asObject(entry) ?? {};
    const where = `${label} trigger.conditions[${index}]`;
    if (
      !outcome.known(condition.field, `${where}.field`) ||
      !outcome.known(condition.operator, `${where}.operator`)
    )
      return [];
    return condition.field === DESTINATION_FIELD && condition.operator === "equals"
      ? [{ field: `trigger.conditions[${index}].value`, value: condition.value }]
      : [];
  });
  const appIdShown = typeof appId === "string" && !isUnknown(appId) ? JSON.stringify(appId) : "<App ID>";
  if (destinations.length === 0) {
    outcome.fail(
      flowProblem(flow, {
        field: "trigger.conditions",
        message:
          `has no condition ${DESTINATION_FIELD} equals <App ID>, so the flow would run for the CCE events of every ` +
          `AMB asset of the tenant. Fix: bind the template with appId ${appIdShown}, or use the common flow ` +
          `${commonWebhookFlowTemplate}.`,
      }),
      flow.urn,
    );
    return;
  }
  if (asset === undefined || !outcome.known(appId, `${describeResource(asset)} appId`)) return;
  for (const destination of destinations) {
    if (!outcome.known(destination.value, `${label} ${destination.field}`) || destination.value === appId)
      continue;
    outcome.fail(
      flowProblem(flow, {
        field: destination.field,
        message:
          `${JSON.stringify(destination.value)} is not the App ID of this stack's AMB asset (${appIdShown}, ` +
          `${describeResource(asset)}), so the flow would handle another asset's CCE events. ` +
          `Fix: bind the template with appId ${appIdShown}.`,
      }),
      flow.urn,
    );
  }
}

interface FlowWithDefinition {
  flow: ResourceView;
  definition: Record<string, unknown>;
}

/**
 * Common mode, on the stack that owns the common flow: the common flow forwards the stack's App ID to the custom
 * event the stack's asset-events flow starts on. The other assets' routes name flows of other stacks, which one
 * stack cannot see.
 */
function checkOwnRoute(flows: FlowWithDefinition[], asset: ResourceView | undefined, outcome: Outcome): void {
  const commonFlows = flows.filter(({ definition }) => definition.name === commonWebhookFlowTemplate);
  const appId = asset?.props.appId;
  if (
    commonFlows.length === 0 ||
    asset === undefined ||
    !outcome.known(appId, `${describeResource(asset)} appId`)
  )
    return;
  const startedBy = flows.flatMap(({ flow, definition }) => {
    const trigger = asObject(definition.trigger) ?? {};
    const label = flowLabel(flow);
    return outcome.known(trigger.kind, `${label} trigger.kind`) &&
      trigger.kind === "customEvent" &&
      outcome.known(trigger.event, `${label} trigger.event`)
      ? [{ label, eventId: trigger.event }]
      : [];
  });
  // Without an asset-events flow the stack is in per-asset mode, and the common flow is not its concern here.
  const [expected] = startedBy;
  if (expected === undefined) return;
  for (const { flow, definition } of commonFlows) {
    for (const node of flowNodes(definition).filter((candidate) => candidate.type === "destinationBranch")) {
      const where = { nodeId: node.id, nodeName: node.name };
      const routes = node.config.routes;
      if (!outcome.known(routes, `${flowLabel(flow)} node ${node.id} routes`)) continue;
      const index = asArray(routes).findIndex((route) => asObject(route)?.appId === appId);
      if (index === -1) {
        outcome.fail(
          flowProblem(flow, {
            ...where,
            field: "routes",
            message:
              `has no route for this stack's App ID ${JSON.stringify(appId)} (${describeResource(asset)}), so its ` +
              "CCE events would reach none of its flows. Fix: add {appId: " +
              `${JSON.stringify(appId)}, eventId: ${JSON.stringify(expected.eventId)}} to flows.destinationRoutes.`,
          }),
          flow.urn,
        );
        continue;
      }
      const routed = asObject(asArray(routes)[index])?.eventId;
      if (startedBy.some(({ eventId }) => eventId === routed)) continue;
      outcome.fail(
        flowProblem(flow, {
          ...where,
          field: `routes[${index}].eventId`,
          message:
            `${JSON.stringify(routed)} is not the custom event ${expected.label} starts on ` +
            `(${JSON.stringify(expected.eventId)}), so this stack's CCE events would reach none of its flows. ` +
            `Fix: set the route's eventId to ${JSON.stringify(expected.eventId)} (flows.eventId).`,
        }),
        flow.urn,
      );
    }
  }
}

export function checkFlowBindings(resources: ResourceView[]): Outcome {
  const outcome = new Outcome();
  const flows = liveFlowsOf(resources);
  const asset = stackAsset(resources, flows, outcome);
  const withDefinitions: FlowWithDefinition[] = [];
  for (const flow of flows) {
    if (asset !== undefined) checkFlowAgainstAsset(flow, asset, outcome);
    const definition = flowDefinition(flow, outcome);
    if (definition === undefined) continue;
    withDefinitions.push({ flow, definition });
    checkAssetReferences(flow, definition, outcome);
    checkWebhookCondition(flow, definition, asset, outcome);
  }
  checkOwnRoute(withDefinitions, asset, outcome);
  return outcome;
}

export const flowBindingPolicy = stackPolicy({
  name: "flows-bound-to-own-asset",
  description:
    "Every live flow is bound to the stack's one AMB asset; webhook flows start only on that asset's App ID, or are the common flow, which routes that App ID to the custom event the asset's own flow starts on.",
  enforcementLevel: "mandatory",
  check: checkFlowBindings,
});
