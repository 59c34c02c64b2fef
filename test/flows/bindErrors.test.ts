import {
  bindFlow,
  formatProblem,
  loadTemplate,
  type FlowBindings,
  type FlowDocument,
  type TemplateName,
} from "../../flows";
import { VALID_BINDINGS } from "./support";

interface BadBinding {
  readonly name: string;
  readonly template: TemplateName;
  readonly bindings?: FlowBindings;
  readonly edit?: (template: FlowDocument) => void;
  readonly expected: readonly string[];
}

const CLOSE = 'AppleMessages_CustomerClose: node 150 "CCE End Task", field domain: proxyFqdn';
const NOT_LABEL = "which is not a valid DNS label (letters, digits and inner hyphens only).";
const BARE = "the Domain field takes a bare hostname.";
const LONG_LABEL = "a".repeat(64);
const LONG_NAME = ["a", "b", "c", "d"].map((letter) => letter.repeat(63)).join(".");
const CREATED_CONDITION =
  'AppleMessages_webhook_CREATED: node 2 "Start", field trigger.conditions[0].value: appId';
const APP_ID_HINT = "give the App ID of the AMB asset (Webex Connect → Assets → Apps).";
const TASK = 'AppleMessages_inbound_flow: node 150 "CCE Create Task", field';
const ASSET_EVENTS_TRIGGER = 'AppleMessages_asset_events: node 2 "Start", field trigger.event: eventId';
const EVENT_ID_HINT =
  "give the id of the custom event the common webhook flow raises for this asset (Webex Connect → Assets → Integrations → Custom Event).";
const fqdn = (proxyFqdn: string | undefined): FlowBindings => ({ ...VALID_BINDINGS, proxyFqdn });

