/**
 * What each node type does in a simulated conversation: the one definition of node execution in the project (the
 * emulator stores flows but runs none). Modeled on the node facts of docs/flows.md; what no document says (the
 * outputs each node gives, the conversation and task ids, CCE's answer) is ours and listed there.
 */
import * as vm from "node:vm";
import { describeRequirement, deviceShows, sendRequirement } from "../deviceSupport";
import {
  AMB_PAYLOAD_FIELD,
  AMB_TEXT_FIELD,
  isAmbRichMessageType,
  isAmbTextMessageType,
  type NodeType,
} from "../nodeTypes";
import { getPath, isJsonObject, type JsonObject } from "../paths";
import type { FlowNode, JsonValue } from "../schema";
import { SimulationFailure, type Scope } from "./references";
import type { CustomerMessage, CustomerReply, NodeRun, SimulatedDevice, SimulationInput } from "./types";

/** Long enough for any branch script, short enough that a script looping forever stops the simulation. */
const SCRIPT_TIMEOUT_MS = 1000;

export interface RunContext {
  readonly input: SimulationInput;
  readonly scope: Scope;
  /** The flow's trigger in words, e.g. `channelEvent incomingMessage`. */
  readonly trigger: string;
  /** The customer's next scripted reply, or undefined when none is left. */
  nextReply(): CustomerReply | undefined;
  newConversationId(): string;
}

type Semantics = (node: FlowNode, context: RunContext) => NodeRun;

const SEARCH_OUTCOMES = {
  active: "conversationActive",
  inQueue: "conversationInQueue",
  onHold: "conversationOnHold",
  closed: "conversationClosed",
} as const;

