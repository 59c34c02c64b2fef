import {
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
} from "../../flows";
import { getPath } from "../../flows/paths";

function nodeOfType(flow: FlowDocument, type: string): FlowNode {
  const found = flow.nodes.find((node) => node.type === type);
  if (found === undefined) throw new Error(`${flow.name} has no ${type} node`);
  return found;
}

const AMB_NODE_TYPES = ["ambMessage", "searchConversation", "createConversation", "receive"];

describe("flow templates", () => {
  it("lists the inbound, customer-close, five webhook-event and common webhook templates", () => {
    expect(listTemplates()).toEqual([
      "AppleMessages_inbound_flow",
      "AppleMessages_CustomerClose",
      ...CCE_EVENTS.map((event) => `AppleMessages_webhook_${event}`),
      "AppleMessages_webhook_common",
    ]);
    expect([inboundFlowTemplate, customerCloseFlowTemplate, commonWebhookFlowTemplate]).toEqual([
      "AppleMessages_inbound_flow",
      "AppleMessages_CustomerClose",
      "AppleMessages_webhook_common",
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
      'There is no flow template "AppleMessages_outbound"; the templates are: AppleMessages_inbound_flow, AppleMessages_CustomerClose, AppleMessages_webhook_CREATED, AppleMessages_webhook_QUEUED, AppleMessages_webhook_ROUTED, AppleMessages_webhook_CLOSED, AppleMessages_webhook_TRANSFERRED, AppleMessages_webhook_common.',
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
