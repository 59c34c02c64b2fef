/**
 * The real program (index.ts) through the real engine and language host, against the emulator: two AMB asset
 * stacks of one tenant. Each comes up, shows no changes on preview and refresh, leaves the other's flows alone,
 * and is destroyed without a trace apart from the Apple-created assets, returned to how they were.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { refreshExcludes } from "../../config/refreshScope";
import { assetOfStack, createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACKS = ["dev-retail", "dev-support"] as const;
const RENDERED = { exclude: refreshExcludes(true) };

describe("the stack program on the emulator", () => {
  let world: StackWorld;

  beforeAll(async () => {
    world = await createStackWorld([...STACKS], { seed: 11 });
  });
  afterAll(async () => {
    await world.close();
  });

  const liveVersions = async () =>
    Object.fromEntries(
      Object.values((await world.emulator.control.dumpState()).flows).map((f) => [f.id, f.liveVersionId]),
    );

  test("two asset stacks of one tenant: up, no-change preview, clean refresh, isolation, destroy", async () => {
    const before = await world.emulator.control.dumpState();

    const retail = await world.openStack("dev-retail");
    const retailUp = await retail.up();
    expect(retailUp.outputs.fqdn.value).toBe("amb-retail.dev.cc.example.com");
    const retailFlows = retailUp.outputs.flows.value as Record<string, { flowId: string }>;
    expect(Object.keys(retailFlows).sort()).toEqual(
      [
        "AppleMessages_CustomerClose",
        "AppleMessages_inbound_flow",
        "AppleMessages_webhook_CLOSED",
        "AppleMessages_webhook_CREATED",
        "AppleMessages_webhook_QUEUED",
        "AppleMessages_webhook_ROUTED",
        "AppleMessages_webhook_TRANSFERRED",
      ].map((name) => `${name}__Retail_Store`),
    );
    const rendered = path.join(world.project.renderDir("dev-retail"), "1-manifest");
    // Every Kubernetes object of the stack, rendered as <apiVersion>-<kind>-<namespace>-<name>.yaml.
    expect(fs.readdirSync(rendered).sort()).toEqual(
      [
        "v1-namespace-default-amb-retail.yaml",
        "v1-configmap-amb-retail-cce-edge-config.yaml",
        "apps_v1-deployment-amb-retail-cce-edge.yaml",
        "v1-service-amb-retail-cce-edge.yaml",
        "policy_v1-poddisruptionbudget-amb-retail-cce-edge.yaml",
        "v1-configmap-amb-retail-integration-settings.yaml",
        "v1-secret-amb-retail-integration-webex-connect.yaml",
        "apps_v1-deployment-amb-retail-integration.yaml",
        "v1-service-amb-retail-integration.yaml",
        "autoscaling_v2-horizontalpodautoscaler-amb-retail-integration.yaml",
        "policy_v1-poddisruptionbudget-amb-retail-integration.yaml",
        "networking.k8s.io_v1-networkpolicy-amb-retail-integration-default-deny.yaml",
        "networking.k8s.io_v1-networkpolicy-amb-retail-integration-allow.yaml",
      ].sort(),
    );
    await retail.preview({ expectNoChanges: true });
    await retail.refresh({ expectNoChanges: true, ...RENDERED });

    const retailVersions = await liveVersions();
    const support = await world.openStack("dev-support");
    await support.up();
    await support.preview({ expectNoChanges: true });
    await support.refresh({ expectNoChanges: true, ...RENDERED });
    await retail.preview({ expectNoChanges: true });

    const state = await world.emulator.control.dumpState();
    // The second asset's stack did not touch a single flow of the first.
    for (const [flowId, version] of Object.entries(retailVersions)) {
      expect(state.flows[flowId].liveVersionId).toBe(version);
    }
    // Every live flow is bound to its own asset, and every webhook flow is conditioned on that asset's App ID.
    const assetIdByAppId = Object.fromEntries(Object.values(state.assets).map((a) => [a.appId, a.id]));
    for (const stack of STACKS) {
      const { appId, accountName } = assetOfStack(stack);
      const flows = Object.values(state.flows).filter((flow) => flow.name.endsWith(`__${accountName}`));
      expect(flows).toHaveLength(7);
      for (const flow of flows) {
        expect(flow.boundAssetId).toBe(assetIdByAppId[appId]);
        const definition = state.versions[flow.liveVersionId!].definition as unknown as {
          trigger: { kind: string; conditions: Array<{ value: string }> };
        };
        if (definition.trigger.kind === "webhook") {
          expect(definition.trigger.conditions.map((c) => c.value)).toEqual([appId]);
        }
      }
    }

    for (const stack of [support, retail]) {
      await stack.destroy();
      await stack.remove();
    }
    const after = await world.emulator.control.dumpState();
    expect(after.flows).toEqual({});
    expect(after.services).toEqual({});
    expect(after.assets).toEqual(before.assets);
  });
});
