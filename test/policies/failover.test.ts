/** edge-fails-over (advisory): an edge with one Cloud Connect node is shown, with the stack's reason. */
import {
  buildCloudConnectEdgeManifests,
  resolveCloudConnectEdgeSpec,
} from "../../components/cloudConnectEdge";
import { UNKNOWN } from "../../lib/facts";
import { edgeFailoverPolicy } from "../../policies/rules/failover";
import { edgeArgs } from "../kubernetes/fixtures";
import { resolveManifest } from "../kubernetes/kubernetesModels";
import { edgeObjects, kubernetesResource } from "./fixtures";
import { messagesOf, runResourcePolicy } from "./policyHarness";

const ONE_NODE = { name: "publisher", host: "cc-pub.example.com" };

async function labEdgeConfigMap(waiver: string) {
  const args = edgeArgs({ singleNodeWaiver: waiver });
  const spec = resolveCloudConnectEdgeSpec("cce-edge", {
    ...args,
    proxy: { ...args.proxy, cloudConnectNodes: [ONE_NODE] },
  });
  return kubernetesResource(await resolveManifest(buildCloudConnectEdgeManifests(spec).configMap));
}

describe("edge-fails-over (advisory)", () => {
  test("passes an edge with a publisher and a subscriber", async () => {
    const { configMap } = await edgeObjects();
    expect(await runResourcePolicy(edgeFailoverPolicy, configMap)).toEqual({ violations: [] });
  });

  test("shows a lab edge with one node and the reason the stack gave", async () => {
    const configMap = await labEdgeConfigMap("lab cluster: one CUCM node only");
    expect(messagesOf(await runResourcePolicy(edgeFailoverPolicy, configMap))).toEqual([
      'ConfigMap "cce-edge-config" haproxy.cfg, backend cloud_connect: one Cloud Connect server (publisher), so the ' +
        "edge has no failover while that node is down or upgraded. The stack waives failover " +
        '(cloudConnect.singleNodeWaiver: "lab cluster: one CUCM node only"): a lab only.',
    ]);
  });

  test("names the fix when one node arrives without the waiver (an edge not built by the component)", async () => {
    const configMap = await labEdgeConfigMap("lab cluster: one CUCM node only");
    delete (configMap.props.metadata as { annotations?: unknown }).annotations;
    expect(messagesOf(await runResourcePolicy(edgeFailoverPolicy, configMap))).toEqual([
      expect.stringMatching(/one Cloud Connect server \(publisher\).*Fix: give the publisher and subscriber/),
    ]);
  });

  test("skips a haproxy.cfg not known at preview, and says so", async () => {
    const { configMap } = await edgeObjects();
    (configMap.props.data as Record<string, unknown>)["haproxy.cfg"] = UNKNOWN;
    const run = await runResourcePolicy(edgeFailoverPolicy, configMap);
    expect(run.violations).toEqual([]);
    expect(run.skipped).toMatch(/haproxy\.cfg/);
  });
});
