/** Flow templates and the pure library that binds, validates, hashes and diffs them (docs/flows.md). */
export {
  bindFlow,
  bindingSites,
  DESTINATION_FIELD,
  readBindings,
  type BindingSite,
  type BindResult,
} from "./bind";
export { placeholder, type DestinationRoute, type FlowBindings, type BindingKey } from "./bindings";
export { canonicalFlow, canonicalJson, flowHash } from "./canonical";
export { diffFlows, type FlowChange } from "./diff";
export { DIAGRAM_MAX_NODES, flowDiagram, mermaidFence, type NodeMark } from "./mermaid";
export { NODE_TYPES, type NodeType, type NodeTypeSpec } from "./nodeTypes";
export { formatProblem, formatProblems, type FlowProblem } from "./problems";
export {
  assetEventsFlowTemplate,
  boundFlowName,
  CCE_EVENTS,
  commonWebhookFlowTemplate,
  customerCloseFlowTemplate,
  inboundFlowTemplate,
  listTemplates,
  loadTemplate,
  webhookEventFlowTemplates,
  type CceEvent,
  type TemplateName,
} from "./registry";
export {
  flowDocumentSchema,
  parseFlowDocument,
  type FlowCondition,
  type FlowDocument,
  type FlowNode,
  type FlowTrigger,
  type FlowVariable,
  type JsonValue,
} from "./schema";
export {
  TASK_VARIABLE_FIELDS,
  TASK_VARIABLES,
  taskVariableProblem,
  type TaskVariableField,
} from "./taskVariables";
export { validateFlow } from "./validate";
/** Apple's rich messages: typed builders, the validator and its rule registry (docs/rich-messages.md). */
export * as appleMessages from "./apple";
