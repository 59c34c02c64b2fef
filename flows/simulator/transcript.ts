/** A simulated conversation in words, one line per node, for people: the CLI and the PR comment print it. */
import { aMessageType } from "../nodeTypes";
import type { CustomerMessage, Simulation, SimulationStep, StepAction } from "./types";

const quoted = (text: string) => JSON.stringify(text);
const json = (value: unknown) => JSON.stringify(value);

function customerMessage(message: CustomerMessage): string {
  return message.kind === "text"
    ? `wrote ${quoted(message.text)}${message.attachments?.length ? ` with ${message.attachments.length} attachment(s)` : ""}`
    : `answered the ${message.to}: ${quoted(message.text)}`;
}

function describeAction(action: StepAction): string {
  switch (action.kind) {
    case "started":
      return `${action.trigger}: the customer ${customerMessage(action.message)}`;
    case "searchedConversation":
      return action.found === undefined
        ? "found no conversation"
        : `found conversation ${action.found.id} (${action.found.status})`;
    case "createdConversation":
      return `created conversation ${action.conversationId}`;
    case "appendedToConversation":
      return `the agent's conversation ${action.conversationId} gets ${action.messageType} ${quoted(action.message)}, extras ${json(action.extras)}`;
    case "closedConversation":
      return `closed conversation ${action.conversationId}`;
    case "createdCceTask": {
      const task = Object.entries(action.task)
        .filter(([, value]) => value !== "")
        .map(([field, value]) => `${field} ${value}`)
        .join(", ");
      return `CCE gets a new task (${task}); call variables ${json(action.callVariables)}, ECC variables ${json(action.eccVariables)}; CCE answers ${action.status}`;
    }
    case "endedCceTask":
      return `CCE ends task ${action.taskId} on ${action.domain}; CCE answers ${action.status}`;
    case "sentText":
      return `the customer sees ${quoted(action.text)}`;
    case "sentTyping":
      return `the customer sees the typing indicator ${action.on ? "start" : "stop"}`;
    case "sentRichPayload":
      return action.shown
        ? `the customer sees ${aMessageType(action.messageType)}`
        : `sends ${aMessageType(action.messageType)} the customer's device cannot show (it needs ${action.needs})`;
    case "waitingForReply":
      return `waits for the customer (${action.event})`;
    case "received":
      return `the customer ${customerMessage(action.reply)}`;
    case "replyTimedOut":
      return `the customer did not reply (${action.event})`;
    case "evaluated":
      return `decided ${quoted(action.outcome)}`;
    case "branchedOnDestination":
      return action.eventId === undefined
        ? `destination ${action.destination} has no route`
        : `destination ${action.destination} goes to custom event ${action.eventId}`;
    case "raisedCustomEvent":
      return `raised custom event ${action.eventId} with ${json(action.parameters)}`;
  }
}

/** `node 21 "Greeting Menu" (ambMessage): the customer sees a listPicker → onSuccess`. */
export function describeStep(step: SimulationStep): string {
  const outcome = step.outcome === undefined ? "" : ` → ${step.outcome}`;
  return `node ${step.nodeId} ${quoted(step.nodeName)} (${step.nodeType}): ${describeAction(step.action)}${outcome}`;
}

/** The whole conversation: a heading with the flow and the device, the steps, and why it stopped. */
export function formatSimulation(simulation: Simulation): string {
  return [
    `${simulation.flow} on ${simulation.device}:`,
    ...simulation.steps.map((step) => `  ${describeStep(step)}`),
    `  ${simulation.stop.kind}: ${simulation.stop.message}`,
  ].join("\n");
}
