/**
 * The Cloud Connect edge fails over between nodes, so each backend of its haproxy.cfg has two
 * servers or more (publisher and subscriber). The stack config refuses one node unless the stack waives failover by
 * name (cloudConnect.singleNodeWaiver, for a lab); the waived edge is reported here, with its reason, on every
 * preview and up.
 */
import { posix } from "node:path";
import { CONTAINER_CONFIG_FILE } from "../../edge/types";
import { SINGLE_NODE_WAIVER_ANNOTATION } from "../../lib/conventions";
import { resourcePolicy } from "./define";
import { asObject, Outcome, type ResourceView } from "./engineValues";
import { boundAddresses, outboundServers, parseHaproxyConfig } from "./haproxyParse";
import { CONFIG_MAP_TYPE, describeResource, isEdgeObject, metadataEntry } from "./resources";

const HAPROXY_CONFIG_KEY = posix.basename(CONTAINER_CONFIG_FILE);

export function checkEdgeFailover(configMap: ResourceView): Outcome {
  const outcome = new Outcome();
  const subject = describeResource(configMap);
  const text = asObject(configMap.props.data)?.[HAPROXY_CONFIG_KEY];
  const waiver = metadataEntry(configMap, "annotations", SINGLE_NODE_WAIVER_ANNOTATION);
  // A config without haproxy.cfg is the edge-proxy rule's to report.
  if (!outcome.known(text, `${subject} data.${HAPROXY_CONFIG_KEY}`) || typeof text !== "string")
    return outcome;
  if (!outcome.known(waiver, `${subject} annotation ${SINGLE_NODE_WAIVER_ANNOTATION}`)) return outcome;
  const sections = parseHaproxyConfig(text);
  const bound = boundAddresses(sections);
  for (const section of sections) {
    if (section.kind !== "backend" && section.kind !== "listen") continue;
    // The edge's relay hop back into HAProxy is one server by design, not a node.
    const servers = outboundServers(section, bound).filter((line) => line.words[0] === "server");
    if (servers.length !== 1) continue;
    outcome.fail(
      `${subject} ${HAPROXY_CONFIG_KEY}, ${section.kind} ${section.name}: one Cloud Connect server ` +
        `(${servers[0].words[1] ?? ""}), so the edge has no failover while that node is down or upgraded. ` +
        (typeof waiver === "string"
          ? `The stack waives failover (cloudConnect.singleNodeWaiver: ${JSON.stringify(waiver)}): a lab only.`
          : "Fix: give the publisher and subscriber in cloudConnect.nodes."),
    );
  }
  return outcome;
}

export const edgeFailoverPolicy = resourcePolicy({
  name: "edge-fails-over",
  description: "The Cloud Connect edge has two Cloud Connect nodes or more to fail over between.",
  enforcementLevel: "advisory",
  appliesTo: (resource) => isEdgeObject(resource, CONFIG_MAP_TYPE),
  check: checkEdgeFailover,
});
