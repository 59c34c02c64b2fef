/**
 * A corpus of malformed stack configurations, each one mutation away from stacks/Pulumi.staging-retail.yaml, each
 * with the exact problems it must report.
 *
 * "Failing before any API call": parseStackConfig is a pure function of the raw configuration. These tests run the
 * stack file through the program's own mapping and parseStackConfig only: no emulator, no Pulumi engine, no
 * Webex Connect client; and they check that no socket was even opened.
 */
import * as net from "node:net";
import * as path from "node:path";
import { cloneJson } from "../../lib/json";
import { parseStackConfig, StackConfigError } from "../../config/stackConfig";
import type { SettingsEnvironment } from "../../config/rawStackConfig";
import {
  rawOf,
  readStackFileConfig,
  STACKS_DIR,
  TOKEN_FROM_ENV,
  TOKEN_VALUE,
  type StackFileConfig,
} from "./support";

const BASE_STACK = "staging-retail";
const BASE = readStackFileConfig(path.join(STACKS_DIR, `Pulumi.${BASE_STACK}.yaml`));

type Mapping = Record<string, unknown>;
const sectionOf = (config: StackFileConfig, name: string) => config[`amb-cce-connect:${name}`] as Mapping;
const nodesOf = (config: StackFileConfig) => sectionOf(config, "cloudConnect").nodes as Mapping[];

interface MalformedStack {
  readonly name: string;
  readonly edit: (config: StackFileConfig) => void;
  /** Environment variables of the run; by default the token comes from WEBEX_CONNECT_TOKEN. */
  readonly env?: SettingsEnvironment;
  readonly stackName?: string;
  readonly problems: readonly string[];
}

const SECTION_MISSING =
  "is missing: add it to the stack file (stacks/Pulumi.staging-retail.yaml shows every section)";
const APP_ID = "the App ID of the AMB asset (Webex Connect → Assets → Apps)";
const REGIONS = "eu, us, uk, ca, au, sg, in, jp";
const BARE = "the Domain field takes a bare hostname.";
const FQDN_KEY = "amb-cce-connect:edge.fqdn";
const FQDN = "amb-retail.staging.cc.example.com";
const LONG_FQDN = ["a", "b", "c", "d"].map((letter) => letter.repeat(62)).join(".") + ".example.com";
const DATA_STREAM_OFF =
  "Data Stream is off, which breaks customer opt-out, event handling and typing indicators; turn it on or give a " +
  "reason of at least 10 characters";
const KUBERNETES_ONE_OF =
  "set exactly one, renderYamlToDirectory (write manifests to a folder) or context (apply to that cluster)";
const TOKEN_IN_FILE = "webexconnect:token";
const FLOWS_KEY = "amb-cce-connect:flows";
const CUSTOM_EVENT =
  "the id of the custom event the common webhook flow raises for this asset (Webex Connect → Assets → Integrations → Custom Event)";
const RETAIL_APP_ID = "91b4c6d2-retail";
const SUPPORT_APP_ID = "4d6b0e28-support";
const RETAIL_ROUTE = { appId: RETAIL_APP_ID, eventId: "amb_retail_events" };
const SUPPORT_ROUTE = { appId: SUPPORT_APP_ID, eventId: "amb_support_events" };
/** The staging tenant in common mode, as its owner stack (staging-retail) configures it. */
const COMMON_OWNER = {
  webhooks: "common",
  eventId: "amb_retail_events",
  commonFlowOwner: true,
  destinationRoutes: [RETAIL_ROUTE, SUPPORT_ROUTE],
};
const setFlows = (flows: Mapping) => (config: StackFileConfig) => (config[FLOWS_KEY] = flows);

