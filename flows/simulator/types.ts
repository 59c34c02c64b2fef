/** What a simulated conversation starts from, and the transcript it gives back (flows/simulator/index.ts). */
import type { Capability } from "../deviceSupport";
import type { JsonObject } from "../paths";
import type { AmbRichMessageType } from "../nodeTypes";
import type { JsonValue } from "../schema";

/** A message from the customer: text, or their answer to an interactive message (a list picker choice, a form, …). */
export type CustomerMessage =
  | { readonly kind: "text"; readonly text: string; readonly attachments?: readonly JsonValue[] }
  | {
      readonly kind: "answer";
      /** The rich message answered. */
      readonly to: AmbRichMessageType;
      /** The text of the answer's reply bubble, e.g. the list item's title. */
      readonly text: string;
      /** The answer as Apple gives it, e.g. the selected items or a form's `[{pageIdentifier, items}]`. */
      readonly payload: JsonValue;
      /** The request identifier of the message answered; flows that send rich messages themselves use `system`. */
      readonly requestIdentifier?: string;
    };

/** What the customer does when a Receive node waits: a message, or nothing until the node times out. */
export type CustomerReply = CustomerMessage | { readonly kind: "noReply" };

/** The customer's device: its capability-list values and its device agent. */
export interface SimulatedDevice {
  readonly name: string;
  readonly capabilityList: readonly Capability[];
  readonly deviceAgent: string;
}

export interface SimulationInput {
  readonly device: SimulatedDevice;
  /** The inbound message that starts the flow. */
  readonly message: CustomerMessage;
  /** The customer's successive replies, one per Receive node reached; when they run out, the customer is waited for. */
  readonly replies?: readonly CustomerReply[];
  /** The conversation Search Conversation finds; none by default. */
  readonly conversation?: {
    readonly status: "active" | "inQueue" | "onHold" | "closed";
    readonly id: string;
    readonly taskId: string;
  };
  /** The status CCE answers CCE Create Task with (an outcome of the node); "201" by default. */
  readonly cceCreateTaskStatus?: string;
  /** The customer's opaque id and the asset's App ID as the inbound message carries them. */
  readonly abcUserId?: string;
  readonly appId?: string;
  /** Nodes run at most; a flow that neither ends nor waits for the customer is cut there. DEFAULT_MAX_STEPS by default. */
  readonly maxSteps?: number;
}

/** What happened at one node: what the customer saw, what reached CCE or the agent's conversation, what was decided. */
export type StepAction =
  | { readonly kind: "started"; readonly trigger: string; readonly message: CustomerMessage }
  | {
      readonly kind: "searchedConversation";
      readonly found?: { readonly status: string; readonly id: string };
    }
  | { readonly kind: "createdConversation"; readonly conversationId: string }
  | {
      readonly kind: "appendedToConversation";
      readonly conversationId: string;
      readonly messageType: string;
      readonly message: string;
      readonly extras: JsonValue;
    }
  | { readonly kind: "closedConversation"; readonly conversationId: string }
  | {
      readonly kind: "createdCceTask";
      /** Domain, taskId, destination, mediaType, mediaChannel, customerId, … as sent to CCE. */
      readonly task: Readonly<Record<string, string>>;
      readonly callVariables: JsonValue;
      readonly eccVariables: JsonValue;
      readonly status: string;
    }
  | {
      readonly kind: "endedCceTask";
      readonly domain: string;
      readonly taskId: string;
      readonly status: string;
    }
  | { readonly kind: "sentText"; readonly text: string }
  | { readonly kind: "sentTyping"; readonly on: boolean }
  | {
      readonly kind: "sentRichPayload";
      readonly messageType: AmbRichMessageType;
      readonly payload: JsonValue;
      /** Whether the customer's device shows it; when not, `needs` says what it lacks. */
      readonly shown: boolean;
      readonly needs?: string;
    }
  | { readonly kind: "waitingForReply"; readonly event: string }
  | { readonly kind: "received"; readonly event: string; readonly reply: CustomerMessage }
  | { readonly kind: "replyTimedOut"; readonly event: string }
  | { readonly kind: "evaluated"; readonly outcome: string }
  | { readonly kind: "branchedOnDestination"; readonly destination: string; readonly eventId?: string }
  | { readonly kind: "raisedCustomEvent"; readonly eventId: string; readonly parameters: JsonValue };

export interface SimulationStep {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly nodeType: string;
  readonly action: StepAction;
  /** The outcome the node took; absent where the conversation stopped. */
  readonly outcome?: string;
}

/** Why the simulation stopped. */
export type SimulationStop =
  /** A node took an outcome the flow does not list: the flow ended there. */
  | { readonly kind: "ended"; readonly nodeId: string; readonly outcome: string; readonly message: string }
  /** A Receive node waits and no scripted reply is left. */
  | { readonly kind: "waiting"; readonly nodeId: string; readonly message: string }
  /** The trigger's conditions do not hold for the inbound message. */
  | { readonly kind: "notStarted"; readonly message: string }
  /** maxSteps nodes ran without the flow ending or waiting: it loops. */
  | { readonly kind: "stepLimit"; readonly message: string }
  /** A node could not run: a script error, a reference not set, a reply that does not fit, an unknown node type. */
  | { readonly kind: "failed"; readonly nodeId: string; readonly message: string };

export interface Simulation {
  readonly flow: string;
  readonly device: string;
  readonly steps: readonly SimulationStep[];
  readonly stop: SimulationStop;
}

/** What a node's run gives: what happened, the outcome taken (none while waiting), and the node's outputs. */
export interface NodeRun {
  readonly action: StepAction;
  readonly outcome?: string;
  readonly outputs?: JsonObject;
}