const cases: readonly BadBinding[] = [
  {
    name: "https scheme",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("https://cc.example.com"),
    expected: [`${CLOSE} "https://cc.example.com" has a URL scheme; ${BARE} Use "cc.example.com" instead.`],
  },
  {
    name: "http scheme, upper case and trailing slash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("http://CC.Example.com/"),
    expected: [`${CLOSE} "http://CC.Example.com/" has a URL scheme; ${BARE} Use "cc.example.com" instead.`],
  },
  {
    name: "trailing forward slash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com/"),
    expected: [
      `${CLOSE} "cc.example.com/" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "path",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com/cce/webhook"),
    expected: [
      `${CLOSE} "cc.example.com/cce/webhook" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "leading double slash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("//cc.example.com"),
    expected: [
      `${CLOSE} "//cc.example.com" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "backslash",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com\\"),
    expected: [
      `${CLOSE} "cc.example.com\\\\" contains a forward or backward slash; ${BARE} Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "port",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com:8443"),
    expected: [
      `${CLOSE} "cc.example.com:8443" has a port; the Domain field takes a bare hostname (the port is the proxy's). Use "cc.example.com" instead.`,
    ],
  },
  {
    name: "longer than 253 characters",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(LONG_NAME),
    expected: [`${CLOSE} "${LONG_NAME}" is 255 characters long; a hostname has at most 253.`],
  },
  {
    name: "label longer than 63 characters",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(`${LONG_LABEL}.example.com`),
    expected: [
      `${CLOSE} "${LONG_LABEL}.example.com" has the label "${LONG_LABEL}" of 64 characters; a label has at most 63.`,
    ],
  },
  {
    name: "underscore in a label",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc_proxy.example.com"),
    expected: [`${CLOSE} "cc_proxy.example.com" has the label "cc_proxy", ${NOT_LABEL}`],
  },
  {
    name: "leading hyphen",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("-cc.example.com"),
    expected: [`${CLOSE} "-cc.example.com" has the label "-cc", ${NOT_LABEL}`],
  },
  {
    name: "trailing dot",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc.example.com."),
    expected: [`${CLOSE} "cc.example.com." has the label "", ${NOT_LABEL} Use "cc.example.com" instead.`],
  },
  {
    name: "surrounding whitespace",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(" cc.example.com"),
    expected: [`${CLOSE} " cc.example.com" has surrounding whitespace. Use "cc.example.com" instead.`],
  },
  {
    name: "empty FQDN",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(""),
    expected: [
      `${CLOSE} is empty: give the FQDN of the reverse proxy in front of Cloud Connect, e.g. "cc.example.com".`,
    ],
  },
  {
    name: "missing FQDN",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn(undefined),
    expected: [
      `${CLOSE} is missing: give the FQDN of the reverse proxy in front of Cloud Connect, e.g. "cc.example.com".`,
    ],
  },
  {
    name: "single label",
    template: "AppleMessages_CustomerClose",
    bindings: fqdn("cc"),
    expected: [`${CLOSE} "cc" is not fully qualified; give the full DNS name, e.g. "cc.example.com".`],
  },
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
    name: "call variable over 40 bytes",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { cv_1: "x".repeat(41) } },
    expected: [
      `${TASK} callVariables.cv_1: is 41 bytes long; a call variable holds at most 40 bytes (UTF-8).`,
    ],
  },
  {
    name: "call variable of 21 characters but 42 bytes",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { cv_name: "é".repeat(21) } },
    expected: [
      `${TASK} callVariables.cv_name: is 42 bytes long; a call variable holds at most 40 bytes (UTF-8).`,
    ],
  },
  {
    name: "ECC variable over 210 bytes",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, eccVariables: { user_note: "y".repeat(211) } },
    expected: [
      `${TASK} eccVariables.user_note: is 211 bytes long; an ECC variable holds at most 210 bytes (UTF-8).`,
    ],
  },
  {
    name: "ECC variable name among the call variables",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { user_lang: "en" } },
    expected: [
      `${TASK} callVariables.user_lang: "user_lang" is not a call variable name: call variable names start with "cv_"; ECC variables ("user_…") go in eccVariables.`,
    ],
  },
  {
    name: "call variable name among the ECC variables",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, eccVariables: { cv_2: "en" } },
    expected: [
      `${TASK} eccVariables.cv_2: "cv_2" is not an ECC variable name: ECC variable names start with "user_"; call variables ("cv_…") go in callVariables.`,
    ],
  },
  {
    name: "call variable name that is only the prefix",
    template: "AppleMessages_inbound_flow",
    bindings: { ...VALID_BINDINGS, callVariables: { cv_: "en" } },
    expected: [
      `${TASK} callVariables.cv_: "cv_" needs a name after the "cv_" prefix, in letters, digits and _ only.`,
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
  {
    name: "unknown node type in the template",
    template: "AppleMessages_CustomerClose",
    edit: (template) => {
      template.nodes[3].outcomes.onSuccess = "170";
      template.nodes.push({
        id: "170",
        type: "sendSms",
        name: "Send SMS",
        version: "1.0",
        config: {},
        outcomes: {},
      });
    },
    expected: [
      'AppleMessages_CustomerClose: node 170 "Send SMS", field type: "sendSms" is not a node type this library knows (start, evaluate, searchConversation, createConversation, appendConversation, closeConversation, cceCreateTask, cceEndTask, ambMessage, receive, destinationBranch, customEvent); replace the node or add its type to flows/nodeTypes.ts.',
    ],
  },
  {
    name: "dangling outcome in the template",
    template: "AppleMessages_CustomerClose",
    edit: (template) => {
      template.nodes[2].outcomes["500"] = "999";
    },
    expected: [
      'AppleMessages_CustomerClose: node 150 "CCE End Task", field outcomes.500: leads to node 999, which does not exist; point it at an existing node or remove the outcome.',
    ],
  },
];

describe("bindFlow with bad bindings", () => {
  it.each(cases)("$name", ({ template: name, bindings = VALID_BINDINGS, edit, expected }) => {
    const template = loadTemplate(name);
    edit?.(template);
    const result = bindFlow(template, bindings);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual(expected);
  });

  it("collects every problem at once, each at its node and field", () => {
    const result = bindFlow(loadTemplate("AppleMessages_inbound_flow"), {
      proxyFqdn: "https://cc.example.com:443/",
      callVariables: { cv_1: "x".repeat(41) },
    });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "AppleMessages_inbound_flow: field serviceId: serviceId is missing: give the id of the Webex Connect service the flow belongs to.",
      'AppleMessages_inbound_flow: node 2 "Start", field trigger.asset: ambAssetId is missing: give the id of the AMB asset in Webex Connect.',
      'AppleMessages_inbound_flow: node 179 "Search Conversation", field ambAccountId: ambAccountId is missing: give the AMB Account ID of the Apple Messages for Business account.',
      'AppleMessages_inbound_flow: node 180 "Create Conversation", field ambAccountId: ambAccountId is missing: give the AMB Account ID of the Apple Messages for Business account.',
      `${TASK} domain: proxyFqdn "https://cc.example.com:443/" has a URL scheme; ${BARE} Use "cc.example.com" instead.`,
      'AppleMessages_inbound_flow: node 211 "Apple Messages For Business", field asset: ambAssetId is missing: give the id of the AMB asset in Webex Connect.',
      `${TASK} callVariables.cv_1: is 41 bytes long; a call variable holds at most 40 bytes (UTF-8).`,
    ]);
  });
});
