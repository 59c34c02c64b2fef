/**
 * The Domain of every CCE Create Task and CCE End Task node is a bare hostname (lib/fqdn.ts) and is the FQDN
 * of this stack's Cloud Connect edge, read from the external-dns annotation of the edge's Service. A wrong Domain
 * sends the CCE tasks of the channel nowhere. A stack without an edge gets the bare-hostname check only.
 */
import { checkFqdn } from "../../lib/fqdn";
import { stackPolicy } from "./define";
import { Outcome, valueAt, type ResourceView } from "./engineValues";
import { bindingFields, flowDefinition, flowLabel, flowNodes, flowProblem, liveFlowsOf } from "./liveFlows";
import {
  describeResource,
  EXTERNAL_DNS_HOSTNAME,
  isEdgeObject,
  K8S_SERVICE_TYPE,
  metadataEntry,
} from "./resources";

interface EdgeFqdns {
  known: Array<{ fqdn: string; service: string }>;
  /** Some edge's FQDN is not known yet, so a Domain matching no known edge cannot be judged. */
  incomplete: boolean;
}

function edgeFqdns(resources: ResourceView[], outcome: Outcome): EdgeFqdns {
  const edges: EdgeFqdns = { known: [], incomplete: false };
  for (const service of resources.filter((resource) => isEdgeObject(resource, K8S_SERVICE_TYPE))) {
    const subject = `${describeResource(service)} of the Cloud Connect edge`;
    const hostname = metadataEntry(service, "annotations", EXTERNAL_DNS_HOSTNAME);
    if (!outcome.known(hostname, `${subject}: annotation ${EXTERNAL_DNS_HOSTNAME}`)) {
      edges.incomplete = true;
      continue;
    }
    if (typeof hostname !== "string") {
      outcome.fail(
        `${subject} has no ${EXTERNAL_DNS_HOSTNAME} annotation, so the Domain of the CCE nodes cannot be ` +
          "compared with the edge's FQDN. Fix: create the edge with CloudConnectEdge, which sets it to the FQDN.",
        service.urn,
      );
      continue;
    }
    const check = checkFqdn(hostname);
    if (check.ok) edges.known.push({ fqdn: check.fqdn, service: describeResource(service) });
    else outcome.fail(`${subject}: annotation ${EXTERNAL_DNS_HOSTNAME} ${check.message}`, service.urn);
  }
  return edges;
}

function notTheEdgeMessage(domain: string, edges: EdgeFqdns["known"]): string {
  const list = edges.map((edge) => `${JSON.stringify(edge.fqdn)}, ${edge.service}`).join("; ");
  const fix =
    edges.length === 1
      ? `bind the flow with proxyFqdn ${JSON.stringify(edges[0].fqdn)}`
      : "bind the flow with the proxyFqdn of its edge";
  return (
    `${JSON.stringify(domain)} is not the FQDN of this stack's Cloud Connect edge (${list}), so Webex Connect ` +
    `would send the flow's CCE tasks elsewhere. Fix: ${fix}.`
  );
}

export function checkCceDomains(resources: ResourceView[]): Outcome {
  const outcome = new Outcome();
  const edges = edgeFqdns(resources, outcome);
  for (const flow of liveFlowsOf(resources)) {
    const definition = flowDefinition(flow, outcome);
    if (definition === undefined) continue;
    for (const node of flowNodes(definition)) {
      for (const field of bindingFields(node.type, "proxyFqdn")) {
        const where = { nodeId: node.id, nodeName: node.name, field };
        const value = valueAt(node.config, field);
        if (!outcome.known(value, `${flowLabel(flow)} node ${node.id} ${field}`)) continue;
        const check = checkFqdn(typeof value === "string" ? value : "");
        if (!check.ok) {
          outcome.fail(flowProblem(flow, { ...where, message: check.message }), flow.urn);
        } else if (
          edges.known.length > 0 &&
          !edges.incomplete &&
          !edges.known.some((edge) => edge.fqdn === check.fqdn)
        ) {
          outcome.fail(
            flowProblem(flow, { ...where, message: notTheEdgeMessage(value as string, edges.known) }),
            flow.urn,
          );
        }
      }
    }
  }
  return outcome;
}

export const cceDomainPolicy = stackPolicy({
  name: "cce-domain-is-edge-fqdn",
  description:
    "The Domain of every CCE Create Task / End Task node is a bare hostname and the FQDN of the stack's Cloud Connect edge.",
  enforcementLevel: "mandatory",
  check: checkCceDomains,
});
