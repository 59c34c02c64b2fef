/**
 * Gated on the device: every AMB send that not every device shows is reached only through a capability branch that
 * asserts what it needs, and that branch has a fallback leading to a text send. Apple: the agent console "should not
 * permit sending a payload to a user that is not supported by the user's device. Bots should use these values to
 * automatically determine which payload type to send." (register.apple.com/resources/messages/msp-rest-api/common-specs)
 *
 * A send is gated when every path from the start node to it takes a branch outcome that asserts its requirement, on
 * a capability branch whose fallback leads to a text send.
 */
import {
  entryAsserts,
  readCapabilityBranch,
  CAPABILITY_BRANCH_FIELD,
  type CapabilityBranch,
} from "./capabilityBranch";
import {
  describeRequirement,
  sendRequirement,
  type RequirementOfSend,
  type SendRequirement,
} from "./deviceSupport";
import { aMessageType, AMB_PAYLOAD_FIELD, isAmbTextMessageType } from "./nodeTypes";
import type { FlowProblem } from "./problems";
import type { FlowDocument, FlowNode } from "./schema";

const APPLE_RULE =
  "Apple: the agent console \"should not permit sending a payload to a user that is not supported by the user's " +
  'device" (register.apple.com/resources/messages/msp-rest-api/common-specs).';

type Graph = ReadonlyMap<string, FlowNode>;

const isTextSend = (node: FlowNode) =>
  node.type === "ambMessage" && isAmbTextMessageType(node.config.messageType);

/** The shortest path from `from` to a node `isTarget` accepts, not taking the edges `blocked` refuses. */
function findPath(
  graph: Graph,
  from: string,
  isTarget: (node: FlowNode) => boolean,
  blocked: (node: FlowNode, outcome: string) => boolean = () => false,
): FlowNode[] | undefined {
  const cameFrom = new Map<string, string | undefined>([[from, undefined]]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const node = graph.get(id);
    if (node === undefined) continue;
    if (isTarget(node)) {
      const path: FlowNode[] = [];
      for (let step: string | undefined = id; step !== undefined; step = cameFrom.get(step)) {
        const onPath = graph.get(step);
        if (onPath !== undefined) path.unshift(onPath);
      }
      return path;
    }
    for (const [outcome, next] of Object.entries(node.outcomes)) {
      if (cameFrom.has(next) || blocked(node, outcome)) continue;
      cameFrom.set(next, id);
      queue.push(next);
    }
  }
  return undefined;
}

const shown = (node: FlowNode) => `node ${node.id} ${JSON.stringify(node.name)}`;

/** A capability branch declaration the fix can copy, for a send that needs `requirement`. */
function exampleBranch(requirement: SendRequirement): string {
  const supports = requirement.capability ?? "Device";
  const entry = [
    `outcome: "supports${supports.charAt(0)}${supports.slice(1).toLowerCase()}"`,
    `capabilities: [${requirement.capability === undefined ? "" : JSON.stringify(requirement.capability)}]`,
    ...(requirement.iPhoneOrIPad ? ["iPhoneOrIPad: true"] : []),
  ];
  const device = requirement.iPhoneOrIPad ? ', deviceAgent: "$(n2.abc.deviceAgent)"' : "";
  return `{capabilityList: "$(n2.abc.capabilityList)"${device}, branches: [{${entry.join(", ")}}], fallback: "text"}`;
}

/** The capability branches of the flow whose fallback leads to a text send; problems for every other one. */
function usableBranches(
  flow: FlowDocument,
  graph: Graph,
  problems: FlowProblem[],
): Map<string, CapabilityBranch> {
  const usable = new Map<string, CapabilityBranch>();
  for (const node of flow.nodes) {
    const read = readCapabilityBranch(node);
    if (read === undefined) continue;
    if (!read.ok) {
      problems.push(...read.problems.map((problem) => ({ flow: flow.name, ...problem })));
      continue;
    }
    const { fallback } = read.branch;
    const where = {
      flow: flow.name,
      nodeId: node.id,
      nodeName: node.name,
      field: `${CAPABILITY_BRANCH_FIELD}.fallback`,
    };
    const next = node.outcomes[fallback];
    if (next === undefined) {
      problems.push({
        ...where,
        message:
          `names the outcome ${JSON.stringify(fallback)}, which the node does not list, so a device without the ` +
          `capabilities would end the conversation with nothing sent. Fix: add outcomes.${fallback} leading to a text send.`,
      });
    } else if (findPath(graph, next, isTextSend) === undefined) {
      problems.push({
        ...where,
        message:
          `outcome ${JSON.stringify(fallback)} leads to node ${next}, from which no text send is reached, so a device ` +
          "without the capabilities would get nothing it can show. Fix: lead the fallback to an AMB node with " +
          'messageType "text".',
      });
    } else {
      usable.set(node.id, read.branch);
    }
  }
  return usable;
}

/**
 * Every problem with the flow's device gating: capability branches that are malformed or lack a text fallback, and
 * every send some path from the start node reaches without a branch asserting what the send needs.
 */
export function deviceGateProblems(
  flow: FlowDocument,
  requirementOf: RequirementOfSend = sendRequirement,
): FlowProblem[] {
  const graph: Graph = new Map(flow.nodes.map((node) => [node.id, node]));
  const problems: FlowProblem[] = [];
  const branches = usableBranches(flow, graph, problems);
  for (const send of flow.nodes.filter((node) => node.type === "ambMessage")) {
    const messageType = send.config.messageType;
    if (typeof messageType !== "string") continue;
    const requirement = requirementOf({ messageType, payload: send.config[AMB_PAYLOAD_FIELD] });
    if (requirement === undefined) continue;
    const asserts = (node: FlowNode, outcome: string) =>
      branches
        .get(node.id)
        ?.branches.some((entry) => entry.outcome === outcome && entryAsserts(entry, requirement)) ?? false;
    const path = findPath(graph, flow.startNodeId, (node) => node.id === send.id, asserts);
    if (path === undefined) continue;
    problems.push({
      flow: flow.name,
      nodeId: send.id,
      nodeName: send.name,
      field: "messageType",
      message:
        `sends ${aMessageType(messageType)}, which needs ${describeRequirement(requirement)}, but the path ` +
        `${path.map(shown).join(" → ")} reaches it without a capability branch that asserts that. ${APPLE_RULE} ` +
        `Fix: reach this node only through an Evaluate node with ${CAPABILITY_BRANCH_FIELD} ` +
        `${exampleBranch(requirement)} and its script from capabilityBranchScript (flows/capabilityBranch.ts), ` +
        "the fallback outcome leading to a text send.",
    });
  }
  return problems;
}
