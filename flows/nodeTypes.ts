/**
 * What this library knows about each node type: the version the templates are written for, the config
 * fields that must be set, the outcomes the node can take, and which fields a binding fills in.
 * Versions and outcomes of CCE Create Task (v1.2), CCE End Task (v1.0) and Search Conversation (v1.4) come
 * from the CCE flow documentation; the rest is modeled (see docs/flows.md).
 */
import type { BindingKey } from "./bindings";

export interface BindingSite {
  /** Dotted path inside the node's config. */
  readonly field: string;
  readonly binding: BindingKey;
}

export interface NodeTypeSpec {
  readonly displayName: string;
  readonly version: string;
  /** Dotted config paths that must hold a value (not absent, null, "" or empty). */
  readonly requiredFields: readonly string[];
  /** The outcome names the node can take; "any" where the flow author names them (Evaluate). */
  readonly outcomes: readonly string[] | "any";
  readonly bindings: readonly BindingSite[];
}

/**
 * What an AMB node sends (`config.messageType`): the options the node offers (help.webexconnect.io/docs/
 * apple-messages-for-business: Text, Text with Attachments, Quick Replies, Rich Link, List Picker, Time Picker, Form
 * Message, Payment, Classical Authentication, iMessage App, New Authentication Message) and the typing indicators of
 * the messaging API. The names and the fields below are modeled: the node's JSON is not public.
 */
export const AMB_TEXT_MESSAGE_TYPES = ["text", "textWithAttachments"] as const;
export const AMB_TYPING_MESSAGE_TYPES = ["typing_start", "typing_end"] as const;
export const AMB_RICH_MESSAGE_TYPES = [
  "quickReply",
  "listPicker",
  "timePicker",
  "richLink",
  "form",
  "applePay",
  "authentication",
  "classicAuthentication",
  "iMessageApp",
] as const;
export const AMB_MESSAGE_TYPES = [
  ...AMB_TEXT_MESSAGE_TYPES,
  ...AMB_TYPING_MESSAGE_TYPES,
  ...AMB_RICH_MESSAGE_TYPES,
] as const;
export type AmbMessageType = (typeof AMB_MESSAGE_TYPES)[number];
export type AmbRichMessageType = (typeof AMB_RICH_MESSAGE_TYPES)[number];

/** An AMB node's config field holding the text of a text send. */
export const AMB_TEXT_FIELD = "message";
/**
 * An AMB node's config field holding a rich send's payload: Apple's message as Apple documents it (an interactive
 * message `{type: "interactive", interactiveData: {bid, data, receivedMessage, replyMessage}}`, or a rich link
 * `{type: "richLink", richLinkData}`); flows/apple builds and checks it.
 */
export const AMB_PAYLOAD_FIELD = "payload";

export function isAmbMessageType(value: unknown): value is AmbMessageType {
  return typeof value === "string" && (AMB_MESSAGE_TYPES as readonly string[]).includes(value);
}

export function isAmbRichMessageType(value: unknown): value is AmbRichMessageType {
  return typeof value === "string" && (AMB_RICH_MESSAGE_TYPES as readonly string[]).includes(value);
}

/** `a listPicker`, `an iMessageApp`: a message type in a sentence. */
export function aMessageType(messageType: string): string {
  return `${/^[aeiou]/i.test(messageType) ? "an" : "a"} ${messageType}`;
}

export function isAmbTextMessageType(value: unknown): boolean {
  return typeof value === "string" && (AMB_TEXT_MESSAGE_TYPES as readonly string[]).includes(value);
}

const CCE_CREATE_TASK_OUTCOMES = ["200", "201", "400", "403", "404", "500", "502", "503", "20200"];
const SUCCESS_OR_FAILURE = ["onSuccess", "onFailure"];

export const NODE_TYPES = {
  start: {
    displayName: "Start",
    version: "1.0",
    requiredFields: [],
    outcomes: ["onStart"],
    bindings: [],
  },
  /**
   * Runs `script` (JavaScript returning the outcome name). A capability branch is an Evaluate node that also carries
   * `capabilityBranch`, the declaration its script is generated from (flows/capabilityBranch.ts).
   */
  evaluate: {
    displayName: "Evaluate",
    version: "1.0",
    requiredFields: ["script"],
    outcomes: "any",
    bindings: [],
  },
  searchConversation: {
    displayName: "Search Conversation",
    version: "1.4",
    requiredFields: ["channel", "ambAccountId", "ambUserId"],
    outcomes: [
      "noConversationFound",
      "conversationInQueue",
      "conversationActive",
      "conversationClosed",
      "conversationOnHold",
    ],
    bindings: [{ field: "ambAccountId", binding: "ambAccountId" }],
  },
  createConversation: {
    displayName: "Create Conversation",
    version: "1.0",
    requiredFields: ["channel", "aliasId", "ambAccountId", "ambUserId"],
    outcomes: SUCCESS_OR_FAILURE,
    bindings: [{ field: "ambAccountId", binding: "ambAccountId" }],
  },
  appendConversation: {
    displayName: "Append Conversation",
    version: "1.0",
    requiredFields: ["conversationId", "messageType", "message", "extras.capabilityList"],
    outcomes: SUCCESS_OR_FAILURE,
    bindings: [],
  },
  closeConversation: {
    displayName: "Close Conversation",
    version: "1.0",
    requiredFields: ["conversationId"],
    outcomes: SUCCESS_OR_FAILURE,
    bindings: [],
  },
  cceCreateTask: {
    displayName: "CCE Create Task",
    version: "1.2",
    requiredFields: ["domain", "taskId", "destination", "mediaType", "mediaChannel", "customerId"],
    outcomes: CCE_CREATE_TASK_OUTCOMES,
    bindings: [
      { field: "domain", binding: "proxyFqdn" },
      { field: "callVariables", binding: "callVariables" },
      { field: "eccVariables", binding: "eccVariables" },
    ],
  },
  cceEndTask: {
    displayName: "CCE End Task",
    version: "1.0",
    requiredFields: ["domain", "taskId"],
    outcomes: CCE_CREATE_TASK_OUTCOMES.filter((outcome) => outcome !== "20200"),
    bindings: [{ field: "domain", binding: "proxyFqdn" }],
  },
  /** Sends `messageType` (AMB_MESSAGE_TYPES): text in `message`, a rich payload in `payload`. */
  ambMessage: {
    displayName: "Apple Messages For Business",
    version: "1.0",
    requiredFields: ["asset", "destination", "messageType"],
    outcomes: SUCCESS_OR_FAILURE,
    bindings: [{ field: "asset", binding: "ambAssetId" }],
  },
  receive: {
    displayName: "Receive",
    version: "1.0",
    requiredFields: ["event", "from", "timeoutSeconds"],
    outcomes: ["onReceive", "onTimeout"],
    bindings: [],
  },
  destinationBranch: {
    displayName: "Branch on Destination",
    version: "1.0",
    requiredFields: ["variable", "routes"],
    outcomes: ["matched", "noMatch"],
    bindings: [{ field: "routes", binding: "destinationRoutes" }],
  },
  customEvent: {
    displayName: "Custom Event",
    version: "1.0",
    requiredFields: ["eventId", "correlationId"],
    outcomes: SUCCESS_OR_FAILURE,
    bindings: [],
  },
} as const satisfies Record<string, NodeTypeSpec>;

export type NodeType = keyof typeof NODE_TYPES;

export function nodeTypeSpec(type: string): NodeTypeSpec | undefined {
  return Object.hasOwn(NODE_TYPES, type) ? NODE_TYPES[type as NodeType] : undefined;
}
