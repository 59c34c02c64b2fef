import fc from "fast-check";
import {
  canonicalFlow,
  canonicalJson,
  flowHash,
  listTemplates,
  loadTemplate,
  type FlowCondition,
  type FlowDocument,
  type JsonValue,
} from "../../flows";
import { bindingsArb, bindOrThrow, randomSourceArb, reshuffledCopy, VALID_BINDINGS } from "./support";

const templates = listTemplates().map((name) => loadTemplate(name));

const conditionArb: fc.Arbitrary<FlowCondition> = fc.record({
  field: fc.constantFrom("cce.destination", "cce.event", "cce.customerId"),
  operator: fc.constantFrom("equals" as const, "notequals" as const),
  value: fc.string({ maxLength: 6 }),
});

/** A bound template with extra conditions and arbitrary extra config (numbers, nesting, odd keys). */
const flowArb: fc.Arbitrary<FlowDocument> = fc
  .record({
    template: fc.constantFrom(...templates),
    bindings: bindingsArb,
    conditions: fc.array(conditionArb, { maxLength: 3 }),
    extraConfig: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  })
  .map(({ template, bindings, conditions, extraConfig }) => {
    const flow = bindOrThrow(template, bindings);
    flow.trigger.conditions.push(...conditions);
    Object.assign(flow.nodes[flow.nodes.length - 1].config, extraConfig);
    return flow;
  });

describe("canonicalFlow and flowHash", () => {
  it("do not change under key order, whitespace, number spelling or the order of order-free arrays", () => {
    fc.assert(
      fc.property(flowArb, randomSourceArb, (flow, random) => {
        const copy = reshuffledCopy(flow, random);
        expect(flowHash(copy)).toBe(flowHash(flow));
        expect(canonicalJson(canonicalFlow(copy))).toBe(canonicalJson(canonicalFlow(flow)));
      }),
    );
  });

  it("are stable: the canonical form is its own canonical form and hashes the same", () => {
    fc.assert(
      fc.property(flowArb, (flow) => {
        const canonical = canonicalFlow(flow);
        expect(canonicalFlow(canonical)).toEqual(canonical);
        expect(flowHash(canonical)).toBe(flowHash(flow));
        expect(flowHash(flow)).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  it("change when any value changes", () => {
    fc.assert(
      fc.property(flowArb, fc.nat(), fc.string({ minLength: 1, maxLength: 4 }), (flow, index, suffix) => {
        const changed = structuredClone(flow);
        changed.nodes[index % changed.nodes.length].name += suffix;
        expect(flowHash(changed)).not.toBe(flowHash(flow));
      }),
    );
  });

  it("keep the order of arrays whose order means something", () => {
    const flow = bindOrThrow(loadTemplate("AppleMessages_webhook_common"), {
      ...VALID_BINDINGS,
      destinationRoutes: [
        { appId: "app-one", eventId: "one" },
        { appId: "app-two", eventId: "two" },
      ],
    });
    const swapped = structuredClone(flow);
    const routes = swapped.nodes[1].config.routes as JsonValue[];
    routes.reverse();
    expect(flowHash(swapped)).not.toBe(flowHash(flow));
  });

  it('read 1 and 1.0 as the same number, -0 as 0, and keep the string "1e2" apart from the number 100', () => {
    const withValue = (text: string) => {
      const flow = bindOrThrow(loadTemplate("AppleMessages_CustomerClose"), VALID_BINDINGS);
      flow.nodes[0].config.limit = JSON.parse(text) as JsonValue;
      return flowHash(flow);
    };
    expect(withValue("1.0")).toBe(withValue("1"));
    expect(withValue("-0")).toBe(withValue("0"));
    expect(withValue("1e2")).toBe(withValue("100"));
    expect(withValue('"1e2"')).not.toBe(withValue("100"));
    expect(withValue('"1"')).not.toBe(withValue("1"));
  });

  it("order nodes by numeric id, variables by name and conditions by field, operator and value", () => {
    const flow = bindOrThrow(loadTemplate("AppleMessages_inbound_flow"), VALID_BINDINGS);
    flow.variables.reverse();
    flow.trigger.conditions = [
      { field: "cce.event", operator: "notequals", value: "b" },
      { field: "cce.event", operator: "equals", value: "z" },
      { field: "cce.event", operator: "equals", value: "a" },
    ];
    const canonical = canonicalFlow(flow);
    expect(canonical.nodes.map((node) => node.id)).toEqual([
      "2",
      "13",
      "150",
      "179",
      "180",
      "211",
      "2009",
      "2071",
      "2072",
    ]);
    expect(canonical.variables.map((variable) => variable.name)).toEqual([
      "conversationId",
      "defaultCustomerName",
    ]);
    expect(
      canonical.trigger.conditions.map((condition) => `${condition.operator} ${condition.value}`),
    ).toEqual(["equals a", "equals z", "notequals b"]);
  });

  it("serialise keys by code unit, integer-like keys included, without whitespace", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1.5, c: "x" }], "10": true, "9": null })).toBe(
      '{"10":true,"9":null,"a":[2,{"c":"x","d":1.5}],"b":1}',
    );
  });

  it("keep a key named __proto__ as data", () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as JsonValue;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});
