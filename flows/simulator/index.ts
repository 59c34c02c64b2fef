/**
 * A conversation simulator: a flow document, the customer's inbound message, device and scripted replies in; node by
 * node, what the customer sees, what reaches the agent's conversation and CCE, and what was decided, out. Pure and
 * offline: it runs the flow as docs/flows.md ("Simulating a conversation") defines node execution.
 */
import { CAPABILITIES } from "../deviceSupport";
import type { FlowCondition, FlowDocument, FlowNode } from "../schema";
import { isJsonObject, type JsonObject } from "../paths";
import { inboundFields, NODE_SEMANTICS, type RunContext } from "./nodes";
import { Scope, SimulationFailure } from "./references";
import type { Simulation, SimulationInput, SimulationStep, SimulationStop, SimulatedDevice } from "./types";

export type * from "./types";
export { describeStep, formatSimulation } from "./transcript";

/** Nodes a simulation runs at most, unless the input says otherwise: far more than any conversation's turn needs. */
export const DEFAULT_MAX_STEPS = 200;

/** The value of `$(flid)`, the flow instance id. */
export const SIMULATED_FLOW_INSTANCE_ID = "simulated-flow-instance";

/**
 * Two devices to simulate on (modeled values): an iPhone with every capability, and a Mac without LIST and FORM,
 * so a flow's rich sends and their text fallbacks are both seen.
 */
export const SIMULATED_DEVICES = {
  iphone: { name: "iPhone", capabilityList: [...CAPABILITIES], deviceAgent: "iPhone15,2 iOS/17.4" },
  mac: {
    name: "Mac without LIST and FORM",
    capabilityList: ["QUICK", "TIME", "AUTH", "AUTH2"],
    deviceAgent: "Mac14,2 macOS/14.4",
  },
} as const satisfies Record<string, SimulatedDevice>;

const shown = (node: FlowNode) => `node ${node.id} ${JSON.stringify(node.name)}`;

/** Whether the trigger's conditions hold: `equals` combine with OR, `notequals` with AND, on the message's fields. */
function conditionsHold(flow: FlowDocument, fields: JsonObject): boolean {
  const valueOf = (condition: FlowCondition) => {
    const name = condition.field.startsWith("abc.") ? condition.field.slice(4) : undefined;
    const value = name === undefined ? undefined : fields[name];
    if (typeof value !== "string")
      throw new Error(
        `${flow.name}: trigger condition on ${condition.field} cannot be simulated: conditions are read from the ` +
          `inbound message's fields, abc.<field> (${Object.keys(fields).join(", ")}).`,
      );
    return value;
  };
  const { conditions } = flow.trigger;
  const equals = conditions.filter((condition) => condition.operator === "equals");
  const notEquals = conditions.filter((condition) => condition.operator === "notequals");
  return (
    (equals.length === 0 || equals.some((condition) => valueOf(condition) === condition.value)) &&
    notEquals.every((condition) => valueOf(condition) !== condition.value)
  );
}

/** The step limit's message, naming the loop: the nodes from the last visit of `next` back to it. */
function loopMessage(steps: readonly SimulationStep[], next: FlowNode, maxSteps: number): string {
  const lastVisit = steps.map((step) => step.nodeId).lastIndexOf(next.id);
  const loop = [...steps.slice(lastVisit === -1 ? -1 : lastVisit), { nodeId: next.id, nodeName: next.name }];
  return (
    `stopped after ${maxSteps} steps without reaching the end of the flow or a Receive node with no reply left: ` +
    `it loops through ${loop.map((step) => `node ${step.nodeId} ${JSON.stringify(step.nodeName)}`).join(" → ")}. ` +
    "Fix: give the loop a way out (an outcome that ends the flow, or a Receive node that waits for the customer)."
  );
}

