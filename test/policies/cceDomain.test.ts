import { cloneJson } from "../../lib/json";
import { cceDomainPolicy } from "../../policies/rules/cceDomain";
import { UNKNOWN } from "../../lib/facts";
import { EXTERNAL_DNS_HOSTNAME } from "../../policies/rules/resources";
import { ambAsset, boundFlow, EDGE_FQDN, edgeObjects, liveFlow } from "./fixtures";
import { messagesOf, runStackPolicy, urnOf, type FakeResource } from "./policyHarness";

const INBOUND = "AppleMessages_inbound_flow__TestAccount_Cisco";
const CLOSE = "AppleMessages_CustomerClose__TestAccount_Cisco";

/** The node id and name of the first node of `type` in the flow document. */
function nodeOf(
  flow: FakeResource,
  type: string,
): { id: string; name: string; config: Record<string, unknown> } {
  const definition = flow.props.definition as {
    nodes: Array<{ id: string; name: string; type: string; config: Record<string, unknown> }>;
  };
  const node = definition.nodes.find((candidate) => candidate.type === type);
  if (node === undefined) throw new Error(`no ${type} node`);
  return node;
}

async function edgeService(): Promise<FakeResource> {
  return (await edgeObjects()).service;
}

describe("cce-domain-is-edge-fqdn (mandatory, stack)", () => {
  test("passes flows whose CCE nodes carry the edge's FQDN", async () => {
    const resources = [
      ambAsset(),
      await edgeService(),
      liveFlow("inbound", "AppleMessages_inbound_flow"),
      liveFlow("close", "AppleMessages_CustomerClose"),
    ];
    expect(await runStackPolicy(cceDomainPolicy, resources)).toEqual({ violations: [] });
  });

  test("fails a CCE Create Task or End Task Domain that is another host, naming the node and the edge", async () => {
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow", {
      definition: boundFlow("AppleMessages_inbound_flow", { proxyFqdn: "cc-old.example.com" }),
    });
    const close = liveFlow("close", "AppleMessages_CustomerClose", {
      definition: boundFlow("AppleMessages_CustomerClose", { proxyFqdn: "cc-old.example.com" }),
    });
    const run = await runStackPolicy(cceDomainPolicy, [ambAsset(), await edgeService(), inbound, close]);
    const create = nodeOf(inbound, "cceCreateTask");
    const end = nodeOf(close, "cceEndTask");
    const tail =
      `"cc-old.example.com" is not the FQDN of this stack's Cloud Connect edge ("${EDGE_FQDN}", Service "cce-edge"), ` +
      `so Webex Connect would send the flow's CCE tasks elsewhere. Fix: bind the flow with proxyFqdn "${EDGE_FQDN}".`;
    expect(run.violations).toEqual([
      {
        message: `LiveFlow "inbound" (${INBOUND}): node ${create.id} "${create.name}", field domain: ${tail}`,
        urn: urnOf(inbound),
      },
      {
        message: `LiveFlow "close" (${CLOSE}): node ${end.id} "${end.name}", field domain: ${tail}`,
        urn: urnOf(close),
      },
    ]);
  });

  test("fails a Domain that is not a bare hostname, with lib/fqdn.ts's message, with or without an edge", async () => {
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow");
    const node = nodeOf(inbound, "cceCreateTask");
    node.config.domain = `https://${EDGE_FQDN}/`;
    const expected = [
      {
        message:
          `LiveFlow "inbound" (${INBOUND}): node ${node.id} "${node.name}", field domain: "https://${EDGE_FQDN}/" ` +
          `has a URL scheme; the Domain field takes a bare hostname. Use "${EDGE_FQDN}" instead.`,
        urn: urnOf(inbound),
      },
    ];
    expect(
      (await runStackPolicy(cceDomainPolicy, [ambAsset(), await edgeService(), inbound])).violations,
    ).toEqual(expected);
    expect((await runStackPolicy(cceDomainPolicy, [ambAsset(), inbound])).violations).toEqual(expected);
  });

  test("without an edge in the stack, any bare hostname passes", async () => {
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow", {
      definition: boundFlow("AppleMessages_inbound_flow", { proxyFqdn: "cc.elsewhere.example" }),
    });
    expect(await runStackPolicy(cceDomainPolicy, [ambAsset(), inbound])).toEqual({ violations: [] });
  });

  test("compares hostnames without regard to case", async () => {
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow");
    nodeOf(inbound, "cceCreateTask").config.domain = EDGE_FQDN.toUpperCase();
    expect(await runStackPolicy(cceDomainPolicy, [await edgeService(), inbound])).toEqual({ violations: [] });
  });

  test("fails an edge Service without the external-dns hostname annotation, or with a bad one", async () => {
    const service = await edgeService();
    const bare = cloneJson(service);
    delete (bare.props.metadata as { annotations: Record<string, string> }).annotations[
      EXTERNAL_DNS_HOSTNAME
    ];
    expect(messagesOf(await runStackPolicy(cceDomainPolicy, [bare]))).toEqual([
      `Service "cce-edge" of the Cloud Connect edge has no ${EXTERNAL_DNS_HOSTNAME} annotation, so the Domain of ` +
        "the CCE nodes cannot be compared with the edge's FQDN. Fix: create the edge with CloudConnectEdge, which " +
        "sets it to the FQDN.",
    ]);
    const bad = cloneJson(service);
    (bad.props.metadata as { annotations: Record<string, string> }).annotations[EXTERNAL_DNS_HOSTNAME] =
      "edge";
    expect(await runStackPolicy(cceDomainPolicy, [bad])).toEqual({
      violations: [
        {
          message:
            `Service "cce-edge" of the Cloud Connect edge: annotation ${EXTERNAL_DNS_HOSTNAME} "edge" is not fully ` +
            'qualified; give the full DNS name, e.g. "edge.example.com".',
          urn: urnOf(bad),
        },
      ],
    });
  });

  test("skips what preview does not know, checks the rest, and says what it skipped", async () => {
    const service = await edgeService();
    (service.props.metadata as { annotations: Record<string, string> }).annotations[EXTERNAL_DNS_HOSTNAME] =
      UNKNOWN;
    const pending = liveFlow("pending", "AppleMessages_webhook_CREATED", { definition: UNKNOWN });
    const other = liveFlow("inbound", "AppleMessages_inbound_flow", {
      definition: boundFlow("AppleMessages_inbound_flow", { proxyFqdn: "cc-old.example.com" }),
    });
    const broken = liveFlow("close", "AppleMessages_CustomerClose");
    nodeOf(broken, "cceEndTask").config.domain = "cc.example.com:8443";
    const run = await runStackPolicy(cceDomainPolicy, [service, pending, other, broken]);
    // The FQDN of the edge is unknown: "cc-old" cannot be judged yet, but a port never belongs in a Domain.
    expect(messagesOf(run)).toEqual([
      expect.stringContaining('field domain: "cc.example.com:8443" has a port'),
    ]);
    expect(run.skipped).toBe(
      "these values are not known until `pulumi up` and will be checked then (every known value was checked now): " +
        `Service "cce-edge" of the Cloud Connect edge: annotation ${EXTERNAL_DNS_HOSTNAME}; ` +
        'LiveFlow "pending" (AppleMessages_webhook_CREATED__TestAccount_Cisco) definition',
    );
  });
});