/** The config field at `path` as text, its references resolved; "" when it is not set. */
function text(node: FlowNode, context: RunContext, path: string): string {
  const value = getPath(node.config, path);
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return context.scope.text(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new SimulationFailure(`field ${path} must be text, not ${JSON.stringify(value)}.`);
}

/** The config field at `path` with every reference in it resolved; null when it is not set. */
function resolved(node: FlowNode, context: RunContext, path: string): JsonValue {
  return context.scope.value(getPath(node.config, path) ?? null);
}

/** The fields the inbound message and a Receive node give (Data Stream's names; capabilityList URL-encoded). */
export function messageFields(message: CustomerMessage, device: SimulatedDevice): JsonObject {
  const common = {
    capabilityList: encodeURIComponent(device.capabilityList.join(",")),
    deviceAgent: device.deviceAgent,
    message: message.text,
  };
  if (message.kind === "text") {
    const attachments = message.attachments ?? [];
    return {
      ...common,
      messageType: "text",
      payload: message.text,
      attachments: attachments.length === 0 ? "" : JSON.stringify(attachments),
      requestIdentifier: "",
    };
  }
  return {
    ...common,
    messageType: "interactive",
    payload: JSON.stringify(message.payload),
    attachments: "",
    requestIdentifier: message.requestIdentifier ?? "",
  };
}

export const SIMULATED_ABC_USER_ID = "urn:mbid:simulated-customer";
export const SIMULATED_APP_ID = "simulated-app-id";

/** The Start node's `abc` outputs: the inbound message, the customer's opaque id and the asset's App ID. */
export function inboundFields(input: SimulationInput): JsonObject {
  return {
    ...messageFields(input.message, input.device),
    abcUserId: input.abcUserId ?? SIMULATED_ABC_USER_ID,
    appId: input.appId ?? SIMULATED_APP_ID,
  };
}

/** Runs an Evaluate script (its references already replaced) as a function body; its return value is the outcome. */
function runScript(code: string): string {
  let result: unknown;
  try {
    result = vm.runInNewContext(`(function () {\n${code}\n})()`, {}, { timeout: SCRIPT_TIMEOUT_MS });
  } catch (error) {
    // Errors of the script's own realm are not instances of this realm's Error.
    throw new SimulationFailure(
      `its script failed: ${String((error as { message?: unknown }).message ?? error)}.`,
    );
  }
  if (typeof result === "string" || typeof result === "number") return String(result);
  throw new SimulationFailure(
    `its script returned ${result === undefined ? "nothing" : JSON.stringify(result)}; an Evaluate script returns the name of the outcome to take.`,
  );
}

function ambMessage(node: FlowNode, context: RunContext): NodeRun {
  const messageType = text(node, context, "messageType");
  if (isAmbTextMessageType(messageType))
    return { action: { kind: "sentText", text: text(node, context, AMB_TEXT_FIELD) }, outcome: "onSuccess" };
  if (messageType === "typing_start" || messageType === "typing_end")
    return { action: { kind: "sentTyping", on: messageType === "typing_start" }, outcome: "onSuccess" };
  if (!isAmbRichMessageType(messageType))
    throw new SimulationFailure(
      `messageType ${JSON.stringify(messageType)} is not a message type of the AMB node.`,
    );
  const payload = resolved(node, context, AMB_PAYLOAD_FIELD);
  const requirement = sendRequirement({ messageType, payload });
  const shown = deviceShows(context.input.device, requirement);
  return {
    action: {
      kind: "sentRichPayload",
      messageType,
      payload,
      shown,
      ...(shown || requirement === undefined ? {} : { needs: describeRequirement(requirement) }),
    },
    outcome: "onSuccess",
  };
}

function receive(node: FlowNode, context: RunContext): NodeRun {
  const event = text(node, context, "event");
  const reply = context.nextReply();
  if (reply === undefined) return { action: { kind: "waitingForReply", event } };
  if (reply.kind === "noReply") return { action: { kind: "replyTimedOut", event }, outcome: "onTimeout" };
  if (event !== "incomingMessage" && reply.kind === "text")
    throw new SimulationFailure(
      `it waits for ${JSON.stringify(event)}, an answer to an interactive message, but the customer's next scripted ` +
        `reply is the text ${JSON.stringify(reply.text)}: script an answer ({kind: "answer", …}) for this node.`,
    );
  return {
    action: { kind: "received", event, reply },
    outcome: "onReceive",
    outputs: { receive: messageFields(reply, context.input.device) },
  };
}

function searchConversation(_node: FlowNode, context: RunContext): NodeRun {
  const found = context.input.conversation;
  if (found === undefined)
    return {
      action: { kind: "searchedConversation" },
      outcome: "noConversationFound",
      outputs: { conversation: { id: "", taskId: "" } },
    };
  return {
    action: { kind: "searchedConversation", found: { status: found.status, id: found.id } },
    outcome: SEARCH_OUTCOMES[found.status],
    outputs: { conversation: { id: found.id, taskId: found.taskId } },
  };
}

const TASK_FIELDS = [
  "domain",
  "taskId",
  "conversationId",
  "destination",
  "mediaType",
  "mediaChannel",
  "customerId",
  "preferredOwner",
  "scriptSelector",
];

function cceCreateTask(node: FlowNode, context: RunContext): NodeRun {
  const task = Object.fromEntries(
    TASK_FIELDS.filter((field) => node.config[field] !== undefined).map((field) => [
      field,
      text(node, context, field),
    ]),
  );
  const status = context.input.cceCreateTaskStatus ?? "201";
  const variables = (field: string) => {
    const value = resolved(node, context, field);
    return isJsonObject(value) ? value : {};
  };
  return {
    action: {
      kind: "createdCceTask",
      task,
      callVariables: variables("callVariables"),
      eccVariables: variables("eccVariables"),
      status,
    },
    outcome: status,
    outputs: { task: { id: task.taskId ?? "" } },
  };
}

export const NODE_SEMANTICS: Record<NodeType, Semantics> = {
  start: (_node, context) => ({
    action: { kind: "started", trigger: context.trigger, message: context.input.message },
    outcome: "onStart",
    outputs: { abc: inboundFields(context.input) },
  }),
  evaluate: (node, context) => {
    const script = node.config.script;
    if (typeof script !== "string") throw new SimulationFailure("it has no script to run.");
    const outcome = runScript(context.scope.script(script));
    return { action: { kind: "evaluated", outcome }, outcome, outputs: { outcome } };
  },
  searchConversation,
  createConversation: (_node, context) => {
    const conversationId = context.newConversationId();
    return {
      action: { kind: "createdConversation", conversationId },
      outcome: "onSuccess",
      outputs: { conversation: { id: conversationId } },
    };
  },
  appendConversation: (node, context) => ({
    action: {
      kind: "appendedToConversation",
      conversationId: text(node, context, "conversationId"),
      messageType: text(node, context, "messageType"),
      message: text(node, context, "message"),
      extras: resolved(node, context, "extras"),
    },
    outcome: "onSuccess",
  }),
  closeConversation: (node, context) => ({
    action: { kind: "closedConversation", conversationId: text(node, context, "conversationId") },
    outcome: "onSuccess",
  }),
  cceCreateTask,
  cceEndTask: (node, context) => ({
    action: {
      kind: "endedCceTask",
      domain: text(node, context, "domain"),
      taskId: text(node, context, "taskId"),
      status: "200",
    },
    outcome: "200",
  }),
  ambMessage,
  receive,
  destinationBranch: (node, context) => {
    const destination = text(node, context, "variable");
    const routes = resolved(node, context, "routes");
    const route = (Array.isArray(routes) ? routes : []).find(
      (candidate) => isJsonObject(candidate) && candidate.appId === destination,
    );
    const eventId = isJsonObject(route) && typeof route.eventId === "string" ? route.eventId : undefined;
    return eventId === undefined
      ? { action: { kind: "branchedOnDestination", destination }, outcome: "noMatch" }
      : {
          action: { kind: "branchedOnDestination", destination, eventId },
          outcome: "matched",
          outputs: { route: { eventId } },
        };
  },
  customEvent: (node, context) => ({
    action: {
      kind: "raisedCustomEvent",
      eventId: text(node, context, "eventId"),
      parameters: resolved(node, context, "parameters"),
    },
    outcome: "onSuccess",
  }),
};
