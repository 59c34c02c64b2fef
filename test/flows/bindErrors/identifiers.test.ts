/**
 * Binding errors in the Webex Connect and Apple identifiers a flow is bound to: App ID, AMB asset and account ids,
 * service id, the custom event id, and the destination routes that pair App IDs with event ids.
 */
import { VALID_BINDINGS } from "../support";
import { describeBadBindings } from "./badBindings";

const CREATED_CONDITION =
  'AppleMessages_webhook_CREATED: node 2 "Start", field trigger.conditions[0].value: appId';
const APP_ID_HINT = "give the App ID of the AMB asset (Webex Connect → Assets → Apps).";
const ASSET_EVENTS_TRIGGER = 'AppleMessages_asset_events: node 2 "Start", field trigger.event: eventId';
const EVENT_ID_HINT =
  "give the id of the custom event the common webhook flow raises for this asset (Webex Connect → Assets → Integrations → Custom Event).";

describeBadBindings([
  {
    name: "missing App ID",
    template: "AppleMessages_webhook_CREATED",
    bindings: { ...VALID_BINDINGS, appId: undefined },
    expected: [`${CREATED_CONDITION} is missing: ${APP_ID_HINT}`],
  },
  {
    name: "empty App ID",
    template: "AppleMessages_webhook_CREATED",
    bindings: { ...VALID_BINDINGS, appId: "" },
    expected: [`${CREATED_CONDITION} is empty: ${APP_ID_HINT}`],
  },
  {
    name: "App ID with surrounding whitespace",
    template: "AppleMessages_webhook_CREATED",
    bindings: { ...VALID_BINDINGS, appId: " app-one " },
    expected: [`${CREATED_CONDITION} " app-one " has surrounding whitespace; use "app-one".`],
  },
  {
    name: "App ID left as the placeholder",
    template: "AppleMessages_webhook_CREATED",
    bindings: { ...VALID_BINDINGS, appId: "{{appId}}" },
    expected: [`${CREATED_CONDITION} "{{appId}}" is a template placeholder, not a value: ${APP_ID_HINT}`],
  },
  {
    name: "AMB asset id with inner whitespace",
    template: "AppleMessages_webhook_CREATED",
    bindings: { ...VALID_BINDINGS, ambAssetId: "asset one" },
    expected: [
      'AppleMessages_webhook_CREATED: node 3 "Typing Indicator On", field asset: ambAssetId "asset one" contains whitespace; copy the value exactly as Webex Connect shows it.',
    ],
  },
  {
    name: "missing AMB Account ID",
    template: "AppleMessages_CustomerClose",
    bindings: { ...VALID_BINDINGS, ambAccountId: undefined },
    expected: [
      'AppleMessages_CustomerClose: node 179 "Search Conversation", field ambAccountId: ambAccountId is missing: give the AMB Account ID of the Apple Messages for Business account.',
    ],
  },
  {
    name: "missing service id",
    template: "AppleMessages_CustomerClose",
    bindings: { ...VALID_BINDINGS, serviceId: undefined },
    expected: [
      "AppleMessages_CustomerClose: field serviceId: serviceId is missing: give the id of the Webex Connect service the flow belongs to.",
    ],
  },
  {
    name: "missing destination routes for the common webhook flow",
    template: "AppleMessages_webhook_common",
    bindings: { ...VALID_BINDINGS, destinationRoutes: undefined },
    expected: [
      'AppleMessages_webhook_common: node 3 "Branch on Destination", field routes: destinationRoutes is missing: give one route {appId, eventId} per AMB asset.',
    ],
  },
  {
    name: "one App ID routed twice",
    template: "AppleMessages_webhook_common",
    bindings: {
      ...VALID_BINDINGS,
      destinationRoutes: [
        { appId: "app-one", eventId: "first" },
        { appId: "app-one", eventId: "second" },
      ],
    },
    expected: [
      'AppleMessages_webhook_common: node 3 "Branch on Destination", field routes: destinationRoutes lists the App ID "app-one" more than once; give each AMB asset one route.',
    ],
  },
  {
    name: "destination route without an event id",
    template: "AppleMessages_webhook_common",
    bindings: { ...VALID_BINDINGS, destinationRoutes: [{ appId: "app-one", eventId: "" }] },
    expected: [
      `AppleMessages_webhook_common: node 3 "Branch on Destination", field routes: destinationRoutes[0].eventId is empty: give the custom event id of the asset's flow.`,
    ],
  },
  {
    name: "asset-events flow without the custom event it starts on",
    template: "AppleMessages_asset_events",
    bindings: { ...VALID_BINDINGS, eventId: undefined },
    expected: [`${ASSET_EVENTS_TRIGGER} is missing: ${EVENT_ID_HINT}`],
  },
  {
    name: "custom event id with whitespace inside",
    template: "AppleMessages_asset_events",
    bindings: { ...VALID_BINDINGS, eventId: "amb retail" },
    expected: [
      `${ASSET_EVENTS_TRIGGER} "amb retail" contains whitespace; copy the value exactly as Webex Connect shows it.`,
    ],
  },
  {
    name: "custom event id that is still the placeholder",
    template: "AppleMessages_asset_events",
    bindings: { ...VALID_BINDINGS, eventId: "{{eventId}}" },
    expected: [
      `${ASSET_EVENTS_TRIGGER} "{{eventId}}" is a template placeholder, not a value: ${EVENT_ID_HINT}`,
    ],
  },
]);
