import { UNKNOWN } from "../../lib/facts";
import { flowBindingPolicy } from "../../policies/rules/flowBinding";
import { ambAsset, APP_ID, ASSET_ID, boundFlow, EVENT_ID, liveFlow, SERVICE_ID } from "./fixtures";
import { messagesOf, runStackPolicy, urnOf } from "./policyHarness";

const CREATED = "AppleMessages_webhook_CREATED__TestAccount_Cisco";
const COMMON =
  'LiveFlow "common" (AppleMessages_webhook_common__TestAccount_Cisco): node 3 "Branch on Destination"';
const OTHER_ROUTE = { appId: "app-other", eventId: "amb-event-2" };

/** A stack in common mode: its own flows, the asset-events flow and, on the owner's stack, the common flow. */
function commonModeFlows(options: { owner: boolean; routes?: Array<{ appId: string; eventId: string }> }) {
  const flows = [
    liveFlow("inbound", "AppleMessages_inbound_flow"),
    liveFlow("close", "AppleMessages_CustomerClose"),
    liveFlow("asset-events", "AppleMessages_asset_events"),
  ];
  if (!options.owner) return flows;
  const destinationRoutes = options.routes ?? [{ appId: APP_ID, eventId: EVENT_ID }, OTHER_ROUTE];
  const definition = boundFlow("AppleMessages_webhook_common", { destinationRoutes });
  return [...flows, liveFlow("common", "AppleMessages_webhook_common", { definition })];
}

