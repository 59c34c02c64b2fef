/** edge-allow-list-closed (advisory): an edge Service that admits every address is shown, with any waiver. */
import {
  buildCloudConnectEdgeManifests,
  resolveCloudConnectEdgeSpec,
} from "../../components/cloudConnectEdge";
import { UNKNOWN } from "../../lib/facts";
import { edgeAllowListPolicy } from "../../policies/rules/edgeAllowList";
import { edgeArgs } from "../kubernetes/fixtures";
import { resolveManifest } from "../kubernetes/kubernetesModels";
import { edgeObjects, kubernetesResource } from "./fixtures";
import { messagesOf, runResourcePolicy } from "./policyHarness";

const SERVICE = 'Service "cce-edge" of the Cloud Connect edge has';
const RECOMMENDED = "Cisco recommends admitting only the addresses of Webex Connect and your load balancer.";

async function edgeService(
  cidrs: string[],
  extra: { environment?: string; openAllowListWaiver?: string } = {},
) {
  const args = edgeArgs(extra);
  const spec = resolveCloudConnectEdgeSpec("cce-edge", {
    ...args,
    proxy: { ...args.proxy, allowedClientCidrs: cidrs },
  });
  return kubernetesResource(await resolveManifest(buildCloudConnectEdgeManifests(spec).service));
}

describe("edge-allow-list-closed (advisory)", () => {
  test("passes an edge that admits the listed ranges only", async () => {
    const { service } = await edgeObjects();
    expect(await runResourcePolicy(edgeAllowListPolicy, service)).toEqual({ violations: [] });
  });

  test("shows an open allow-list outside prod, with the fix", async () => {
    const service = await edgeService(["0.0.0.0/1", "128.0.0.0/1", "::/0"], { environment: "staging" });
    expect(messagesOf(await runResourcePolicy(edgeAllowListPolicy, service))).toEqual([
      `${SERVICE} loadBalancerSourceRanges "0.0.0.0/1", "128.0.0.0/1", which together admit every IPv4 address, ` +
        `and loadBalancerSourceRanges "::/0", which admits every IPv6 address; ${RECOMMENDED} Fix: list those ` +
        "ranges in edge.allowedClientCidrs.",
    ]);
  });

  test("shows a prod edge open under a waiver, with the stack's reason", async () => {
    const service = await edgeService(["0.0.0.0/0"], {
      openAllowListWaiver: "the cloud load balancer in front filters the sources",
    });
    expect(messagesOf(await runResourcePolicy(edgeAllowListPolicy, service))).toEqual([
      `${SERVICE} loadBalancerSourceRanges "0.0.0.0/0", which admits every IPv4 address; ${RECOMMENDED} The stack ` +
        'waives it (edge.openAllowListWaiver: "the cloud load balancer in front filters the sources").',
    ]);
  });

  test("shows an edge Service without source ranges (one not built by the component)", async () => {
    const { service } = await edgeObjects();
    delete (service.props.spec as { loadBalancerSourceRanges?: unknown }).loadBalancerSourceRanges;
    expect(messagesOf(await runResourcePolicy(edgeAllowListPolicy, service))).toEqual([
      `${SERVICE} no loadBalancerSourceRanges, so it admits every address; ${RECOMMENDED} Fix: list those ranges ` +
        "in edge.allowedClientCidrs.",
    ]);
  });

  test("skips source ranges not known at preview, and says so", async () => {
    const { service } = await edgeObjects();
    (service.props.spec as Record<string, unknown>).loadBalancerSourceRanges = UNKNOWN;
    const run = await runResourcePolicy(edgeAllowListPolicy, service);
    expect(run.violations).toEqual([]);
    expect(run.skipped).toMatch(/loadBalancerSourceRanges/);
  });
});
