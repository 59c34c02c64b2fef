/**
 * The reviewable JSON form of a Webex Connect flow. The platform's own export is an opaque blob, so this
 * shape is ours: it models what the CCE flow documentation describes (trigger and conditions, flow
 * variables, nodes with versions, config and outcomes) and nothing more.
 */
import { z } from "zod";

/** Node ids are numbers in Webex Connect; outputs are referenced as `$(n<id>.<namespace>.<field>)`. */
const nodeIdSchema = z.string().regex(/^[0-9]+$/, 'a node id is a string of digits, e.g. "179"');

/** `equals` conditions combine with OR, `notequals` conditions with AND, so their order carries no meaning. */
export const conditionSchema = z.strictObject({
  field: z.string().min(1),
  operator: z.enum(["equals", "notequals"]),
  value: z.string(),
});

export const triggerSchema = z.strictObject({
  /** What starts the flow: an inbound channel event, the CCE webhook, or a custom event. */
  kind: z.enum(["channelEvent", "webhook", "customEvent"]),
  /** The event within that kind, e.g. "incomingMessage" or the CCE event "CREATED". */
  event: z.string().min(1),
  /** For channel events: the AMB asset whose events start the flow. */
  asset: z.string().optional(),
  conditions: z.array(conditionSchema),
});

export const nodeSchema = z.strictObject({
  id: nodeIdSchema,
  /** One of the node types in flows/nodeTypes.ts; kept open here so that any flow can be read and diffed. */
  type: z.string().min(1),
  name: z.string().min(1),
  version: z.string().regex(/^[0-9]+\.[0-9]+$/, 'a node version looks like "1.2"'),
  config: z.record(z.string(), z.json()),
  /** Outcome name → id of the next node. An outcome that is not listed ends the flow. */
  outcomes: z.record(z.string(), nodeIdSchema),
});

export const flowVariableSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a flow variable name is a letter then letters, digits or _"),
  defaultValue: z.string(),
});

export const flowDocumentSchema = z.strictObject({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  description: z.string(),
  /** The Webex Connect service the flow lives in. */
  serviceId: z.string(),
  trigger: triggerSchema,
  startNodeId: nodeIdSchema,
  variables: z.array(flowVariableSchema),
  nodes: z.array(nodeSchema).min(1),
});

export type JsonValue = z.infer<ReturnType<typeof z.json>>;
export type FlowCondition = z.infer<typeof conditionSchema>;
export type FlowTrigger = z.infer<typeof triggerSchema>;
export type FlowNode = z.infer<typeof nodeSchema>;
export type FlowVariable = z.infer<typeof flowVariableSchema>;
export type FlowDocument = z.infer<typeof flowDocumentSchema>;

/** Parses a flow document, throwing an error that lists every schema problem with its path. */
export function parseFlowDocument(value: unknown, source: string): FlowDocument {
  const result = flowDocumentSchema.safeParse(value);
  if (!result.success) {
    throw new Error(`${source} is not a valid flow document:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