describe("flows-bound-to-own-asset (mandatory, stack)", () => {
  test("passes the stack's flows: per-asset webhook flows on its App ID, the inbound flow, the common flow", async () => {
    const resources = [
      ambAsset(),
      liveFlow("inbound", "AppleMessages_inbound_flow"),
      liveFlow("close", "AppleMessages_CustomerClose"),
      liveFlow("created", "AppleMessages_webhook_CREATED"),
      liveFlow("transferred", "AppleMessages_webhook_TRANSFERRED"),
      liveFlow("common", "AppleMessages_webhook_common"),
    ];
    expect(await runStackPolicy(flowBindingPolicy, resources)).toEqual({ violations: [] });
  });

  test("passes common mode: the asset-events flow on its custom event, and on the owner's stack the common flow", async () => {
    for (const owner of [true, false]) {
      const resources = [ambAsset(), ...commonModeFlows({ owner })];
      expect(await runStackPolicy(flowBindingPolicy, resources)).toEqual({ violations: [] });
    }
  });

  test("fails the common flow of a stack whose App ID it does not route", async () => {
    const resources = [ambAsset(), ...commonModeFlows({ owner: true, routes: [OTHER_ROUTE] })];
    const run = await runStackPolicy(flowBindingPolicy, resources);
    expect(run).toEqual({
      violations: [
        {
          message:
            `${COMMON}, field routes: has no route for this stack's App ID "${APP_ID}" (AmbAsset "asset"), so its CCE ` +
            `events would reach none of its flows. Fix: add {appId: "${APP_ID}", eventId: "${EVENT_ID}"} to ` +
            "flows.destinationRoutes.",
          urn: urnOf(resources[4]),
        },
      ],
    });
  });

  test("fails the common flow routing the stack's App ID to another custom event than its flow starts on", async () => {
    const routes = [OTHER_ROUTE, { appId: APP_ID, eventId: "amb-event-9" }];
    const resources = [ambAsset(), ...commonModeFlows({ owner: true, routes })];
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, resources))).toEqual([
      `${COMMON}, field routes[1].eventId: "amb-event-9" is not the custom event LiveFlow "asset-events" ` +
        `(AppleMessages_asset_events__TestAccount_Cisco) starts on ("${EVENT_ID}"), so this stack's CCE events ` +
        `would reach none of its flows. Fix: set the route's eventId to "${EVENT_ID}" (flows.eventId).`,
    ]);
  });

  test("fails an asset-events flow whose AMB node names an asset other than the flow's assetId", async () => {
    const definition = boundFlow("AppleMessages_asset_events");
    const queued = definition.nodes.find((node) => node.name === "Queued Message");
    if (queued === undefined) throw new Error("the asset-events template has no Queued Message node");
    queued.config.asset = "asset-9";
    const assetEvents = liveFlow("asset-events", "AppleMessages_asset_events", { definition });
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, [ambAsset(), assetEvents]))).toEqual([
      `LiveFlow "asset-events" (AppleMessages_asset_events__TestAccount_Cisco): node ${queued.id} "Queued Message", ` +
        `field asset: names AMB asset "asset-9", but the flow is bound to "${ASSET_ID}" (its assetId); a live flow ` +
        `is bound to one asset for all its nodes. Fix: bind the template with ambAssetId "${ASSET_ID}".`,
    ]);
  });

  test("still fails a webhook flow conditioned on another asset's App ID next to the common-mode flows", async () => {
    const created = liveFlow("created", "AppleMessages_webhook_CREATED", {
      definition: boundFlow("AppleMessages_webhook_CREATED", { appId: "app-other" }),
    });
    const resources = [ambAsset(), ...commonModeFlows({ owner: true }), created];
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, resources))).toEqual([
      `LiveFlow "created" (${CREATED}): field trigger.conditions[0].value: "app-other" is not the App ID of this ` +
        `stack's AMB asset ("${APP_ID}", AmbAsset "asset"), so the flow would handle another asset's CCE events. ` +
        `Fix: bind the template with appId "${APP_ID}".`,
    ]);
  });

  test("fails a webhook flow conditioned on another asset's App ID", async () => {
    const created = liveFlow("created", "AppleMessages_webhook_CREATED", {
      definition: boundFlow("AppleMessages_webhook_CREATED", { appId: "app-other" }),
    });
    expect(await runStackPolicy(flowBindingPolicy, [ambAsset(), created])).toEqual({
      violations: [
        {
          message:
            `LiveFlow "created" (${CREATED}): field trigger.conditions[0].value: "app-other" is not the App ID of ` +
            `this stack's AMB asset ("${APP_ID}", AmbAsset "asset"), so the flow would handle another asset's CCE ` +
            `events. Fix: bind the template with appId "${APP_ID}".`,
          urn: urnOf(created),
        },
      ],
    });
  });

  test("fails a per-asset webhook flow without a destination condition; the common flow needs none", async () => {
    const definition = boundFlow("AppleMessages_webhook_CREATED");
    definition.trigger.conditions = [{ field: "cce.destination", operator: "notequals", value: "app-other" }];
    const created = liveFlow("created", "AppleMessages_webhook_CREATED", { definition });
    const common = liveFlow("common", "AppleMessages_webhook_common");
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, [ambAsset(), created, common]))).toEqual([
      `LiveFlow "created" (${CREATED}): field trigger.conditions: has no condition cce.destination equals <App ID>, ` +
        "so the flow would run for the CCE events of every AMB asset of the tenant. Fix: bind the template with " +
        `appId "${APP_ID}", or use the common flow AppleMessages_webhook_common.`,
    ]);
  });

  test("fails a second App ID among the OR-ed destination conditions", async () => {
    const definition = boundFlow("AppleMessages_webhook_QUEUED");
    definition.trigger.conditions.push({ field: "cce.destination", operator: "equals", value: "app-other" });
    const queued = liveFlow("queued", "AppleMessages_webhook_QUEUED", { definition });
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, [ambAsset(), queued]))).toEqual([
      expect.stringContaining('field trigger.conditions[1].value: "app-other" is not the App ID'),
    ]);
  });

  test("fails a flow bound to an asset other than the stack's", async () => {
    const created = liveFlow("created", "AppleMessages_webhook_CREATED", {
      definition: boundFlow("AppleMessages_webhook_CREATED", { ambAssetId: "asset-9" }),
      props: { assetId: "asset-9" },
    });
    expect(await runStackPolicy(flowBindingPolicy, [ambAsset(), created])).toEqual({
      violations: [
        {
          message:
            `LiveFlow "created" (${CREATED}) is bound to AMB asset "asset-9", not to this stack's asset ` +
            `"${ASSET_ID}" (AmbAsset "asset"); a live flow serves one asset. Fix: pass the stack's asset id ` +
            "(AmbAsset.assetId) as the flow's assetId.",
          urn: urnOf(created),
        },
      ],
    });
  });

  test("fails a flow whose AMB node names an asset other than the flow's assetId", async () => {
    const created = liveFlow("created", "AppleMessages_webhook_CREATED", {
      definition: boundFlow("AppleMessages_webhook_CREATED", { ambAssetId: "asset-9" }),
    });
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, [ambAsset(), created]))).toEqual([
      `LiveFlow "created" (${CREATED}): node 3 "Typing Indicator On", field asset: names AMB asset "asset-9", but ` +
        `the flow is bound to "${ASSET_ID}" (its assetId); a live flow is bound to one asset for all its nodes. ` +
        `Fix: bind the template with ambAssetId "${ASSET_ID}".`,
    ]);
  });

  test("at preview, with the flow's assetId unknown, finds nodes that disagree with each other", async () => {
    const definition = boundFlow("AppleMessages_inbound_flow");
    const inboundTrigger = definition.trigger;
    const ambNodes = definition.nodes.filter((node) => node.type === "ambMessage");
    const lastAmbNode = ambNodes.at(-1);
    // The inbound flow's trigger names the asset; make one AMB node name another.
    expect(inboundTrigger.kind).toBe("channelEvent");
    if (lastAmbNode === undefined) throw new Error("the inbound template has no AMB node");
    lastAmbNode.config.asset = "asset-9";
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow", {
      definition,
      props: { assetId: UNKNOWN },
    });
    const run = await runStackPolicy(flowBindingPolicy, [ambAsset({ assetId: undefined }), inbound]);
    expect(messagesOf(run)).toEqual([
      `LiveFlow "inbound" (AppleMessages_inbound_flow__TestAccount_Cisco): node ${lastAmbNode.id} ` +
        `"${lastAmbNode.name}", field asset: names AMB asset "asset-9", but trigger.asset names "${ASSET_ID}"; a live ` +
        `flow is bound to one asset for all its nodes. Fix: bind the template with ambAssetId "${ASSET_ID}".`,
    ]);
    expect(run.skipped).toBe(
      "this value is not known until `pulumi up` and will be checked then (every known value was checked now): " +
        'LiveFlow "inbound" (AppleMessages_inbound_flow__TestAccount_Cisco) assetId',
    );
  });

  test("fails a flow in another service than the asset's Webex Engage registration", async () => {
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow", { props: { serviceId: "svc-2" } });
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, [ambAsset(), inbound]))).toEqual([
      'LiveFlow "inbound" (AppleMessages_inbound_flow__TestAccount_Cisco) lives in service "svc-2", but AmbAsset ' +
        `"asset" is registered to Webex Engage with service "${SERVICE_ID}"; the asset and its flows belong to one ` +
        `service. Fix: create the flow in service "${SERVICE_ID}".`,
    ]);
  });

  test("fails a stack with two assets, or with flows and no asset", async () => {
    const second = { ...ambAsset({ appId: "app-other", assetId: "asset-2" }), name: "second" };
    const inbound = liveFlow("inbound", "AppleMessages_inbound_flow");
    expect(await runStackPolicy(flowBindingPolicy, [ambAsset(), second, inbound])).toEqual({
      violations: [
        {
          message:
            'The stack has 2 AMB assets (AmbAsset "asset", AmbAsset "second"); one stack serves one environment ' +
            "and one asset, and every flow binds that asset. Fix: give each asset its own stack (<env>-<asset>).",
        },
      ],
    });
    expect(messagesOf(await runStackPolicy(flowBindingPolicy, [inbound]))).toEqual([
      'The stack has live flows (LiveFlow "inbound") but no AmbAsset, so nothing ties them to one asset. ' +
        "Fix: declare the AMB asset in the stack that binds its flows.",
    ]);
    expect(await runStackPolicy(flowBindingPolicy, [ambAsset()])).toEqual({ violations: [] });
  });

  test("at a first preview skips the unknown ids and definitions, and says which", async () => {
    const asset = ambAsset({ assetId: undefined, serviceId: UNKNOWN });
    const created = liveFlow("created", "AppleMessages_webhook_CREATED", {
      definition: UNKNOWN,
      props: { assetId: UNKNOWN, serviceId: UNKNOWN },
    });
    expect(await runStackPolicy(flowBindingPolicy, [asset, created])).toEqual({
      violations: [],
      skipped:
        "these values are not known until `pulumi up` and will be checked then (every known value was checked now): " +
        `LiveFlow "created" (${CREATED}) assetId; LiveFlow "created" (${CREATED}) serviceId; ` +
        `LiveFlow "created" (${CREATED}) definition`,
    });
  });
});
