/**
 * The common webhook mode through the real program, engine and emulator: two AMB asset stacks of one tenant, the
 * first owning the tenant's common webhook flow. Each stack deploys its own asset-events flow; only the owner deploys
 * the common flow, whose routes send each App ID to the custom event of that asset's flow. Destroying both leaves no
 * flow behind.
 */
import type { Document } from "yaml";
import type { FlowDocument } from "../../flows";
import { assetOfStack, createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const OWNER = "dev-retail";
const STACKS = [OWNER, "dev-support"] as const;
const EVENT_IDS: Record<string, string> = {
  "dev-retail": "amb_retail_events",
  "dev-support": "amb_support_events",
};

/** The `flows` section of each copied stack file: common mode, the owner listing every asset's route. */
function commonMode(stack: string, doc: Document): void {
  const flows =
    stack === OWNER
      ? {
          webhooks: "common",
          eventId: EVENT_IDS[stack],
          commonFlowOwner: true,
          destinationRoutes: STACKS.map((each) => ({
            appId: assetOfStack(each).appId,
            eventId: EVENT_IDS[each],
          })),
        }
      : { webhooks: "common", eventId: EVENT_IDS[stack] };
  doc.setIn(["config", "amb-cce-connect:flows"], doc.createNode(flows));
}

describe("the common webhook mode on the emulator", () => {
  let world: StackWorld;

  beforeAll(async () => {
    world = await createStackWorld([...STACKS], { seed: 17, edit: commonMode });
  });
  afterAll(async () => {
    await world.close();
  });

  test("one common flow for the tenant, one asset-events flow per asset, each bound to its own asset", async () => {
    const retail = await world.openStack(OWNER);
    const support = await world.openStack("dev-support");
    const flowNames = async (stack: typeof retail) =>
      Object.keys((await stack.up()).outputs.flows.value as Record<string, unknown>).sort();
    expect(await flowNames(retail)).toEqual(
      [
        "AppleMessages_CustomerClose",
        "AppleMessages_asset_events",
        "AppleMessages_inbound_flow",
        "AppleMessages_webhook_common",
      ].map((name) => `${name}__Retail_Store`),
    );
    expect(await flowNames(support)).toEqual(
      ["AppleMessages_CustomerClose", "AppleMessages_asset_events", "AppleMessages_inbound_flow"].map(
        (name) => `${name}__Customer_Support`,
      ),
    );
    for (const stack of [retail, support]) await stack.preview({ expectNoChanges: true });

    const state = await world.emulator.control.dumpState();
    const flows = Object.values(state.flows);
    const liveDefinition = (flow: (typeof flows)[number]) =>
      state.versions[flow.liveVersionId!].definition as unknown as FlowDocument;
    const assetIdByAppId = Object.fromEntries(Object.values(state.assets).map((a) => [a.appId, a.id]));

    // No per-asset webhook flow: the CCE events reach the assets through the common flow only.
    const webhookFlows = flows.filter((flow) => flow.name.startsWith("AppleMessages_webhook_"));
    expect(webhookFlows.map((flow) => flow.name)).toEqual(["AppleMessages_webhook_common__Retail_Store"]);
    const [common] = webhookFlows;
    expect(common.boundAssetId).toBe(assetIdByAppId[assetOfStack(OWNER).appId]);

    const eventIdByAssetId: Record<string, string> = {};
    for (const stack of STACKS) {
      const { appId, accountName } = assetOfStack(stack);
      const assetId = assetIdByAppId[appId];
      const assetEvents = flows.filter((flow) => flow.name === `AppleMessages_asset_events__${accountName}`);
      expect(assetEvents).toHaveLength(1);
      expect(assetEvents[0]).toMatchObject({ status: "live", boundAssetId: assetId });
      const definition = liveDefinition(assetEvents[0]);
      expect(definition.trigger).toEqual({ kind: "customEvent", event: EVENT_IDS[stack], conditions: [] });
      const ambNodeAssets = definition.nodes
        .filter((node) => node.type === "ambMessage")
        .map((n) => n.config.asset);
      expect(ambNodeAssets).toEqual(Array(5).fill(assetId));
      eventIdByAssetId[assetId] = definition.trigger.event;
    }

    // The common flow sends each App ID to the custom event that asset's own flow starts on.
    const branch = liveDefinition(common).nodes.find((node) => node.type === "destinationBranch");
    const routes = branch?.config.routes as Array<{ appId: string; eventId: string }>;
    expect(routes.map((route) => [route.appId, route.eventId])).toEqual(
      STACKS.map((stack) => {
        const { appId } = assetOfStack(stack);
        return [appId, eventIdByAssetId[assetIdByAppId[appId]]];
      }),
    );

    for (const stack of [support, retail]) {
      await stack.destroy();
      await stack.remove();
    }
    expect((await world.emulator.control.dumpState()).flows).toEqual({});
  });
});
