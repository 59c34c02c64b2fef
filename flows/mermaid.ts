/**
 * A changed flow as a Mermaid flowchart, for the PR comment and the drift report (GitHub renders ```mermaid
 * blocks): the flow's nodes and outcomes, the nodes that the semantic diff (`diffFlows`) names highlighted, and
 * the outcomes that are gone drawn dotted. A large flow is cut to the changed nodes and their neighbours, the
 * rest folded into one "unchanged nodes" box, so a 60-node flow still reads at comment width.
 */
import { canonicalFlow, compareNodeIds } from "./canonical";
import { diffFlows, type FlowChange } from "./diff";
import type { FlowDocument, FlowNode } from "./schema";

export type NodeMark = "added" | "removed" | "changed";

/** Above this many nodes only the changed nodes, their neighbours and the start node are drawn. */
export const DIAGRAM_MAX_NODES = 24;

/** Colours with a text word beside them (`· changed`), so the picture reads without colour too. */
const CLASS_DEFS: Record<NodeMark | "elided", string> = {
  changed: "fill:#fff3bf,stroke:#b7791f,stroke-width:3px,color:#1a1a1a",
  added: "fill:#d3f9d8,stroke:#2b8a3e,stroke-width:3px,color:#1a1a1a",
  removed: "fill:#ffe3e3,stroke:#c92a2a,stroke-width:3px,stroke-dasharray:6 3,color:#1a1a1a",
  elided: "fill:#f1f3f5,stroke:#868e96,stroke-dasharray:3 3,color:#495057",
};

const ELIDED_ID = "unchanged";

/** The node each change belongs to; flow-level and trigger changes belong to the start node (the trigger). */
export function changedNodeMarks(changes: readonly FlowChange[], startNodeId: string): Map<string, NodeMark> {
  const marks = new Map<string, NodeMark>();
  for (const change of changes) {
    const nodeId = change.nodeId ?? startNodeId;
    const whole = change.field === "node" && change.kind !== "changed";
    if (whole) marks.set(nodeId, change.kind);
    else if (!marks.has(nodeId)) marks.set(nodeId, "changed");
  }
  return marks;
}

