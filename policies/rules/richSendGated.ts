/**
 * Every rich send of every live flow is gated on the customer's device: reached only through a capability branch
 * that asserts what the send needs, with a fallback leading to a text send (flows/gate.ts, the rule validateFlow
 * applies when a flow is bound). Apple: the agent console "should not permit sending a payload to a user that is not
 * supported by the user's device". The rule checks the document the resource would make live, whoever built it.
 */
import { z } from "zod";
import { deviceGateProblems, flowDocumentSchema } from "../../flows";
import { LIVE_FLOW_TYPE, UNKNOWN } from "../../lib/facts";
import { resourcePolicy } from "./define";
import { asArray, asObject, isUnknown, Outcome, valueAt, type ResourceView } from "./engineValues";
import { flowDefinition, flowLabel, flowProblem } from "./liveFlows";

/** The parts of a node the gate reads; what else a node holds (asset ids, texts) may be unknown at preview. */
const GATE_FIELDS = [
  "id",
  "type",
  "outcomes",
  "config.messageType",
  "config.payload",
  "config.capabilityBranch",
  "config.script",
];

function hasUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  const object = asObject(value);
  return object !== undefined && Object.values(object).some(hasUnknown);
}

/** The parts of the graph not known yet: the gate is judged on the whole graph, so any of them skips the flow. */
function unknownGraphParts(definition: Record<string, unknown>): string[] {
  return [
    ...(hasUnknown(definition.startNodeId) ? ["startNodeId"] : []),
    ...asArray(definition.nodes).flatMap((node, index) =>
      GATE_FIELDS.filter((field) => hasUnknown(valueAt(node, field))).map(
        (field) => `nodes[${index}].${field}`,
      ),
    ),
  ];
}

export function checkRichSendsGated(flow: ResourceView): Outcome {
  const outcome = new Outcome();
  const definition = flowDefinition(flow, outcome);
  if (definition === undefined) return outcome;
  const unknownParts = unknownGraphParts(definition);
  for (const part of unknownParts) outcome.known(UNKNOWN, `${flowLabel(flow)} ${part}`);
  if (unknownParts.length > 0) return outcome;
  const parsed = flowDocumentSchema.safeParse(definition);
  if (!parsed.success) {
    outcome.fail(
      `${flowLabel(flow)}: its definition is not a flow document, so its sends cannot be checked:\n` +
        `${z.prettifyError(parsed.error)}\nFix: build the definition with the flow library (flows/bind.ts).`,
    );
    return outcome;
  }
  // flowProblem names the resource as well as the flow, in place of the flow's bare name.
  for (const problem of deviceGateProblems(parsed.data)) outcome.fail(flowProblem(flow, problem));
  return outcome;
}

export const richSendGatedPolicy = resourcePolicy({
  name: "rich-sends-gated-on-device",
  description:
    "Every rich send of a live flow is reached only through a capability branch on the customer's capabilityList (and device, for forms and iMessage apps) whose fallback leads to a text send.",
  enforcementLevel: "mandatory",
  appliesTo: (resource) => resource.type === LIVE_FLOW_TYPE,
  check: checkRichSendsGated,
});