const cases: readonly MalformedStack[] = [
  // Every section missing, one at a time.
  {
    name: "environment missing",
    edit: (config) => delete config["amb-cce-connect:environment"],
    problems: ["amb-cce-connect:environment: is missing: set it to one of dev, staging, prod"],
  },
  ...["service", "asset", "cloudConnect", "edge", "integrationService", "kubernetes"].map(
    (section): MalformedStack => ({
      name: `${section} section missing`,
      edit: (config) => delete config[`amb-cce-connect:${section}`],
      problems: [`amb-cce-connect:${section}: ${SECTION_MISSING}`],
    }),
  ),
  {
    name: "orgId missing",
    edit: (config) => delete config["webexconnect:orgId"],
    problems: ['webexconnect:orgId: is missing: give the Webex Connect organization ID, e.g. "org-1234"'],
  },
  // Wrong types.
  {
    name: "a section that is text",
    edit: (config) => (config["amb-cce-connect:kubernetes"] = "amb-retail"),
    problems: [
      'amb-cce-connect:kubernetes: must be a mapping with the keys namespace, renderYamlToDirectory, context (got "amb-retail")',
    ],
  },
  {
    name: "replicas as text",
    edit: (config) => (sectionOf(config, "edge").replicas = "3"),
    problems: ['amb-cce-connect:edge.replicas: Invalid input: expected number, received string (got "3")'],
  },
  {
    name: "dataStream as text",
    edit: (config) => (sectionOf(config, "asset").dataStream = "yes"),
    problems: [
      'amb-cce-connect:asset.dataStream: Invalid input: expected boolean, received string (got "yes")',
    ],
  },
  {
    name: "nodes as text",
    edit: (config) => (sectionOf(config, "cloudConnect").nodes = "publisher"),
    problems: [
      'amb-cce-connect:cloudConnect.nodes: Invalid input: expected array, received string (got "publisher")',
    ],
  },
  {
    name: "bad environment",
    edit: (config) => (config["amb-cce-connect:environment"] = "qa"),
    problems: [
      'amb-cce-connect:environment: is not an environment: set it to one of dev, staging, prod (got "qa")',
    ],
  },
  // The edge FQDN, which becomes the CCE Domain field.
  {
    name: "FQDN with a scheme",
    edit: (config) => (sectionOf(config, "edge").fqdn = `https://${FQDN}`),
    problems: [`${FQDN_KEY}: "https://${FQDN}" has a URL scheme; ${BARE} Use "${FQDN}" instead.`],
  },
  {
    name: "FQDN with a path",
    edit: (config) => (sectionOf(config, "edge").fqdn = `${FQDN}/webhooks`),
    problems: [
      `${FQDN_KEY}: "${FQDN}/webhooks" contains a forward or backward slash; ${BARE} Use "${FQDN}" instead.`,
    ],
  },
  {
    name: "FQDN with a backslash",
    edit: (config) => (sectionOf(config, "edge").fqdn = `${FQDN}\\`),
    problems: [
      `${FQDN_KEY}: "${FQDN}\\\\" contains a forward or backward slash; ${BARE} Use "${FQDN}" instead.`,
    ],
  },
  {
    name: "FQDN with a port",
    edit: (config) => (sectionOf(config, "edge").fqdn = `${FQDN}:8443`),
    problems: [
      `${FQDN_KEY}: "${FQDN}:8443" has a port; the Domain field takes a bare hostname (the port is the proxy's). Use "${FQDN}" instead.`,
    ],
  },
  {
    name: "FQDN of a single label",
    edit: (config) => (sectionOf(config, "edge").fqdn = "ambretail"),
    problems: [
      `${FQDN_KEY}: "ambretail" is not fully qualified; give the full DNS name, e.g. "ambretail.example.com".`,
    ],
  },
  {
    name: "FQDN too long",
    edit: (config) => (sectionOf(config, "edge").fqdn = LONG_FQDN),
    problems: [`${FQDN_KEY}: "${LONG_FQDN}" is 263 characters long; a hostname has at most 253.`],
  },
  // The AMB asset.
  {
    name: "App ID empty",
    edit: (config) => (sectionOf(config, "asset").appId = ""),
    problems: [`amb-cce-connect:asset.appId: is empty: give ${APP_ID}, e.g. "a1b2c3d4" (got "")`],
  },
  {
    name: "App ID of blanks only",
    edit: (config) => (sectionOf(config, "asset").appId = "   "),
    problems: [`amb-cce-connect:asset.appId: is empty: give ${APP_ID}, e.g. "a1b2c3d4" (got "")`],
  },
  {
    name: "App ID with whitespace inside",
    edit: (config) => (sectionOf(config, "asset").appId = "a7f3c1e9 retail"),
    problems: [
      `amb-cce-connect:asset.appId: contains whitespace: copy ${APP_ID} exactly as Webex Connect shows it (got "a7f3c1e9 retail")`,
    ],
  },
  {
    name: "AMB Account ID in upper case",
    edit: (config) => (sectionOf(config, "asset").ambAccountId = "0B6F3A52-7C1D-4E8A-9F20-5D3C8B1A6E47"),
    problems: [
      'amb-cce-connect:asset.ambAccountId: is not a lower-case uuid: copy the AMB Account ID from Apple Business Register (got "0B6F3A52-7C1D-4E8A-9F20-5D3C8B1A6E47")',
    ],
  },
  {
    name: "AMB Account ID missing",
    edit: (config) => delete sectionOf(config, "asset").ambAccountId,
    problems: [
      "amb-cce-connect:asset.ambAccountId: is missing: give the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>)",
    ],
  },
  {
    name: "account name with a blank",
    edit: (config) => (sectionOf(config, "asset").accountName = "Retail Store"),
    problems: [
      'amb-cce-connect:asset.accountName: must be the Messages for Business account name (letters, digits, _ and -), as in &name=<AccountName> (got "Retail Store")',
    ],
  },
  {
    name: "Data Stream off without a waiver",
    edit: (config) => (sectionOf(config, "asset").dataStream = false),
    problems: [`amb-cce-connect:asset.dataStreamWaiver: is missing: ${DATA_STREAM_OFF}`],
  },
  {
    name: "Data Stream off with a waiver that gives no reason",
    edit: (config) =>
      Object.assign(sectionOf(config, "asset"), { dataStream: false, dataStreamWaiver: "n/a" }),
    problems: [`amb-cce-connect:asset.dataStreamWaiver: "n/a" is too short: ${DATA_STREAM_OFF}`],
  },
  {
    name: "misspelt asset key",
    edit: (config) => (sectionOf(config, "asset").appID = "a7f3c1e9-retail"),
    problems: [
      'amb-cce-connect:asset: has unknown key "appID": remove it or fix the spelling (known keys: key, appId, ambAccountId, accountName, mspLink, dataStream, dataStreamWaiver)',
    ],
  },
  {
    name: "adopt byId without an id",
    edit: (config) => (sectionOf(config, "service").adopt = "byId"),
    problems: [
      'amb-cce-connect:service.id: is missing: adopt is "byId", so give the id of the existing service',
    ],
  },
  // Webex Connect settings.
  {
    name: "token in plain text in the stack file",
    edit: (config) => (config[TOKEN_IN_FILE] = TOKEN_VALUE),
    env: {},
    problems: [
      "webexconnect:token: is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
    ],
  },
  {
    name: "token neither in the stack file nor in the environment",
    edit: () => {},
    env: {},
    problems: [
      "webexconnect:token: is missing: run `pulumi config set --secret webexconnect:token <token>`, or export WEBEX_CONNECT_TOKEN",
    ],
  },
  {
    name: "unknown region",
    edit: (config) => (config["webexconnect:region"] = "mars"),
    problems: [
      `webexconnect:region: "mars" is not a Webex Connect region: use one of ${REGIONS} (Japan uses au)`,
    ],
  },
  {
    name: "neither region nor baseUrl",
    edit: (config) => delete config["webexconnect:region"],
    problems: [
      `webexconnect:region: is missing: set webexconnect:region to one of ${REGIONS}, or webexconnect:baseUrl for the emulator`,
    ],
  },
  {
    name: "baseUrl without its scheme",
    edit: (config) => (config["webexconnect:baseUrl"] = "localhost:8787"),
    problems: [
      "webexconnect:baseUrl: is not an http(s) URL: give the emulator's or the tenant's base URL, e.g. http://127.0.0.1:8787 (got \"localhost:8787\")",
    ],
  },
  {
    name: "MSP link that is not an https URL",
    edit: (config) =>
      (sectionOf(config, "asset").mspLink = "business-chat.imiconnect.io/applebusinesschat/login?id=1"),
    problems: [
      'amb-cce-connect:asset.mspLink: is not an https URL: copy the link Apple shows after "Connect" (got "business-chat.imiconnect.io/applebusinesschat/login?id=1")',
    ],
  },
  // Images outside dev.
  {
    name: "edge image by tag outside dev",
    edit: (config) => (sectionOf(config, "edge").image = "haproxy:2.9"),
    problems: [
      'amb-cce-connect:edge.image: "haproxy:2.9" is not pinned by digest, which environment staging requires: use "haproxy:2.9@sha256:<64 hex digits>"',
    ],
  },
  {
    name: "integration image by tag outside dev",
    edit: (config) =>
      (sectionOf(config, "integrationService").image =
        "registry.example.com/contact-center/amb-integration:1.4.2"),
    problems: [
      'amb-cce-connect:integrationService.image: "registry.example.com/contact-center/amb-integration:1.4.2" is not pinned by digest, which environment staging requires: use "registry.example.com/contact-center/amb-integration:1.4.2@sha256:<64 hex digits>"',
    ],
  },
  {
    name: "edge image missing outside dev",
    edit: (config) => delete sectionOf(config, "edge").image,
    problems: [
      "amb-cce-connect:edge.image: is missing: environment staging needs the HAProxy image pinned by digest (haproxy@sha256:<digest>)",
    ],
  },
  // The edge and its nodes.
  {
    name: "a single edge replica",
    edit: (config) => (sectionOf(config, "edge").replicas = 1),
    problems: [
      "amb-cce-connect:edge.replicas: must be at least 2 so one pod can fail without an outage (got 1)",
    ],
  },
  {
    name: "empty allow-list",
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = []),
    problems: [
      "amb-cce-connect:edge.allowedClientCidrs: is empty: give the address ranges of Webex Connect and your load balancer (got [])",
    ],
  },
  {
    name: "bad CIDR",
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = ["198.51.100.0/24", "203.0.113.0/33"]),
    problems: [
      'amb-cce-connect:edge.allowedClientCidrs.1: must be a CIDR range such as 203.0.113.0/24 (got "203.0.113.0/33")',
    ],
  },
  {
    name: "node name in capitals",
    edit: (config) => (nodesOf(config)[0].name = "Publisher"),
    problems: [
      'amb-cce-connect:cloudConnect.nodes.0.name: must be a short lower-case name such as "publisher" or "subscriber" (got "Publisher")',
    ],
  },
  {
    name: "node host given as a URL",
    edit: (config) => (nodesOf(config)[1].host = "https://cloudconnect-sub.staging.cc.example.com"),
    problems: [
      `amb-cce-connect:cloudConnect.nodes.1.host: "https://cloudconnect-sub.staging.cc.example.com" has a URL scheme; ${BARE} Use "cloudconnect-sub.staging.cc.example.com" instead.`,
    ],
  },
  {
    name: "node by IP address without the name in its certificate",
    edit: (config) => (nodesOf(config)[0].host = "10.20.30.40"),
    problems: [
      "amb-cce-connect:cloudConnect.nodes.0.tlsServerName: host is an IP address, so set tlsServerName to the DNS name in the node's certificate (mTLS verifies it)",
    ],
  },
  {
    name: "duplicate node names",
    edit: (config) => (nodesOf(config)[1].name = "publisher"),
    problems: [
      'amb-cce-connect:cloudConnect.nodes: use the name "publisher" more than once: give each node its own name, e.g. "publisher" and "subscriber"',
    ],
  },
  {
    name: "no Cloud Connect node",
    edit: (config) => (sectionOf(config, "cloudConnect").nodes = []),
    problems: [
      "amb-cce-connect:cloudConnect.nodes: is empty: give the publisher and subscriber Cloud Connect nodes (got [])",
    ],
  },
  {
    name: "body limit below 100 MiB",
    edit: (config) => (sectionOf(config, "edge").proxy = { maxBodyBytes: 50 * 1024 * 1024 }),
    problems: [
      "amb-cce-connect:edge.proxy.maxBodyBytes: must be at least 104857600 (100 MiB): Apple Messages for Business attachments reach 100 MB (got 52428800)",
    ],
  },
  {
    name: "listen port out of range",
    edit: (config) => (sectionOf(config, "edge").proxy = { listenPort: 70000 }),
    problems: ["amb-cce-connect:edge.proxy.listenPort: Too big: expected number to be <=65535 (got 70000)"],
  },
  {
    name: "unknown proxy knob",
    edit: (config) => (sectionOf(config, "edge").proxy = { maxBodySize: 200 }),
    problems: [
      'amb-cce-connect:edge.proxy: has unknown key "maxBodySize": remove it or fix the spelling (known keys: listenAddress, listenPort, monitorPort, monitorPath, healthCheck, rateLimit, maxBodyBytes, timeouts, balance, maxConnections, trackingIdHeader)',
    ],
  },
  {
    name: "proxy knob the stack supplies",
    edit: (config) => (sectionOf(config, "edge").proxy = { publicHostname: "other.example.com" }),
    problems: [
      "amb-cce-connect:edge.proxy.publicHostname: cannot be set here: it is edge.fqdn; remove it from edge.proxy",
    ],
  },
  {
    name: "front TLS with neither a secret name nor PEMs",
    edit: (config) => (sectionOf(config, "edge").frontTls = {}),
    problems: [
      "amb-cce-connect:edge.frontTls: must be {existingSecretName} of a kubernetes.io/tls Secret, or {certificatePem, privateKeyPem}",
    ],
  },
  // Kubernetes.
  {
    name: "kubernetes renders and applies",
    edit: (config) =>
      (sectionOf(config, "kubernetes").renderYamlToDirectory = ".work/rendered/staging-retail"),
    problems: [
      `amb-cce-connect:kubernetes: sets both renderYamlToDirectory and context: ${KUBERNETES_ONE_OF}`,
    ],
  },
  {
    name: "kubernetes neither renders nor applies",
    edit: (config) => delete sectionOf(config, "kubernetes").context,
    problems: [
      `amb-cce-connect:kubernetes: sets neither renderYamlToDirectory and context: ${KUBERNETES_ONE_OF}`,
    ],
  },
  {
    name: "bad namespace",
    edit: (config) => (sectionOf(config, "kubernetes").namespace = "AMB_Retail"),
    problems: [
      'amb-cce-connect:kubernetes.namespace: must be a Kubernetes namespace name (lower-case letters, digits, -) (got "AMB_Retail")',
    ],
  },
  // Flows and the stack name.
  {
    name: "common webhooks without the asset's custom event",
    edit: (config) => (sectionOf(config, "flows").webhooks = "common"),
    problems: [
      `${FLOWS_KEY}.eventId: is missing: webhooks is "common", so give ${CUSTOM_EVENT}, e.g. "amb_retail_events"`,
    ],
  },
  {
    name: "common webhooks with an empty custom event id",
    edit: setFlows({ webhooks: "common", eventId: " " }),
    problems: [`${FLOWS_KEY}.eventId: is empty: give ${CUSTOM_EVENT}, e.g. "amb_retail_events" (got "")`],
  },
  {
    name: "a stack that does not own the common flow but lists routes",
    edit: setFlows({ ...COMMON_OWNER, commonFlowOwner: false }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes: is set, but only the stack that owns the tenant's common webhook flow lists ` +
        "the routes, and this one does not (commonFlowOwner is not true): remove destinationRoutes here and add this " +
        "asset's route to the owner stack's list, or set commonFlowOwner: true if this stack deploys the common flow",
    ],
  },
  {
    name: "the owner of the common flow without routes",
    edit: setFlows({ ...COMMON_OWNER, destinationRoutes: undefined }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes: is missing: this stack owns the tenant's common webhook flow ` +
        "(commonFlowOwner: true), so list {appId, eventId} for every AMB asset of the tenant, this stack's own included",
    ],
  },
  {
    name: "the owner of the common flow with an empty route list",
    edit: setFlows({ ...COMMON_OWNER, destinationRoutes: [] }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes: is empty: this stack owns the tenant's common webhook flow ` +
        "(commonFlowOwner: true), so list {appId, eventId} for every AMB asset of the tenant, this stack's own included",
    ],
  },
  {
    name: "the owner's routes leave out its own asset",
    edit: setFlows({ ...COMMON_OWNER, destinationRoutes: [SUPPORT_ROUTE] }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes: has no route for this stack's own App ID "${RETAIL_APP_ID}" (asset.appId): ` +
        `add {appId: "${RETAIL_APP_ID}", eventId: "amb_retail_events"} so the common flow forwards this asset's CCE ` +
        "events to its flow",
    ],
  },
  {
    name: "the owner's own route raises another custom event than its flow starts on",
    edit: setFlows({ ...COMMON_OWNER, eventId: "amb_retail_v2" }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes.0.eventId: is "amb_retail_events", but flows.eventId is "amb_retail_v2": the ` +
        "route of this stack's own App ID must raise the custom event its asset-events flow starts on; make them the same",
    ],
  },
  {
    name: "one App ID routed twice",
    edit: setFlows({
      ...COMMON_OWNER,
      destinationRoutes: [RETAIL_ROUTE, SUPPORT_ROUTE, { appId: SUPPORT_APP_ID, eventId: "amb_support_v2" }],
    }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes: lists the App ID "${SUPPORT_APP_ID}" more than once: give each AMB asset of ` +
        "the tenant one route",
    ],
  },
  {
    name: "two App IDs routed to one custom event",
    edit: setFlows({
      ...COMMON_OWNER,
      destinationRoutes: [RETAIL_ROUTE, { ...SUPPORT_ROUTE, eventId: "amb_retail_events" }],
    }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes: routes the App IDs "${RETAIL_APP_ID}", "${SUPPORT_APP_ID}" to the same ` +
        'eventId "amb_retail_events": each asset\'s flow starts on its own custom event, so give each route its own eventId',
    ],
  },
  {
    name: "a route whose App ID has whitespace inside",
    edit: setFlows({
      ...COMMON_OWNER,
      destinationRoutes: [RETAIL_ROUTE, { ...SUPPORT_ROUTE, appId: "4d6b0e28 support" }],
    }),
    problems: [
      `${FLOWS_KEY}.destinationRoutes.1.appId: contains whitespace: copy ${APP_ID} exactly as Webex Connect shows it ` +
        '(got "4d6b0e28 support")',
    ],
  },
  {
    name: "commonFlowOwner as text",
    edit: setFlows({ ...COMMON_OWNER, commonFlowOwner: "yes" }),
    problems: [`${FLOWS_KEY}.commonFlowOwner: Invalid input: expected boolean, received string (got "yes")`],
  },
  {
    name: "common-mode keys with per-asset webhooks",
    edit: setFlows({ ...COMMON_OWNER, webhooks: "perAsset" }),
    problems: ["eventId", "commonFlowOwner", "destinationRoutes"].map(
      (key) =>
        `${FLOWS_KEY}.${key}: is only used when webhooks is "common" and would be ignored: remove it, or set ` +
        'webhooks to "common"',
    ),
  },
  {
    name: "stack name that does not match <environment>-<asset>",
    edit: () => {},
    stackName: "staging-billing",
    problems: [
      'stack name: is "staging-billing", but stacks are named <environment>-<asset key>: name it "staging-retail", or fix environment / asset.key',
    ],
  },
  // Several problems at once: each reported, in schema order.
  {
    name: "several problems together",
    edit: (config) => {
      config[TOKEN_IN_FILE] = TOKEN_VALUE;
      sectionOf(config, "edge").fqdn = `${FQDN}:443`;
      sectionOf(config, "edge").replicas = 1;
      sectionOf(config, "asset").appId = "";
      nodesOf(config)[1].name = "publisher";
    },
    env: {},
    problems: [
      "webexconnect:token: is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
      `amb-cce-connect:asset.appId: is empty: give ${APP_ID}, e.g. "a1b2c3d4" (got "")`,
      `${FQDN_KEY}: "${FQDN}:443" has a port; the Domain field takes a bare hostname (the port is the proxy's). Use "${FQDN}" instead.`,
      "amb-cce-connect:edge.replicas: must be at least 2 so one pod can fail without an outage (got 1)",
      'amb-cce-connect:cloudConnect.nodes: use the name "publisher" more than once: give each node its own name, e.g. "publisher" and "subscriber"',
    ],
  },
  {
    name: "a missing field and a cross-field rule in one section",
    edit: (config) => {
      delete sectionOf(config, "kubernetes").namespace;
      delete sectionOf(config, "kubernetes").context;
    },
    problems: [
      "amb-cce-connect:kubernetes.namespace: is missing: add it to the stack file (type: string)",
      `amb-cce-connect:kubernetes: sets neither renderYamlToDirectory and context: ${KUBERNETES_ONE_OF}`,
    ],
  },
  {
    name: "a stack file with no config at all",
    edit: (config) => Object.keys(config).forEach((key) => delete config[key]),
    problems: [
      "amb-cce-connect:environment: is missing: set it to one of dev, staging, prod",
      'webexconnect:orgId: is missing: give the Webex Connect organization ID, e.g. "org-1234"',
      `webexconnect:region: is missing: set webexconnect:region to one of ${REGIONS}, or webexconnect:baseUrl for the emulator`,
      ...["service", "asset", "cloudConnect", "edge", "integrationService", "kubernetes"].map(
        (section) => `amb-cce-connect:${section}: ${SECTION_MISSING}`,
      ),
    ],
  },
];