/** Text inside a quoted Mermaid label: entity codes for the characters Mermaid would read as syntax. */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/`/g, "#96;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\s+/g, " ")
    .trim();
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly outcome: string;
  readonly gone: boolean;
}

function edgesOf(flow: FlowDocument, gone: boolean): Edge[] {
  return flow.nodes.flatMap((node) =>
    Object.keys(node.outcomes)
      .sort()
      .map((outcome) => ({ from: node.id, to: node.outcomes[outcome], outcome, gone })),
  );
}

const edgeKey = (edge: Edge) => `${edge.from} ${edge.outcome} ${edge.to}`;

/** The nodes to draw: all of them, or for a large flow the marked nodes, their neighbours and the start. */
function shownNodeIds(
  nodeIds: readonly string[],
  edges: readonly Edge[],
  marks: ReadonlyMap<string, NodeMark>,
  startNodeId: string,
  maxNodes: number,
): Set<string> {
  if (nodeIds.length <= maxNodes) return new Set(nodeIds);
  const near = new Set([startNodeId, ...marks.keys()]);
  for (const edge of edges) {
    if (marks.has(edge.from)) near.add(edge.to);
    if (marks.has(edge.to)) near.add(edge.from);
  }
  if (near.size <= maxNodes) return near;
  return new Set([startNodeId, ...marks.keys()]);
}

function nodeLine(node: FlowNode, flow: FlowDocument, mark: NodeMark | undefined): string {
  const isStart = node.id === flow.startNodeId;
  const trigger = isStart ? `${mermaidText(`${flow.trigger.kind} ${flow.trigger.event}`)}<br/>` : "";
  const label = `${mermaidText(node.name)}<br/>${trigger}node ${node.id}${mark ? ` · ${mark}` : ""}`;
  const [open, close] = isStart ? ["([", "])"] : ["[", "]"];
  return `  n${node.id}${open}"${label}"${close}${mark ? `:::${mark}` : ""}`;
}

/** One arrow per pair of boxes and kind: outcomes that lead the same way share it (`400, 403, 500`). */
function edgeLines(edges: readonly Edge[], shown: ReadonlySet<string>): string[] {
  const end = (id: string) => (shown.has(id) ? `n${id}` : ELIDED_ID);
  const arrows = new Map<string, { from: string; to: string; gone: boolean; outcomes: string[] }>();
  for (const edge of edges) {
    if (!shown.has(edge.from) && !shown.has(edge.to)) continue;
    const [from, to] = [end(edge.from), end(edge.to)];
    const key = `${from} ${to} ${edge.gone}`;
    const arrow = arrows.get(key) ?? { from, to, gone: edge.gone, outcomes: [] };
    if (!arrow.outcomes.includes(edge.outcome)) arrow.outcomes.push(edge.outcome);
    arrows.set(key, arrow);
  }
  return [...arrows.values()].map(({ from, to, gone, outcomes }) => {
    const label = `"${mermaidText(outcomes.join(", "))}${gone ? " (removed)" : ""}"`;
    return `  ${from} ${gone ? "-.->" : "-->"}|${label}| ${to}`;
  });
}

/**
 * The Mermaid source of `after` with the differences from `before` marked: changed and added nodes of `after`,
 * removed nodes of `before`, outcomes that `after` no longer has drawn dotted. Deterministic: nodes by id, outcomes
 * by name. `changes` defaults to `diffFlows(before, after)`.
 */
export function flowDiagram(
  before: FlowDocument,
  after: FlowDocument,
  options: { changes?: readonly FlowChange[]; maxNodes?: number } = {},
): string {
  const a = canonicalFlow(before);
  const b = canonicalFlow(after);
  const marks = changedNodeMarks(options.changes ?? diffFlows(before, after), b.startNodeId);
  const afterIds = new Set(b.nodes.map((node) => node.id));
  const removedNodes = a.nodes.filter((node) => !afterIds.has(node.id));
  const nodes = [...b.nodes, ...removedNodes].sort((x, y) => compareNodeIds(x.id, y.id));
  const current = edgesOf(b, false);
  const currentKeys = new Set(current.map(edgeKey));
  const edges = [...current, ...edgesOf(a, true).filter((edge) => !currentKeys.has(edgeKey(edge)))];
  const shown = shownNodeIds(
    nodes.map((node) => node.id),
    edges,
    marks,
    b.startNodeId,
    options.maxNodes ?? DIAGRAM_MAX_NODES,
  );
  const hidden = nodes.length - shown.size;
  const usedClasses = (["changed", "added", "removed"] as const).filter((mark) =>
    [...marks.values()].includes(mark),
  );
  return [
    "---",
    `title: ${JSON.stringify(b.name)}`,
    "---",
    "flowchart TD",
    ...nodes
      .filter((node) => shown.has(node.id))
      .map((node) => nodeLine(node, afterIds.has(node.id) ? b : a, marks.get(node.id))),
    ...(hidden > 0 ? [`  ${ELIDED_ID}[["… ${hidden} unchanged node(s) not drawn"]]:::elided`] : []),
    ...edgeLines(edges, shown),
    ...[...usedClasses, ...(hidden > 0 ? (["elided"] as const) : [])].map(
      (name) => `  classDef ${name} ${CLASS_DEFS[name]}`,
    ),
  ].join("\n");
}

/** A diagram as a fenced ```mermaid block (GitHub draws it), indented for use inside a markdown list item. */
export function mermaidFence(diagram: string, indent = ""): string[] {
  return [
    `${indent}\`\`\`mermaid`,
    ...diagram.split("\n").map((line) => `${indent}${line}`),
    `${indent}\`\`\``,
  ];
}
