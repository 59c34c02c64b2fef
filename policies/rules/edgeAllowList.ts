/**
 * Cisco recommends admitting only the Webex Connect and load-balancer addresses at the edge. The stack config
 * refuses an allow-list that admits every address on a prod stack unless edge.openAllowListWaiver gives a reason;
 * every open allow-list (a waived prod edge, any other environment's) is reported here, on every preview and up.
 */
import { openFamilies } from "../../lib/cidr";
import { OPEN_ALLOW_LIST_WAIVER_ANNOTATION } from "../../lib/conventions";
import { resourcePolicy } from "./define";
import { asObject, Outcome, type ResourceView } from "./engineValues";
import { describeResource, isEdgeObject, K8S_SERVICE_TYPE, metadataEntry } from "./resources";

export function checkEdgeAllowList(service: ResourceView): Outcome {
  const outcome = new Outcome();
  const subject = describeResource(service);
  const spec = service.props.spec;
  if (!outcome.known(spec, `${subject} spec`)) return outcome;
  const ranges = asObject(spec)?.loadBalancerSourceRanges;
  if (!outcome.known(ranges, `${subject} spec.loadBalancerSourceRanges`)) return outcome;
  const waiver = metadataEntry(service, "annotations", OPEN_ALLOW_LIST_WAIVER_ANNOTATION);
  if (!outcome.known(waiver, `${subject} annotation ${OPEN_ALLOW_LIST_WAIVER_ANNOTATION}`)) return outcome;
  const cidrs = Array.isArray(ranges)
    ? ranges.filter((range): range is string => typeof range === "string")
    : [];
  // No source ranges at all: the load balancer admits every address too.
  const open =
    cidrs.length === 0
      ? ["no loadBalancerSourceRanges, so it admits every address"]
      : openFamilies(cidrs).map(
          ({ family, cidrs: entries }) =>
            `loadBalancerSourceRanges ${entries.map((entry) => JSON.stringify(entry)).join(", ")}, which ` +
            `${entries.length === 1 ? "admits" : "together admit"} every ${family} address`,
        );
  if (open.length === 0) return outcome;
  outcome.fail(
    `${subject} of the Cloud Connect edge has ${open.join(", and ")}; Cisco recommends admitting only the ` +
      "addresses of Webex Connect and your load balancer. " +
      (typeof waiver === "string"
        ? `The stack waives it (edge.openAllowListWaiver: ${JSON.stringify(waiver)}).`
        : "Fix: list those ranges in edge.allowedClientCidrs."),
  );
  return outcome;
}

export const edgeAllowListPolicy = resourcePolicy({
  name: "edge-allow-list-closed",
  description:
    "The Cloud Connect edge's Service admits only listed address ranges, not every address of a family.",
  enforcementLevel: "advisory",
  appliesTo: (resource) => isEdgeObject(resource, K8S_SERVICE_TYPE),
  check: checkEdgeAllowList,
});
