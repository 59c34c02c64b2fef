import {
  assetEventsFlowTemplate,
  boundFlowName,
  CCE_EVENTS,
  commonWebhookFlowTemplate,
  customerCloseFlowTemplate,
  inboundFlowTemplate,
  listTemplates,
  loadTemplate,
  NODE_TYPES,
  parseFlowDocument,
  placeholder,
  validateFlow,
  webhookEventFlowTemplates,
  type FlowDocument,
  type FlowNode,
  type JsonValue,
} from "../../flows";
import { getPath } from "../../flows/paths";

function nodeOfType(flow: FlowDocument, type: string): FlowNode {
  const found = flow.nodes.find((node) => node.type === type);
  if (found === undefined) throw new Error(`${flow.name} has no ${type} node`);
  return found;
}

const AMB_NODE_TYPES = ["ambMessage", "searchConversation", "createConversation", "receive"];

/**
 * What the common flow forwards, as the asset-events flow reads it: the custom event's parameter `taskId` holds
 * `$(cce.taskId)` and is read from the start node as `$(n2.customEvent.taskId)`.
 */
function forwardedReferences(): Array<[cceReference: string, startNodeOutput: string]> {
  const forward = nodeOfType(loadTemplate(commonWebhookFlowTemplate), "customEvent");
  return Object.entries(forward.config.parameters as Record<string, string>).map(([name, reference]) => [
    reference,
    `$(n2.customEvent.${name})`,
  ]);
}

function readingForwardedParameters(config: FlowNode["config"]): JsonValue {
  let text = JSON.stringify(config);
  for (const [reference, output] of forwardedReferences()) text = text.replaceAll(reference, output);
  return JSON.parse(text) as JsonValue;
}

/** The nodes reached from `fromId` in visiting order, outcomes as positions in that order (ids differ per flow). */
function reachedFrom(flow: FlowDocument, fromId: string) {
  const byId = new Map(flow.nodes.map((node) => [node.id, node]));
  const order: string[] = [];
  for (const queue = [fromId]; queue.length > 0; ) {
    const id = queue.shift() as string;
    if (order.includes(id)) continue;
    order.push(id);
    queue.push(...Object.values(byId.get(id)?.outcomes ?? {}));
  }
  return order.map((id) => {
    const { type, name, version, config, outcomes } = byId.get(id) as FlowNode;
    const next = Object.entries(outcomes).map(([outcome, target]) => [outcome, order.indexOf(target)]);
    return { type, name, version, config, outcomes: Object.fromEntries(next) };
  });
}

function startOutcome(flow: FlowDocument): string {
  return nodeOfType(flow, "start").outcomes.onStart;
}

