/**
 * Turns a preview digest into resource-level changes: which resource (URN, type, name), which field, which values,
 * and for live flows the node-level lines of the flow library's diff. Two readings of the same digest:
 *  - "drift" (`preview --refresh`): what Webex Connect shows now differs from what the program declares;
 *    values read expected (program) → live.
 *  - "preview" (a pull request): what `pulumi up` would change; values read current → proposed.
 */
import { credentialLikeValues } from "../policies/rules/configMapCredentials";
import { diffFlows, flowDiagram, mermaidFence, parseFlowDocument, type FlowDocument } from "../flows";
import { AMB_ASSET_TYPE, LIVE_FLOW_TYPE, UNKNOWN } from "../lib/facts";
import { parseUrn, type PreviewDigest, type PreviewStep } from "./previewDigest";

export type ReportMode = "drift" | "preview";

export const DIRECTION: Record<ReportMode, string> = {
  drift: "expected (program) → live",
  preview: "current → proposed",
};

/** Steps that change something; the rest (same, refresh, read, the halves of a replace) are not reported. */
const REPORTED_OPS = new Set(["create", "update", "delete", "replace", "import"]);

export interface FieldChange {
  /** Input path, e.g. `definition`, `metadata.labels.app`, `nodes[3].config.domain`. */
  field: string;
  before?: unknown;
  after?: unknown;
  /** For a live flow's definition: one line per node-level change. */
  flowChanges?: string[];
  /** For a live flow's definition: the flow as a Mermaid flowchart, the changed nodes highlighted. */
  diagram?: string;
}

/**
 * Fields whose values read better in words: an AMB asset's serviceId is its Webex Engage registration, and the
 * provider reads "not registered" as an empty serviceId (providers/ambAsset.ts).
 */
const FIELD_WORDS: Record<string, Record<string, (value: unknown) => string>> = {
  [AMB_ASSET_TYPE]: {
    serviceId: (value) =>
      value === undefined || value === "" || value === null
        ? "not registered"
        : `registered to Webex Engage with service ${showValue(value)}`,
  },
};

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  op: string;
  fields: FieldChange[];
}

type Inputs = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Leaf-level differences between two JSON values; objects and arrays are walked, anything else compared whole. */
export function leafChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const walk = (
    keys: string[],
    child: (key: string) => string,
    get: (value: unknown, key: string) => unknown,
  ) => keys.flatMap((key) => leafChanges(get(before, key), get(after, key), child(key)));
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const get = (value: unknown, key: string) => (value as Record<string, unknown>)[key];
    return walk(keys, (key) => (path ? `${path}.${key}` : key), get);
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const indexes = Array.from({ length: Math.max(before.length, after.length) }, (_, index) =>
      String(index),
    );
    const get = (value: unknown, key: string) => (value as unknown[])[Number(key)];
    return walk(indexes, (index) => `${path}[${index}]`, get);
  }
  return [{ field: path, before, after }];
}

function asFlow(value: unknown): FlowDocument | undefined {
  try {
    return parseFlowDocument(value, "definition");
  } catch {
    return undefined;
  }
}

/** The engine's own inputs (the serialized dynamic provider) are not the user's configuration. */
function ownInputs(inputs: Inputs | undefined): Inputs {
  return Object.fromEntries(Object.entries(inputs ?? {}).filter(([key]) => !key.startsWith("__")));
}

/**
 * `refreshedFlowChanges`: the node-level lines the flow's refresh found (its `liveChanges` output). They stand in
 * when the program's definition is not known during the preview, so a changed node is reported whatever else
 * drifted.
 */
function inputChanges(
  type: string,
  before: Inputs,
  after: Inputs,
  refreshedFlowChanges: string[],
): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => {
    if (type === LIVE_FLOW_TYPE && key === "definition") {
      const [a, b] = [asFlow(before[key]), asFlow(after[key])];
      if (a && b) {
        const changes = diffFlows(a, b);
        if (changes.length === 0) return [];
        const flowChanges = changes.map((change) => change.line);
        return [{ field: key, flowChanges, diagram: flowDiagram(a, b, { changes }) }];
      }
      if (refreshedFlowChanges.length > 0) return [{ field: key, flowChanges: refreshedFlowChanges }];
    }
    return leafChanges(before[key], after[key], key);
  });
}

function refreshedFlowChanges(step: PreviewStep): string[] {
  const lines = step.oldState?.outputs?.liveChanges;
  return Array.isArray(lines) ? lines.filter((line): line is string => typeof line === "string") : [];
}

/** A live flow deactivated in the portal changes no input; the refreshed status says so. */
function liveFlowStatusChange(step: PreviewStep, mode: ReportMode): FieldChange[] {
  const status = step.oldState?.outputs?.status;
  if (step.oldState?.type !== LIVE_FLOW_TYPE || status === undefined || status === "live") return [];
  return mode === "drift"
    ? [{ field: "status", before: "live", after: status }]
    : [{ field: "status", before: status, after: "live" }];
}

