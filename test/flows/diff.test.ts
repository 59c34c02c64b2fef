import fc from "fast-check";
import { diffFlows, listTemplates, loadTemplate, type FlowChange, type FlowDocument } from "../../flows";
import { isJsonObject, leaves } from "../../flows/paths";
import { bindingsArb, bindOrThrow, randomSourceArb, reshuffledCopy, VALID_BINDINGS } from "./support";

const templates = listTemplates().map((name) => loadTemplate(name));
const boundFlowArb = fc
  .record({ template: fc.constantFrom(...templates), bindings: bindingsArb })
  .map(({ template, bindings }) => bindOrThrow(template, bindings));

interface Mutation {
  readonly nodeIndex: number;
  readonly kind: FlowChange["kind"];
  /** Path as diffFlows names it: a config path, `name`, or `outcomes.<outcome>`. */
  readonly field: string;
}

/** Every single-field edit a person might make to a node, per kind of change. */
function mutations(flow: FlowDocument): Mutation[] {
  return flow.nodes.flatMap((node, nodeIndex) => [
    { nodeIndex, kind: "changed" as const, field: "name" },
    { nodeIndex, kind: "added" as const, field: "addedByTest" },
    ...leaves(node.config, "", true)
      .filter(({ path, value }) => path !== "" && typeof value === "string")
      .map(({ path }) => ({ nodeIndex, kind: "changed" as const, field: path })),
    ...Object.entries(node.config)
      .filter(([, value]) => !isJsonObject(value))
      .map(([key]) => ({ nodeIndex, kind: "removed" as const, field: key })),
    ...Object.keys(node.outcomes).map((outcome) => ({
      nodeIndex,
      kind: "changed" as const,
      field: `outcomes.${outcome}`,
    })),
  ]);
}

/** Applies the mutations and returns the changes diffFlows should report, in structured form. */
function mutate(flow: FlowDocument, chosen: readonly Mutation[], suffix: string) {
  const after = structuredClone(flow);
  const expected = chosen.map(({ nodeIndex, kind, field }) => {
    const node = after.nodes[nodeIndex];
    const [head, ...rest] = field.split(".");
    if (field === "name") {
      const before = node.name;
      node.name += suffix;
      return { nodeId: node.id, field, kind, before, after: node.name };
    }
    if (head === "outcomes") {
      const before = node.outcomes[rest[0]];
      node.outcomes[rest[0]] = `${before}0`;
      return { nodeId: node.id, field, kind, before, after: node.outcomes[rest[0]] };
    }
    if (kind === "added") {
      node.config[field] = suffix;
      return { nodeId: node.id, field, kind, after: suffix };
    }
    if (kind === "removed") {
      const before = node.config[field];
      delete node.config[field];
      return { nodeId: node.id, field, kind, before };
    }
    let holder = node.config;
    for (const key of field.split(".").slice(0, -1)) holder = holder[key] as typeof holder;
    const last = field.split(".").pop() as string;
    const before = holder[last] as string;
    holder[last] = `${before}${suffix}`;
    return { nodeId: node.id, field, kind, before, after: holder[last] };
  });
  return { after, expected };
}

const structured = (changes: ReadonlyArray<{ nodeId?: string; field: string }>) =>
  [...changes].sort((a, b) => `${a.nodeId}|${a.field}`.localeCompare(`${b.nodeId}|${b.field}`));

function bound(name: Parameters<typeof loadTemplate>[0], overrides = {}) {
  return bindOrThrow(loadTemplate(name), { ...VALID_BINDINGS, ...overrides });
}

