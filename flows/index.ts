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
export {
  CAPABILITY_BRANCH_FIELD,
  capabilityBranchNode,
  capabilityBranchScript,
  readCapabilityBranch,
  type CapabilityBranch,
  type CapabilityBranchInput,
} from "./capabilityBranch";
export { canonicalFlow, canonicalJson, flowHash } from "./canonical";
export {
  CAPABILITIES,
  describeRequirement,
  deviceShows,
  sendRequirement,
  type AmbSend,
  type Capability,
  type RequirementOfSend,
  type SendRequirement,
} from "./deviceSupport";
export { diffFlows, type FlowChange } from "./diff";
export { deviceGateProblems } from "./gate";
export { DIAGRAM_MAX_NODES, flowDiagram, mermaidFence, type NodeMark } from "./mermaid";
export {
  AMB_MESSAGE_TYPES,
  AMB_PAYLOAD_FIELD,
  AMB_RICH_MESSAGE_TYPES,
  NODE_TYPES,
  type AmbMessageType,
  type AmbRichMessageType,
  type NodeType,
  type NodeTypeSpec,
} from "./nodeTypes";
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
export {
  DEFAULT_MAX_STEPS,
  describeStep,
  formatSimulation,
  SIMULATED_DEVICES,
  simulateConversation,
  type CustomerMessage,
  type CustomerReply,
  type SimulatedDevice,
  type Simulation,
  type SimulationInput,
  type SimulationStep,
  type SimulationStop,
  type StepAction,
} from "./simulator";
export { validateFlow } from "./validate";
/** Apple's rich messages: typed builders, the validator and its rule registry (docs/rich-messages.md). */
export * as appleMessages from "./apple";
