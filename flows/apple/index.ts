/** Apple's interactive and rich messages as typed values, checked offline against Apple's rules (docs/rich-messages.md). */
export {
  applePay,
  authentication,
  form,
  iMessageApp,
  interactiveBid,
  listPicker,
  quickReply,
  richLink,
  textMessage,
  timePicker,
  type InteractiveArgs,
} from "./build";
export {
  CAPABILITIES,
  parseCapabilityList,
  requiredCapability,
  type Capability,
  type DeviceRequirement,
} from "./capability";
export { BUILT_IN_KINDS, messageKind, type BuiltInKind, type MessageKind } from "./kinds";
export { APPLE_MESSAGE_RULES, appleMessageRule } from "./registry";
export type { AppleMessageRule, Finding, RuleScope } from "./rule";
export { isClassicAuthentication } from "./rules/authentication";
export { appleMessageSchema } from "./schema";
export { interactiveDataBytes, RESPONSE_BY_REFERENCE_BYTES, responseComesByReference } from "./size";
export { SOURCES, type RuleSource } from "./sources";
export * from "./types";
export {
  describeAppleMessageProblem,
  formatAppleMessageProblem,
  formatAppleMessageProblems,
  validateAppleMessage,
  type AppleMessageProblem,
} from "./validate";
