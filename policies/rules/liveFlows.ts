/**
 * Reading LiveFlow resources for the flow rules: the flow document of the `definition` input, read defensively
 * (parts may be unknown at preview), and the binding sites the flow library declares per node type.
 */
import { formatProblem, NODE_TYPES, type BindingKey, type FlowProblem } from "../../flows";
import { asArray, asObject, isUnknown, type Outcome, type Props, type ResourceView } from "./engineValues";
import { describeResource } from "./resources";
import { LIVE_FLOW_TYPE } from "../../lib/facts";

interface FlowNodeView {
  id: string;
  name: string;
  type: string;
  config: Props;
}

export function liveFlowsOf(resources: ResourceView[]): ResourceView[] {
  return resources.filter((resource) => resource.type === LIVE_FLOW_TYPE);
}

/** `LiveFlow "inbound" (AppleMessages_inbound_flow__TestAccount_Cisco)`: the resource and the flow's name. */
export function flowLabel(flow: ResourceView): string {
  const { name } = flow.props;
  const known = typeof name === "string" && !isUnknown(name);
  return `${describeResource(flow)}${known ? ` (${name})` : ""}`;
}

/** The flow document, or undefined (recorded as skipped) while it is not known. */
export function flowDefinition(flow: ResourceView, outcome: Outcome): Props | undefined {
  const { definition } = flow.props;
  if (!outcome.known(definition, `${flowLabel(flow)} definition`)) return undefined;
  return asObject(definition);
}

export function flowNodes(definition: Props): FlowNodeView[] {
  return asArray(definition.nodes).flatMap((entry) => {
    const node = asObject(entry);
    if (node === undefined) return [];
    const text = (value: unknown) => (typeof value === "string" ? value : String(value));
    return [
      {
        id: text(node.id),
        name: text(node.name),
        type: text(node.type),
        config: asObject(node.config) ?? {},
      },
    ];
  });
}

/** The config fields of a node that the binding `key` fills in, per flows/nodeTypes.ts. */
export function bindingFields(nodeType: string, key: BindingKey): string[] {
  if (!Object.hasOwn(NODE_TYPES, nodeType)) return [];
  const spec = NODE_TYPES[nodeType as keyof typeof NODE_TYPES];
  return spec.bindings.filter((site) => site.binding === key).map((site) => site.field);
}

/**
 * A problem in the flow's own words, e.g. `LiveFlow "inbound" (…): node 150 "CCE Create Task", field domain: …`; the
 * resource's label replaces the flow name a problem from the flow library carries.
 */
export function flowProblem(flow: ResourceView, where: Omit<FlowProblem, "flow">): string {
  return formatProblem({ ...where, flow: flowLabel(flow) });
}
