/**
 * Semantic diff of two flows for previews and drift reports: node by node (matched by id), field by field,
 * after canonicalisation, so formatting and the order of order-free arrays never show up as changes.
 * Config arrays are compared whole; objects are compared leaf by leaf (`extras.capabilityList`).
 */
import { canonicalFlow, canonicalJson, compareNodeIds } from "./canonical";
import { leaves, type JsonObject } from "./paths";
import type { FlowDocument, FlowNode, JsonValue } from "./schema";

export interface FlowChange {
  readonly kind: "added" | "removed" | "changed";
  /** The node changed; absent for flow-level and trigger changes. */
  readonly nodeId?: string;
  readonly nodeName?: string;
  /** Config path for config fields (`domain`), else `name`, `type`, `version`, `outcomes.<outcome>`,
   * `node` (a whole node), `trigger.<field>`, `trigger.conditions[<field> <operator>]`, `variables.<name>`
   * or a flow-level field. */
  readonly field: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  /** e.g. `CCE Create Task (node 12): domain cc-old.example.com → cc.example.com`. */
  readonly line: string;
}

type Subject = { readonly label: string; readonly nodeId?: string; readonly nodeName?: string };
type Field = { readonly field: string; readonly label: string };

function show(value: JsonValue): string {
  return typeof value === "string" && value.trim() === value && value !== "" ? value : canonicalJson(value);
}

function change(
  subject: Subject,
  field: Field,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): FlowChange[] {
  const location = { nodeId: subject.nodeId, nodeName: subject.nodeName, field: field.field };
  if (before === undefined) {
    if (after === undefined) return [];
    return [
      {
        ...location,
        kind: "added",
        after,
        line: `${subject.label}: ${field.label} added: ${show(after)}`,
      },
    ];
  }
  if (after === undefined) {
    return [
      {
        ...location,
        kind: "removed",
        before,
        line: `${subject.label}: ${field.label} removed (was ${show(before)})`,
      },
    ];
  }
  if (canonicalJson(before) === canonicalJson(after)) return [];
  return [
    {
      ...location,
      kind: "changed",
      before,
      after,
      line: `${subject.label}: ${field.label} ${show(before)} → ${show(after)}`,
    },
  ];
}

/** Changes between two maps of leaf values keyed by field. */
function mapChanges(
  subject: Subject,
  before: ReadonlyMap<string, JsonValue>,
  after: ReadonlyMap<string, JsonValue>,
  toField: (key: string) => Field,
): FlowChange[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  return keys.flatMap((key) => change(subject, toField(key), before.get(key), after.get(key)));
}

const sameName = (key: string): Field => ({ field: key, label: key });

/** Leaf values by path; an empty object has no leaves, so `{}` and `{ a: 1 }` differ by `a` alone. */
function leafMap(value: JsonObject, prefix = ""): Map<string, JsonValue> {
  if (Object.keys(value).length === 0) return new Map();
  return new Map(leaves(value, prefix, true).map(({ path, value: leaf }) => [path, leaf]));
}

function nodeChanges(before: FlowNode | undefined, after: FlowNode | undefined): FlowChange[] {
  const node = (after ?? before) as FlowNode;
  const subject = { label: `${node.name} (node ${node.id})`, nodeId: node.id, nodeName: node.name };
  if (before === undefined || after === undefined) {
    const kind = before === undefined ? "added" : "removed";
    const line = `${subject.label} ${kind} (${node.type} v${node.version})`;
    return [{ kind, nodeId: node.id, nodeName: node.name, field: "node", before, after, line }];
  }
  const attributes = (n: FlowNode) =>
    new Map<string, JsonValue>([
      ["name", n.name],
      ["type", n.type],
      ["version", n.version],
    ]);
  return [
    ...mapChanges(subject, attributes(before), attributes(after), sameName),
    ...mapChanges(subject, leafMap(before.config), leafMap(after.config), sameName),
    ...mapChanges(
      subject,
      leafMap(before.outcomes, "outcomes"),
      leafMap(after.outcomes, "outcomes"),
      sameName,
    ),
  ];
}

function conditionValues(flow: FlowDocument): Map<string, JsonValue> {
  const grouped = new Map<string, string[]>();
  for (const condition of flow.trigger.conditions) {
    const key = `${condition.field} ${condition.operator}`;
    grouped.set(key, [...(grouped.get(key) ?? []), condition.value]);
  }
  // A single value per field and operator reads as a change of value; several are compared as a set.
  return new Map([...grouped].map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
}

/** The changes that turn `before` into `after`; empty when they are the same flow. */
export function diffFlows(before: FlowDocument, after: FlowDocument): FlowChange[] {
  const a = canonicalFlow(before);
  const b = canonicalFlow(after);
  const flowFields = (flow: FlowDocument) =>
    new Map<string, JsonValue>([
      ["schemaVersion", flow.schemaVersion],
      ["name", flow.name],
      ["description", flow.description],
      ["serviceId", flow.serviceId],
      ["startNodeId", flow.startNodeId],
    ]);
  const variables = (flow: FlowDocument) =>
    new Map(flow.variables.map((variable) => [variable.name, variable.defaultValue]));
  const trigger = (flow: FlowDocument) =>
    new Map<string, JsonValue>(
      (["kind", "event", "asset"] as const).flatMap((key) => {
        const value = flow.trigger[key];
        return value === undefined ? [] : [[key, value]];
      }),
    );
  const flowSubject = { label: "Flow" };
  const triggerSubject = { label: "Trigger" };
  const nodesById = (flow: FlowDocument) => new Map(flow.nodes.map((node) => [node.id, node]));
  const aNodes = nodesById(a);
  const bNodes = nodesById(b);
  const nodeIds = [...new Set([...aNodes.keys(), ...bNodes.keys()])].sort(compareNodeIds);
  return [
    ...mapChanges(flowSubject, flowFields(a), flowFields(b), sameName),
    ...mapChanges(flowSubject, variables(a), variables(b), (name) => ({
      field: `variables.${name}`,
      label: `variable ${name}`,
    })),
    ...mapChanges(triggerSubject, trigger(a), trigger(b), (key) => ({ field: `trigger.${key}`, label: key })),
    ...mapChanges(triggerSubject, conditionValues(a), conditionValues(b), (key) => ({
      field: `trigger.conditions[${key}]`,
      label: `condition ${key}`,
    })),
    ...nodeIds.flatMap((id) => nodeChanges(aNodes.get(id), bNodes.get(id))),
  ];
}
