/**
 * Checks a bound flow before it is uploaded: the graph (start node, outcomes, reachability), the node
 * types and their required fields, CCE variable rules, the Domain FQDN, what AMB nodes send and that every rich
 * send is gated on the customer's device (flows/gate.ts), and that no placeholder remains.
 */
import { checkFqdn } from "../lib/fqdn";
import { findPlaceholders } from "./bindings";
import { deviceGateProblems } from "./gate";
import {
  AMB_MESSAGE_TYPES,
  AMB_PAYLOAD_FIELD,
  AMB_TEXT_FIELD,
  isAmbMessageType,
  isAmbRichMessageType,
  isAmbTextMessageType,
  NODE_TYPES,
  nodeTypeSpec,
  type NodeTypeSpec,
} from "./nodeTypes";
import { getPath, isJsonObject, leaves } from "./paths";
import type { FlowProblem } from "./problems";
import { TASK_VARIABLE_FIELDS, TASK_VARIABLES, taskVariableProblem } from "./taskVariables";
import type { FlowDocument, FlowNode, JsonValue } from "./schema";

type Where = Pick<FlowProblem, "nodeId" | "nodeName">;
type Located = Omit<FlowProblem, "flow">;

function isUnset(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

function placeholderMessage(value: string): string | undefined {
  const found = findPlaceholders(value);
  return found.length === 0
    ? undefined
    : `still holds the placeholder ${found.join(", ")}; bind the flow before uploading it.`;
}

function placeholderProblems(where: Where, fields: Array<{ path: string; value: JsonValue }>): Located[] {
  return fields.flatMap(({ path, value }) => {
    const message = typeof value === "string" ? placeholderMessage(value) : undefined;
    return message === undefined ? [] : [{ ...where, field: path, message }];
  });
}

function taskVariableProblems(node: FlowNode, where: Where): Located[] {
  return TASK_VARIABLE_FIELDS.flatMap((field) => {
    const variables = node.config[field];
    if (variables === undefined) return [];
    if (!isJsonObject(variables)) {
      return [
        {
          ...where,
          field,
          message: `must be an object of ${TASK_VARIABLES[field].prefix}… names to values.`,
        },
      ];
    }
    return Object.entries(variables).flatMap(([name, value]) => {
      const message = taskVariableProblem(field, name, value);
      return message === undefined ? [] : [{ ...where, field: `${field}.${name}`, message }];
    });
  });
}

/** An AMB node sends one of the node's message types: text in `message`, a rich payload (an object) in `payload`. */
function ambMessageProblems(node: FlowNode, where: Where): Located[] {
  const { messageType } = node.config;
  if (isUnset(messageType)) return [];
  if (!isAmbMessageType(messageType)) {
    const message = `is ${JSON.stringify(messageType)}, which is not a message type of the AMB node (${AMB_MESSAGE_TYPES.join(", ")}).`;
    return [{ ...where, field: "messageType", message }];
  }
  if (isAmbTextMessageType(messageType) && isUnset(node.config[AMB_TEXT_FIELD])) {
    const message = `is required on a ${messageType} send but is not set: give the text the customer sees.`;
    return [{ ...where, field: AMB_TEXT_FIELD, message }];
  }
  if (isAmbRichMessageType(messageType) && !isJsonObject(node.config[AMB_PAYLOAD_FIELD])) {
    const message =
      `must be Apple's ${messageType} message as an object (the payload the node sends) but is ` +
      `${JSON.stringify(node.config[AMB_PAYLOAD_FIELD] ?? null)}; build it with flows/apple.`;
    return [{ ...where, field: AMB_PAYLOAD_FIELD, message }];
  }
  return [];
}

function nodeSpecProblems(node: FlowNode, spec: NodeTypeSpec, where: Where): Located[] {
  const problems: Located[] = [];
  if (node.version !== spec.version) {
    problems.push({
      ...where,
      field: "version",
      message: `is "${node.version}"; this library models ${spec.displayName} v${spec.version} only: use that version or add the new one to flows/nodeTypes.ts.`,
    });
  }
  for (const field of spec.requiredFields) {
    if (isUnset(getPath(node.config, field))) {
      problems.push({ ...where, field, message: `is required on ${spec.displayName} but is not set.` });
    }
  }
  for (const site of spec.bindings.filter((bindingSite) => bindingSite.binding === "proxyFqdn")) {
    const value = getPath(node.config, site.field);
    if (typeof value !== "string" || isUnset(value) || findPlaceholders(value).length > 0) continue;
    const check = checkFqdn(value);
    if (!check.ok) problems.push({ ...where, field: site.field, message: check.message });
  }
  if (spec.outcomes !== "any") {
    const allowed = spec.outcomes;
    for (const outcome of Object.keys(node.outcomes).filter((name) => !allowed.includes(name))) {
      problems.push({
        ...where,
        field: `outcomes.${outcome}`,
        message: `${JSON.stringify(outcome)} is not an outcome of ${spec.displayName} (its outcomes: ${allowed.join(", ")}).`,
      });
    }
  }
  return problems;
}

function unreachableNodes(flow: FlowDocument, ids: ReadonlySet<string>): FlowNode[] {
  const reached = new Set<string>([flow.startNodeId]);
  const queue = [flow.startNodeId];
  const byId = new Map(flow.nodes.map((node) => [node.id, node]));
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of Object.values(byId.get(id)?.outcomes ?? {})) {
      if (ids.has(next) && !reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  return flow.nodes.filter((node) => !reached.has(node.id));
}

/** Every problem of `flow`, flow-level first, then the trigger, then node by node in document order. */
export function validateFlow(flow: FlowDocument): FlowProblem[] {
  const ids = new Set(flow.nodes.map((node) => node.id));
  const start = flow.nodes.find((node) => node.id === flow.startNodeId);
  const atStart = { nodeId: flow.startNodeId, nodeName: start?.name };
  const problems: Located[] = [];

  const { trigger } = flow;
  const flowFields = {
    name: flow.name,
    description: flow.description,
    serviceId: flow.serviceId,
    variables: flow.variables,
  };
  problems.push(...placeholderProblems({}, leaves(flowFields)));
  if (start === undefined) {
    problems.push({
      field: "startNodeId",
      message: `names node ${flow.startNodeId}, which does not exist; set it to the id of the flow's Start node.`,
    });
  } else if (start.type !== "start") {
    problems.push({
      ...atStart,
      field: "type",
      message: `is "${start.type}"; the node startNodeId names must be a Start node.`,
    });
  }
  if (trigger.kind === "channelEvent" && isUnset(trigger.asset)) {
    problems.push({
      ...atStart,
      field: "trigger.asset",
      message: "is not set; a channel-event trigger needs the AMB asset whose events start the flow.",
    });
  }
  problems.push(...placeholderProblems(atStart, leaves(trigger, "trigger")));

  flow.nodes.forEach((node, index) => {
    const where = { nodeId: node.id, nodeName: node.name };
    if (flow.nodes.findIndex((other) => other.id === node.id) !== index) {
      problems.push({
        ...where,
        field: "id",
        message: `is also the id of an earlier node; node ids must be unique.`,
      });
    }
    const spec = nodeTypeSpec(node.type);
    if (spec === undefined) {
      problems.push({
        ...where,
        field: "type",
        message: `"${node.type}" is not a node type this library knows (${Object.keys(NODE_TYPES).join(", ")}); replace the node or add its type to flows/nodeTypes.ts.`,
      });
    } else {
      problems.push(...nodeSpecProblems(node, spec, where));
    }
    if (node.type === "cceCreateTask") problems.push(...taskVariableProblems(node, where));
    if (node.type === "ambMessage") problems.push(...ambMessageProblems(node, where));
    for (const [outcome, next] of Object.entries(node.outcomes).filter(([, target]) => !ids.has(target))) {
      problems.push({
        ...where,
        field: `outcomes.${outcome}`,
        message: `leads to node ${next}, which does not exist; point it at an existing node or remove the outcome.`,
      });
    }
    problems.push(
      ...placeholderProblems(where, [{ path: "name", value: node.name }, ...leaves(node.config)]),
    );
  });

  if (start !== undefined) {
    for (const node of unreachableNodes(flow, ids)) {
      problems.push({
        nodeId: node.id,
        nodeName: node.name,
        field: "id",
        message: `cannot be reached from the start node ${flow.startNodeId}; connect an outcome to it or remove it.`,
      });
    }
  }
  if (start !== undefined) problems.push(...deviceGateProblems(flow));
  return problems.map((problem) => ({ flow: flow.name, ...problem }));
}
