import fc from "fast-check";
import { bindFlow, listTemplates, loadTemplate, type FlowBindings, type FlowDocument } from "../../flows";
import { bindingsArb, bindOrThrow, changedPaths, VALID_BINDINGS } from "./support";

const templates = listTemplates().map((name) => loadTemplate(name));

/** Which node types binding must fill, written from the user guide rather than read from the library. */
const DOMAIN_TYPES = ["cceCreateTask", "cceEndTask"];
const ACCOUNT_TYPES = ["searchConversation", "createConversation"];
const ASSET_TYPES = ["ambMessage"];
const UNBOUND_TYPES = [
  "start",
  "evaluate",
  "appendConversation",
  "closeConversation",
  "receive",
  "customEvent",
];

/** The paths binding may write in `flow`: the fields the guide asks people to edit by hand. */
function bindablePaths(flow: FlowDocument): string[] {
  const paths = ["serviceId", "trigger.asset"];
  if (flow.trigger.kind === "customEvent") paths.push("trigger.event");
  flow.trigger.conditions.forEach((condition, index) => {
    if (condition.field === "cce.destination") paths.push(`trigger.conditions[${index}].value`);
  });
  flow.nodes.forEach((node, index) => {
    const config = `nodes[${index}].config`;
    if (DOMAIN_TYPES.includes(node.type)) paths.push(`${config}.domain`);
    if (node.type === "cceCreateTask") paths.push(`${config}.callVariables`, `${config}.eccVariables`);
    if (ACCOUNT_TYPES.includes(node.type)) paths.push(`${config}.ambAccountId`);
    if (ASSET_TYPES.includes(node.type)) paths.push(`${config}.asset`);
    if (node.type === "destinationBranch") paths.push(`${config}.routes`);
  });
  return paths;
}

function isBindable(flow: FlowDocument, path: string): boolean {
  return bindablePaths(flow).some(
    (bound) => path === bound || path.startsWith(`${bound}.`) || path.startsWith(`${bound}[`),
  );
}

function mergedVariables(first: FlowBindings, second: FlowBindings): FlowBindings {
  return {
    ...second,
    callVariables: { ...first.callVariables, ...second.callVariables },
    eccVariables: { ...first.eccVariables, ...second.eccVariables },
  };
}

describe("bindFlow", () => {
  it("binds every template with complete bindings", () => {
    for (const template of templates) expect(bindFlow(template, VALID_BINDINGS)).toMatchObject({ ok: true });
  });

  it("is idempotent: binding a bound flow with the same bindings gives the same flow", () => {
    fc.assert(
      fc.property(bindingsArb, (bindings) => {
        for (const template of templates) {
          const bound = bindOrThrow(template, bindings);
          expect(bindOrThrow(bound, bindings)).toEqual(bound);
          expect(bindOrThrow(template, bindings)).toEqual(bound);
        }
      }),
    );
  });

  it("touches only the bound fields; every other path of the document is unchanged", () => {
    fc.assert(
      fc.property(bindingsArb, (bindings) => {
        for (const template of templates) {
          const changed = changedPaths(template, bindOrThrow(template, bindings));
          expect(changed.filter((path) => !isBindable(template, path))).toEqual([]);
        }
      }),
    );
  });

  it("rebinding a bound flow with new bindings changes only bound fields and equals binding the template once", () => {
    fc.assert(
      fc.property(bindingsArb, bindingsArb, (first, second) => {
        for (const template of templates) {
          const bound = bindOrThrow(template, first);
          const rebound = bindOrThrow(bound, second);
          expect(changedPaths(bound, rebound).filter((path) => !isBindable(template, path))).toEqual([]);
          // Variables add up across bindings; every other bound field takes the newest value.
          expect(rebound).toEqual(bindOrThrow(template, mergedVariables(first, second)));
        }
      }),
    );
  });

  it("covers every kind of trigger: channel event, webhook and custom event", () => {
    expect([...new Set(templates.map((template) => template.trigger.kind))].sort()).toEqual([
      "channelEvent",
      "customEvent",
      "webhook",
    ]);
  });

  it("covers every CCE and AMB node, the trigger and the service of every template", () => {
    const known = [...DOMAIN_TYPES, ...ACCOUNT_TYPES, ...ASSET_TYPES, ...UNBOUND_TYPES, "destinationBranch"];
    for (const template of templates) {
      expect(template.nodes.map((node) => node.type).filter((type) => !known.includes(type))).toEqual([]);
    }
    fc.assert(
      fc.property(bindingsArb, (bindings) => {
        for (const template of templates) {
          const flow = bindOrThrow(template, bindings);
          expect(JSON.stringify(flow)).not.toContain("{{");
          expect(flow.serviceId).toBe(bindings.serviceId);
          if (flow.trigger.kind === "channelEvent") expect(flow.trigger.asset).toBe(bindings.ambAssetId);
          if (flow.trigger.kind === "customEvent") expect(flow.trigger.event).toBe(bindings.eventId);
          for (const condition of flow.trigger.conditions.filter((c) => c.field === "cce.destination")) {
            expect(condition.value).toBe(bindings.appId);
          }
          for (const node of flow.nodes) {
            if (DOMAIN_TYPES.includes(node.type))
              expect(node.config.domain).toBe(bindings.proxyFqdn?.toLowerCase());
            if (ACCOUNT_TYPES.includes(node.type))
              expect(node.config.ambAccountId).toBe(bindings.ambAccountId);
            if (ASSET_TYPES.includes(node.type)) expect(node.config.asset).toBe(bindings.ambAssetId);
            if (node.type === "destinationBranch")
              expect(node.config.routes).toEqual(bindings.destinationRoutes);
            if (node.type === "cceCreateTask") {
              expect(node.config.callVariables).toMatchObject(bindings.callVariables ?? {});
              expect(node.config.eccVariables).toMatchObject(bindings.eccVariables ?? {});
            }
          }
        }
      }),
    );
  });

  it("does not change the template it is given", () => {
    const template = loadTemplate("AppleMessages_inbound_flow");
    const copy = structuredClone(template);
    bindFlow(template, VALID_BINDINGS);
    expect(template).toEqual(copy);
  });
});
