/**
 * Canonical form and hash of a flow, so that re-running never shows a spurious diff. What does not change
 * the hash: object key order, whitespace, number spelling (1, 1.0 and 1e0 parse to the same number; a
 * string such as "1e2" stays a string), -0 versus 0, and the order of these arrays, which carry no order:
 * `nodes` (sorted by numeric id), `variables` (by name) and `trigger.conditions` (by field, operator,
 * value: equals conditions combine with OR, notequals with AND). Every other array keeps its order.
 */
import { createHash } from "node:crypto";
import { isJsonObject } from "./paths";
import type { FlowCondition, FlowDocument, FlowNode, JsonValue } from "./schema";

/** Compares by code unit, which unlike localeCompare does not depend on the machine's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with keys sorted by code unit at every level; the one serialisation hashes are taken of. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    const entries = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareText)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Error(`${value} is not a JSON number; a flow document holds finite numbers only.`);
  }
  return JSON.stringify(Object.is(value, -0) ? 0 : value);
}

function sortKeysDeep(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isJsonObject(value)) return Object.is(value, -0) ? 0 : value;
  // fromEntries defines own properties, so even a key named "__proto__" stays data.
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareText)
      .map((key) => [key, sortKeysDeep(value[key])]),
  );
}

/** Node ids are digit strings: comparing lengths first orders them numerically without parsing. */
export function compareNodeIds(a: string, b: string): number {
  return a.length - b.length || compareText(a, b);
}

function compareNodes(a: FlowNode, b: FlowNode): number {
  return compareNodeIds(a.id, b.id) || compareText(canonicalJson(a), canonicalJson(b));
}

function compareConditions(a: FlowCondition, b: FlowCondition): number {
  return (
    compareText(a.field, b.field) || compareText(a.operator, b.operator) || compareText(a.value, b.value)
  );
}

/** The flow with order-free arrays sorted and keys sorted at every level; the input is not changed. */
export function canonicalFlow(flow: FlowDocument): FlowDocument {
  const sorted: FlowDocument = {
    ...flow,
    trigger: { ...flow.trigger, conditions: [...flow.trigger.conditions].sort(compareConditions) },
    variables: [...flow.variables].sort(
      (a, b) => compareText(a.name, b.name) || compareText(a.defaultValue, b.defaultValue),
    ),
    nodes: [...flow.nodes].sort(compareNodes),
  };
  return sortKeysDeep(sorted) as FlowDocument;
}

/** sha256 (hex) of the canonical JSON of the flow. */
export function flowHash(flow: FlowDocument): string {
  return createHash("sha256")
    .update(canonicalJson(canonicalFlow(flow)))
    .digest("hex");
}
