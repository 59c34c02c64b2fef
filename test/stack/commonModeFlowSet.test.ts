/** Which webhook flows one asset's stack deploys, per mode, and that each binds with what the stack gives it. */
import { boundDefinition } from "../../components/liveFlow";
import { plannedWebhookFlows } from "../../components/webhookFlowSet";

const ROUTES = [
  { appId: "app-retail", eventId: "amb_retail_events" },
  { appId: "app-support", eventId: "amb_support_events" },
];
const ASSET_BINDINGS = {
  proxyFqdn: "amb-retail.dev.cc.example.com",
  appId: "app-retail",
  ambAccountId: "3c9e1f04-8a2b-4d6c-b1e7-0f5a9d2c4b81",
  ambAssetId: "asset-retail",
  serviceId: "svc-retail",
};

describe("plannedWebhookFlows", () => {
  it("per asset: the five CCE event flows, with the asset's own bindings only", () => {
    expect(plannedWebhookFlows({ mode: "perAsset" })).toEqual(
      ["CREATED", "QUEUED", "ROUTED", "CLOSED", "TRANSFERRED"].map((event) => ({
        suffix: event.toLowerCase(),
        template: `AppleMessages_webhook_${event}`,
        bindings: {},
      })),
    );
  });

  it("common, not the owner: only the asset-events flow, started by the asset's custom event", () => {
    const planned = plannedWebhookFlows({ mode: "common", eventId: "amb_support_events" });
    expect(planned).toEqual([
      {
        suffix: "asset-events",
        template: "AppleMessages_asset_events",
        bindings: { eventId: "amb_support_events" },
      },
    ]);
    expect(
      plannedWebhookFlows({ mode: "common", eventId: "amb_support_events", commonFlowOwner: false }),
    ).toEqual(planned);
  });

  it("common, the owner: the asset-events flow and the tenant's common flow with every route", () => {
    const planned = plannedWebhookFlows({
      mode: "common",
      eventId: "amb_retail_events",
      commonFlowOwner: true,
      destinationRoutes: ROUTES,
    });
    expect(planned.map(({ suffix, template }) => [suffix, template])).toEqual([
      ["asset-events", "AppleMessages_asset_events"],
      ["common", "AppleMessages_webhook_common"],
    ]);
    const [assetEvents, common] = planned.map((flow) =>
      boundDefinition(flow.template, { ...ASSET_BINDINGS, ...flow.bindings }),
    );
    expect(assetEvents.trigger).toEqual({ kind: "customEvent", event: "amb_retail_events", conditions: [] });
    expect(
      assetEvents.nodes.filter((node) => node.type === "ambMessage").map((node) => node.config.asset),
    ).toEqual(Array(5).fill("asset-retail"));
    expect(common.nodes.find((node) => node.type === "destinationBranch")?.config.routes).toEqual(ROUTES);
  });

  it("common without the asset's custom event: binding names the missing value", () => {
    const [assetEvents] = plannedWebhookFlows({ mode: "common" });
    expect(() =>
      boundDefinition(assetEvents.template, { ...ASSET_BINDINGS, ...assetEvents.bindings }),
    ).toThrow(
      'Flow AppleMessages_asset_events cannot be bound:\nAppleMessages_asset_events: node 2 "Start", field ' +
        "trigger.event: eventId is missing: give the id of the custom event the common webhook flow raises for " +
        "this asset (Webex Connect → Assets → Integrations → Custom Event).",
    );
  });
});