function problemsOf(raw: unknown): string[] {
  try {
    parseStackConfig(raw);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

function messageOf(raw: unknown): string {
  try {
    parseStackConfig(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("malformed stack configurations", () => {
  const socketConnect = jest.spyOn(net.Socket.prototype, "connect");
  afterAll(() => {
    expect(socketConnect).not.toHaveBeenCalled();
    socketConnect.mockRestore();
  });

  it("start from a valid base", () => {
    expect(() => parseStackConfig(rawOf(BASE_STACK, BASE))).not.toThrow();
  });

  it("accept the common webhook mode: the tenant's owner stack with every route, another stack with its event", () => {
    const owner = cloneJson(BASE);
    setFlows(COMMON_OWNER)(owner);
    expect(parseStackConfig(rawOf(BASE_STACK, owner)).flows).toEqual({
      ...COMMON_OWNER,
      callVariables: {},
      eccVariables: {},
    });
    const other = cloneJson(BASE);
    setFlows({ webhooks: "common", eventId: "amb_retail_events" })(other);
    expect(parseStackConfig(rawOf(BASE_STACK, other)).flows).toEqual({
      webhooks: "common",
      eventId: "amb_retail_events",
      callVariables: {},
      eccVariables: {},
    });
  });

  it("hold at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, malformed) => {
    const config = cloneJson(BASE);
    malformed.edit(config);
    const raw = rawOf(malformed.stackName ?? BASE_STACK, config, malformed.env ?? TOKEN_FROM_ENV);
    expect(problemsOf(raw)).toEqual(malformed.problems);
  });

  it("never carry the token's value, wherever the token comes from", () => {
    for (const malformed of cases) {
      const config = cloneJson(BASE);
      malformed.edit(config);
      const fromEnv = rawOf(malformed.stackName ?? BASE_STACK, config, TOKEN_FROM_ENV);
      expect(JSON.stringify(fromEnv)).not.toContain(TOKEN_VALUE);
      config[TOKEN_IN_FILE] = TOKEN_VALUE;
      const inPlainText = rawOf(malformed.stackName ?? BASE_STACK, config, {});
      expect(JSON.stringify(inPlainText)).not.toContain(TOKEN_VALUE);
      const message = messageOf(inPlainText);
      expect(message).toContain("webexconnect:token: is stored in plain text");
      expect(message).not.toContain(TOKEN_VALUE);
    }
  });

  it("count the problems in the error's message", () => {
    const config = cloneJson(BASE);
    sectionOf(config, "edge").replicas = 1;
    sectionOf(config, "asset").appId = "";
    expect(() => parseStackConfig(rawOf(BASE_STACK, config))).toThrow(
      /^The stack configuration has 2 problems:\n {2}amb-cce-connect:asset\.appId: .*\n {2}amb-cce-connect:edge\.replicas: /,
    );
  });
});