describe("flow templates", () => {
  it("lists the inbound, customer-close, five webhook-event, common webhook and asset-events templates", () => {
    expect(listTemplates()).toEqual([
      "AppleMessages_inbound_flow",
      "AppleMessages_CustomerClose",
      ...CCE_EVENTS.map((event) => `AppleMessages_webhook_${event}`),
      "AppleMessages_webhook_common",
      "AppleMessages_asset_events",
    ]);
    expect([
      inboundFlowTemplate,
      customerCloseFlowTemplate,
      commonWebhookFlowTemplate,
      assetEventsFlowTemplate,
    ]).toEqual([
      "AppleMessages_inbound_flow",
      "AppleMessages_CustomerClose",
      "AppleMessages_webhook_common",
      "AppleMessages_asset_events",
    ]);
  });

  it.each(listTemplates())("%s is named after its file and is sound but for its placeholders", (name) => {
    const template = loadTemplate(name);
    expect(template.name).toBe(name);
    const unresolved = validateFlow(template).filter(
      (problem) => !problem.message.startsWith("still holds the placeholder"),
    );
    expect(unresolved).toEqual([]);
  });

  it.each(listTemplates())(
    "%s holds a placeholder at every binding site and no environment-specific id",
    (name) => {
      const template = loadTemplate(name);
      expect(template.serviceId).toBe(placeholder("serviceId"));
      if (template.trigger.kind === "channelEvent")
        expect(template.trigger.asset).toBe(placeholder("ambAssetId"));
      if (template.trigger.kind === "customEvent")
        expect(template.trigger.event).toBe(placeholder("eventId"));
      for (const node of template.nodes) {
        for (const site of NODE_TYPES[node.type as keyof typeof NODE_TYPES].bindings) {
          const value = getPath(node.config, site.field);
          // Variable sites hold the template's own variables; bindings add to them.
          if (site.binding !== "callVariables" && site.binding !== "eccVariables") {
            expect(value).toBe(placeholder(site.binding));
          }
        }
      }
      const text = JSON.stringify(template);
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
      expect(text).not.toMatch(/https?:\/\/|\.example\.|\.com\b/);
    },
  );

  it("returns a fresh copy each time", () => {
    const first = loadTemplate(inboundFlowTemplate);
    first.nodes[0].name = "Changed";
    expect(loadTemplate(inboundFlowTemplate).nodes[0].name).toBe("Start");
  });

  it("rejects a name that is not a template", () => {
    expect(() => loadTemplate("AppleMessages_outbound" as never)).toThrow(
      'There is no flow template "AppleMessages_outbound"; the templates are: AppleMessages_inbound_flow, AppleMessages_CustomerClose, AppleMessages_webhook_CREATED, AppleMessages_webhook_QUEUED, AppleMessages_webhook_ROUTED, AppleMessages_webhook_CLOSED, AppleMessages_webhook_TRANSFERRED, AppleMessages_webhook_common, AppleMessages_asset_events.',
    );
  });

  it("inbound flow: search, create, CCE Create Task as documented, append with the capability list", () => {
    const flow = loadTemplate(inboundFlowTemplate);
    expect(flow.trigger).toMatchObject({ kind: "channelEvent", conditions: [] });
    const search = nodeOfType(flow, "searchConversation");
    expect(search.version).toBe("1.4");
    expect(Object.keys(search.outcomes).sort()).toEqual([
      "conversationActive",
      "conversationClosed",
      "conversationInQueue",
      "conversationOnHold",
      "noConversationFound",
    ]);
    const create = nodeOfType(flow, "createConversation");
    expect(search.outcomes.noConversationFound).toBe(create.id);
    const task = nodeOfType(flow, "cceCreateTask");
    expect(create.outcomes.onSuccess).toBe(task.id);
    expect(task).toMatchObject({
      name: "CCE Create Task",
      version: "1.2",
      config: {
        domain: "{{proxyFqdn}}",
        taskId: "$(flid)",
        destination: "$(n2.abc.appId)",
        mediaType: "Social",
        mediaChannel: "Apple Messages for Business",
        customerId: "$(n2.abc.abcUserId)",
      },
    });
    const appends = flow.nodes.filter((node) => node.type === "appendConversation");
    expect(appends.map((node) => getPath(node.config, "extras.capabilityList"))).toEqual([
      "$(n2.abc.capabilityList)",
      "$(n2009.receive.capabilityList)",
    ]);
  });

  it("webhook-event flows start on their CCE event, conditioned on cce.destination equal to the App ID", () => {
    for (const event of CCE_EVENTS) {
      const flow = loadTemplate(webhookEventFlowTemplates[event]);
      expect(flow.trigger).toEqual({
        kind: "webhook",
        event,
        conditions: [{ field: "cce.destination", operator: "equals", value: "{{appId}}" }],
      });
    }
    expect(
      nodeOfType(loadTemplate(webhookEventFlowTemplates.TRANSFERRED), "cceCreateTask").config.taskId,
    ).toBe("$(cce.taskId)");
  });

  it("the common webhook flow has no per-asset condition, branches on cce.destination and has no AMB node", () => {
    const flow = loadTemplate(commonWebhookFlowTemplate);
    expect(flow.trigger).toMatchObject({ kind: "webhook", conditions: [] });
    expect(nodeOfType(flow, "destinationBranch").config.variable).toBe("$(cce.destination)");
    expect(flow.nodes.filter((node) => AMB_NODE_TYPES.includes(node.type))).toEqual([]);
  });

  it("the asset-events flow starts on the asset's custom event and branches on the forwarded CCE event", () => {
    const flow = loadTemplate(assetEventsFlowTemplate);
    expect(flow.trigger).toEqual({ kind: "customEvent", event: "{{eventId}}", conditions: [] });
    const branch = flow.nodes.find((node) => node.id === startOutcome(flow));
    const forwardedEvent = new Map(forwardedReferences()).get("$(cce.event)");
    expect(branch).toMatchObject({ type: "evaluate", config: { script: `return "${forwardedEvent}";` } });
    expect(Object.keys(branch?.outcomes ?? {})).toEqual([...CCE_EVENTS]);
    // Everything it reads comes from the custom event; the CCE webhook's own variables do not reach this flow.
    expect(JSON.stringify(flow)).not.toContain("$(cce.");
    const ambNodes = flow.nodes.filter((node) => AMB_NODE_TYPES.includes(node.type));
    expect(ambNodes.map((node) => node.config.asset)).toEqual(Array(5).fill("{{ambAssetId}}"));
  });

  it.each(CCE_EVENTS)(
    "the asset-events flow on %s does what that per-asset webhook flow does, with the forwarded values",
    (event) => {
      const flow = loadTemplate(assetEventsFlowTemplate);
      const branch = flow.nodes.find((node) => node.id === startOutcome(flow)) as FlowNode;
      const perAsset = loadTemplate(webhookEventFlowTemplates[event]);
      const expected = reachedFrom(perAsset, startOutcome(perAsset)).map((node) => ({
        ...node,
        config: readingForwardedParameters(node.config),
      }));
      expect(reachedFrom(flow, branch.outcomes[event])).toEqual(expected);
    },
  );

  it("the customer-close flow ends the CCE task", () => {
    const flow = loadTemplate(customerCloseFlowTemplate);
    expect(nodeOfType(flow, "cceEndTask")).toMatchObject({
      version: "1.0",
      config: { domain: "{{proxyFqdn}}" },
    });
  });
});

describe("parseFlowDocument", () => {
  it("names the source and every path the schema rejects", () => {
    const broken = { ...loadTemplate(customerCloseFlowTemplate), startNodeId: "start", extra: true };
    expect(() => parseFlowDocument(broken, "upload.json")).toThrow(
      'upload.json is not a valid flow document:\n✖ Unrecognized key: "extra"\n✖ a node id is a string of digits, e.g. "179"\n  → at startNodeId',
    );
  });
});

describe("boundFlowName", () => {
  it("appends the asset name to the template name", () => {
    expect(boundFlowName(inboundFlowTemplate, "TestAccount_Cisco")).toBe(
      "AppleMessages_inbound_flow__TestAccount_Cisco",
    );
  });

  it("refuses an asset name that cannot be part of a flow name", () => {
    expect(() => boundFlowName(inboundFlowTemplate, "Test Account")).toThrow(
      'The asset name "Test Account" cannot be part of a flow name: use letters, digits, "_" and "-" only.',
    );
  });
});