function endOf(node: FlowNode, outcome: string, flow: FlowDocument): SimulationStop | FlowNode {
  const nextId = node.outcomes[outcome];
  if (nextId === undefined)
    return {
      kind: "ended",
      nodeId: node.id,
      outcome,
      message: `the flow ended: ${shown(node)} took outcome ${JSON.stringify(outcome)}, which the flow does not continue.`,
    };
  const next = flow.nodes.find((candidate) => candidate.id === nextId);
  return (
    next ?? {
      kind: "failed",
      nodeId: node.id,
      message: `${shown(node)}: outcome ${JSON.stringify(outcome)} leads to node ${nextId}, which does not exist.`,
    }
  );
}

/**
 * Simulates the conversation `input` describes on `flow`, a flow started by the customer's message (a channel-event
 * trigger). It stops when the flow ends, when a Receive node waits and no scripted reply is left, when a node fails,
 * or after `maxSteps` nodes.
 */
export function simulateConversation(flow: FlowDocument, input: SimulationInput): Simulation {
  if (flow.trigger.kind !== "channelEvent")
    throw new Error(
      `${flow.name} starts on a ${flow.trigger.kind} (${flow.trigger.event}); the simulator runs flows a customer's ` +
        "message starts (trigger kind channelEvent).",
    );
  const start = flow.nodes.find((node) => node.id === flow.startNodeId);
  if (start === undefined || start.type !== "start")
    throw new Error(
      `${flow.name}: startNodeId ${flow.startNodeId} is not a Start node; run validateFlow first.`,
    );
  const maxSteps = input.maxSteps ?? DEFAULT_MAX_STEPS;
  const result = (steps: SimulationStep[], stop: SimulationStop): Simulation => ({
    flow: flow.name,
    device: input.device.name,
    steps,
    stop,
  });
  if (!conditionsHold(flow, inboundFields(input)))
    return result([], {
      kind: "notStarted",
      message: `the flow does not start: the inbound message does not meet its trigger conditions.`,
    });

  const variables = Object.fromEntries(
    flow.variables.map((variable) => [variable.name, variable.defaultValue]),
  );
  const scope = new Scope({ flid: SIMULATED_FLOW_INSTANCE_ID, ...variables });
  const replies = [...(input.replies ?? [])];
  let conversations = 0;
  const context: RunContext = {
    input,
    scope,
    trigger: `${flow.trigger.kind} ${flow.trigger.event}`,
    nextReply: () => replies.shift(),
    newConversationId: () => `simulated-conversation-${(conversations += 1)}`,
  };
  const steps: SimulationStep[] = [];
  for (let node = start; ; ) {
    if (steps.length >= maxSteps)
      return result(steps, { kind: "stepLimit", message: loopMessage(steps, node, maxSteps) });
    const semantics = Object.hasOwn(NODE_SEMANTICS, node.type)
      ? NODE_SEMANTICS[node.type as keyof typeof NODE_SEMANTICS]
      : undefined;
    if (semantics === undefined)
      return result(steps, {
        kind: "failed",
        nodeId: node.id,
        message: `${shown(node)}: the simulator does not know node type ${JSON.stringify(node.type)}.`,
      });
    let run;
    try {
      run = semantics(node, context);
      scope.setOutputs(node.id, run.outputs ?? {});
      // setVariables reads the node's own outputs, so it runs after the node.
      const setVariables = node.config.setVariables;
      for (const [name, value] of Object.entries(isJsonObject(setVariables) ? setVariables : {}))
        scope.setVariable(name, typeof value === "string" ? scope.text(value) : JSON.stringify(value));
    } catch (error) {
      if (!(error instanceof SimulationFailure)) throw error;
      return result(steps, { kind: "failed", nodeId: node.id, message: `${shown(node)}: ${error.message}` });
    }
    const where = { nodeId: node.id, nodeName: node.name, nodeType: node.type };
    if (run.outcome === undefined) {
      steps.push({ ...where, action: run.action });
      return result(steps, {
        kind: "waiting",
        nodeId: node.id,
        message: `${shown(node)} waits for the customer's reply; no scripted reply is left.`,
      });
    }
    steps.push({ ...where, action: run.action, outcome: run.outcome });
    const next = endOf(node, run.outcome, flow);
    if ("kind" in next) return result(steps, next);
    node = next;
  }
}