/** Keys the provider names as changed that no input difference explains. */
function providerReportedChanges(step: PreviewStep, covered: FieldChange[]): FieldChange[] {
  const named = [
    ...(step.diffReasons ?? []),
    ...(step.replaceReasons ?? []),
    ...Object.keys(step.detailedDiff ?? {}),
  ];
  const root = (field: string) => field.split(/[.[]/)[0];
  const coveredRoots = new Set(covered.map((change) => root(change.field)));
  return [...new Set(named.map(root))].filter((key) => !coveredRoots.has(key)).map((field) => ({ field }));
}

function stepChange(step: PreviewStep, mode: ReportMode): ResourceChange {
  const { type, name } = parseUrn(step.urn);
  const old = ownInputs(step.oldState?.inputs);
  const proposed = ownInputs(step.newState?.inputs);
  const [before, after] = mode === "drift" ? [proposed, old] : [old, proposed];
  const compared = step.op === "update" || step.op === "replace";
  const fields = compared ? inputChanges(type, before, after, refreshedFlowChanges(step)) : [];
  const extra = compared
    ? [...liveFlowStatusChange(step, mode), ...providerReportedChanges(step, fields)]
    : [];
  return {
    urn: step.urn,
    type: step.newState?.type ?? step.oldState?.type ?? type,
    name,
    op: step.op,
    fields: [...fields, ...extra.filter((change) => !fields.some((field) => field.field === change.field))],
  };
}

/** Every resource (not component) the digest would change, in the engine's order. */
export function resourceChanges(digest: PreviewDigest, mode: ReportMode): ResourceChange[] {
  const isCustom = (step: PreviewStep) => (step.newState ?? step.oldState)?.custom !== false;
  return digest.steps
    .filter((step) => REPORTED_OPS.has(step.op) && isCustom(step))
    .map((step) => stepChange(step, mode));
}

const OP_WORDS: Record<ReportMode, Record<string, string>> = {
  drift: {
    create: "not in the stack's state (deleted outside Pulumi, or never deployed): would be created",
    update: "differs from the program",
    delete: "in the stack's state but no longer in the program",
    replace: "differs in a field that forces replacement",
    import: "would be imported",
  },
  preview: {
    create: "to create",
    update: "to update",
    delete: "to delete",
    replace: "to replace",
    import: "to import",
  },
};

const OP_SYMBOLS: Record<string, string> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "+-",
  import: "=",
};

const MAX_VALUE_LENGTH = 160;

export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A value as the markdown shows it: unknowns named, long values cut, and a value that looks like a credential (the
 * policy pack's detectors) replaced by what it looks like, so a report never prints one.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return "(absent)";
  if (value === UNKNOWN) return "(known after update)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const credentials = credentialLikeValues(text);
  if (credentials.length > 0) return `(hidden: looks like ${credentials.map(({ what }) => what).join(", ")})`;
  return `\`${cut(text, MAX_VALUE_LENGTH).replace(/`/g, "'")}\``;
}

/** A fenced Mermaid block inside a list item (indented to the item's text), which GitHub draws as a diagram. */
function diagramLines(diagram: string): string[] {
  const legend =
    "  Highlighted: changed (yellow), added (green), removed (red, dashed); dotted arrows are outcomes removed.";
  return ["", ...mermaidFence(diagram, "  "), "", legend, ""];
}

function fieldLines(change: FieldChange, type: string): string[] {
  if (change.flowChanges)
    return [
      `- \`${change.field}\`:`,
      ...(change.diagram ? diagramLines(change.diagram) : []),
      ...change.flowChanges.map((line) => `  - ${line}`),
    ];
  if (!("before" in change) && !("after" in change))
    return [`- \`${change.field}\`: changed (reported by the provider)`];
  const show = FIELD_WORDS[type]?.[change.field] ?? showValue;
  return [`- \`${change.field}\`: ${show(change.before)} → ${show(change.after)}`];
}

/** Markdown for one stack's changes: a heading per resource, a line per field, node lines for flows. */
export function renderChanges(changes: ResourceChange[], mode: ReportMode): string {
  return changes
    .map((change) => {
      const heading = `#### ${OP_SYMBOLS[change.op] ?? change.op} \`${change.name}\` (\`${change.type}\`): ${OP_WORDS[mode][change.op] ?? change.op}`;
      const fields = change.fields.flatMap((field) => fieldLines(field, change.type));
      const unexplained =
        change.op === "update" && fields.length === 0
          ? ["- the provider reports a change that no input shows"]
          : [];
      const details = [...fields, ...unexplained];
      return [heading, "", `URN: \`${change.urn}\``, ...(details.length > 0 ? ["", ...details] : [])].join(
        "\n",
      );
    })
    .join("\n\n");
}