describe("diffFlows", () => {
  it("finds no change between a flow and itself, reformatted and reordered", () => {
    fc.assert(
      fc.property(boundFlowArb, randomSourceArb, (flow, random) => {
        expect(diffFlows(flow, flow)).toEqual([]);
        expect(diffFlows(flow, reshuffledCopy(flow, random))).toEqual([]);
      }),
    );
  });

  it("lists exactly the fields a random set of edits changed", () => {
    const caseArb = boundFlowArb.chain((flow) =>
      fc.record({
        flow: fc.constant(flow),
        chosen: fc.uniqueArray(fc.constantFrom(...mutations(flow)), {
          maxLength: 6,
          selector: (mutation) => `${mutation.nodeIndex}|${mutation.field}`,
        }),
        suffix: fc.stringMatching(/^[a-z0-9]{1,4}$/),
      }),
    );
    fc.assert(
      fc.property(caseArb, ({ flow, chosen, suffix }) => {
        const { after, expected } = mutate(flow, chosen, suffix);
        const changes = diffFlows(flow, after).map(({ nodeId, field, kind, before, after: value }) => ({
          nodeId,
          field,
          kind,
          before,
          after: value,
        }));
        expect(structured(changes)).toEqual(structured(expected));
      }),
    );
  });

  it("describes a node field change in one line", () => {
    const changes = diffFlows(
      bound("AppleMessages_inbound_flow", { proxyFqdn: "cc-old.example.com" }),
      bound("AppleMessages_inbound_flow"),
    );
    expect(changes).toEqual([
      {
        kind: "changed",
        nodeId: "150",
        nodeName: "CCE Create Task",
        field: "domain",
        before: "cc-old.example.com",
        after: "cc.example.com",
        line: "CCE Create Task (node 150): domain cc-old.example.com → cc.example.com",
      },
    ]);
  });

  it("describes trigger, condition and flow-level changes", () => {
    const before = bound("AppleMessages_webhook_CREATED", { appId: "app-old", serviceId: "service-old" });
    const after = bound("AppleMessages_webhook_CREATED");
    after.trigger.event = "QUEUED";
    after.trigger.conditions.push({ field: "cce.event", operator: "notequals", value: "CLOSED" });
    after.variables.push({ name: "greeting", defaultValue: "Hello" });
    expect(diffFlows(before, after)).toEqual([
      {
        kind: "changed",
        field: "serviceId",
        before: "service-old",
        after: "service-one",
        line: "Flow: serviceId service-old → service-one",
      },
      {
        kind: "added",
        field: "variables.greeting",
        after: "Hello",
        line: "Flow: variable greeting added: Hello",
      },
      {
        kind: "changed",
        field: "trigger.event",
        before: "CREATED",
        after: "QUEUED",
        line: "Trigger: event CREATED → QUEUED",
      },
      {
        kind: "changed",
        field: "trigger.conditions[cce.destination equals]",
        before: "app-old",
        after: "app-one",
        line: "Trigger: condition cce.destination equals app-old → app-one",
      },
      {
        kind: "added",
        field: "trigger.conditions[cce.event notequals]",
        after: "CLOSED",
        line: "Trigger: condition cce.event notequals added: CLOSED",
      },
    ]);
  });

  it("describes nodes added and removed, outcomes rewired and empty values", () => {
    const before = bound("AppleMessages_CustomerClose");
    const after = structuredClone(before);
    const [, , endTask, close] = after.nodes;
    after.nodes = after.nodes.filter((node) => node !== close);
    after.nodes.push({ ...close, id: "170", name: "Close It" });
    endTask.outcomes["200"] = "170";
    endTask.config.taskId = "";
    const lines = diffFlows(before, after).map((change) => change.line);
    expect(lines).toEqual([
      'CCE End Task (node 150): taskId $(n179.conversation.taskId) → ""',
      "CCE End Task (node 150): outcomes.200 160 → 170",
      "Close Conversation (node 160) removed (closeConversation v1.0)",
      "Close It (node 170) added (closeConversation v1.0)",
    ]);
    const removed = diffFlows(before, after).find((change) => change.kind === "removed");
    expect(removed).toMatchObject({ nodeId: "160", field: "node", before: close });
  });
});
