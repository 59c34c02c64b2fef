/**
 * A corpus of malformed stack configurations, each one mutation away from stacks/Pulumi.staging-retail.yaml, each
 * with the exact problems it must report: the ones the README's rules name, and the ways people really get a stack
 * file wrong (values pasted with blanks, quotes or a Windows line ending, values from another environment's file).
 *
 * Each case runs the real program (index.ts) under Pulumi's mocks: the configuration is refused as a whole, with an
 * error the Pulumi runtime prints without a stack trace (a RunError), before the program constructs its first
 * resource. The program makes no API call itself, only its resources' providers do, so a refusal with no resource
 * registered is a refusal before any API call; test/stack/brokenStack.engine.test.ts shows the same through the
 * real engine with the emulator counting requests.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { edgeProxyConfigSchema } from "../../edge/types";
import { cloneJson } from "../../lib/json";
import { InvalidStackConfig } from "../../config/readStackConfig";
import { parseStackConfig } from "../../config/stackConfig";
import { stackFileSource } from "../../config/projectFiles";
import { rawStackConfig, type SettingsEnvironment } from "../../config/rawStackConfig";
import {
  rawOf,
  readStackFileConfig,
  runProgram,
  STACKS_DIR,
  TOKEN_FROM_ENV,
  TOKEN_VALUE,
  type StackFileConfig,
} from "./support";

// The first run of the program loads the Pulumi SDK and the Kubernetes provider's modules.
jest.setTimeout(60_000);

const BASE_STACK = "staging-retail";
const BASE = readStackFileConfig(path.join(STACKS_DIR, `Pulumi.${BASE_STACK}.yaml`));
const PROD_STACK = "prod-retail";
const PROD = readStackFileConfig(path.join(STACKS_DIR, `Pulumi.${PROD_STACK}.yaml`));

type Mapping = Record<string, unknown>;
const sectionOf = (config: StackFileConfig, name: string) => config[`amb-cce-connect:${name}`] as Mapping;
const nodesOf = (config: StackFileConfig) => sectionOf(config, "cloudConnect").nodes as Mapping[];

interface MalformedStack {
  readonly name: string;
  readonly edit: (config: StackFileConfig) => void;
  /** Environment variables of the run; by default the token comes from WEBEX_CONNECT_TOKEN. */
  readonly env?: SettingsEnvironment;
  readonly stackName?: string;
  /** The stack file the case starts from; by default BASE_STACK's. */
  readonly base?: typeof PROD_STACK;
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
const EDGE_REPLICAS =
  "amb-cce-connect:edge.replicas: must be at least 2 so Webex Connect keeps a path while a pod restarts or moves. " +
  "Fix: use 2 or more. (got 1)";
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
const OPEN_IN_PROD =
  "Cisco recommends admitting only the addresses of Webex Connect and your load balancer, and a prod stack must. " +
  "Fix: list those ranges, or set openAllowListWaiver to the reason (at least 10 characters).";
const MSP_ID = "205a1489-7217-4664-9895-9d50452d4d51";
const MSP_LINK = `https://business-chat.imiconnect.io/applebusinesschat/login?id=${MSP_ID}`;
const MSP_FIX =
  'copy the link Apple shows after "Connect", e.g. https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>.';
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
    edit: (config) => (config["amb-cce-connect:cloudConnect"] = "cloudconnect-pub.staging.cc.example.com"),
    problems: [
      'amb-cce-connect:cloudConnect: must be a mapping with the keys nodes, singleNodeWaiver (got "cloudconnect-pub.staging.cc.example.com")',
    ],
  },
  {
    name: "replicas as text",
    edit: (config) => (sectionOf(config, "edge").replicas = "3"),
    problems: [
      'amb-cce-connect:edge.replicas: is the text "3", but it must be a number: write it without quotes, e.g. replicas: 3',
    ],
  },
  {
    name: "dataStream as text",
    edit: (config) => (sectionOf(config, "asset").dataStream = "yes"),
    problems: [
      'amb-cce-connect:asset.dataStream: is the text "yes", but it must be true or false, e.g. dataStream: true',
    ],
  },
  {
    name: "nodes as text",
    edit: (config) => (sectionOf(config, "cloudConnect").nodes = "publisher"),
    problems: [
      'amb-cce-connect:cloudConnect.nodes: is the text "publisher", but it must be a list, e.g. nodes: [a, b] (or one "- item" a line)',
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
      'amb-cce-connect:asset.ambAccountId: "0B6F3A52-7C1D-4E8A-9F20-5D3C8B1A6E47" is not a lower-case uuid: copy the AMB Account ID from Apple Business Register; use "0b6f3a52-7c1d-4e8a-9f20-5d3c8b1a6e47"',
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
    name: "misspelt edge key",
    edit: (config) => {
      const edge = sectionOf(config, "edge");
      delete edge.replicas;
      edge.replica = 2;
    },
    problems: [
      'amb-cce-connect:edge: has unknown key "replica": remove it or fix the spelling (known keys: fqdn, image, replicas, resources, frontTls, cloudConnectTls, serviceAnnotations, openAllowListWaiver, allowedClientCidrs, proxy)',
    ],
  },
  {
    name: "misspelt key inside a component's own mapping",
    edit: (config) =>
      (sectionOf(config, "integrationService").autoscaling = { minReplica: 2, maxReplicas: 4 }),
    problems: [
      'amb-cce-connect:integrationService.autoscaling: has unknown key "minReplica": remove it or fix the spelling (known keys: minReplicas, maxReplicas, targetCpuUtilizationPercent)',
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
      "webexconnect:token: is missing: run `pulumi config set --secret webexconnect:token <token>`, or export " +
        "WEBEX_CONNECT_TOKEN; for scheduled runs give the renewing credential instead (webexconnect:clientId, " +
        'webexconnect:clientSecret, webexconnect:refreshToken; docs/operations.md, "Credentials that last")',
    ],
  },
  {
    name: "the renewing credential's client secret in plain text, its refresh token from the environment",
    edit: (config) => {
      config["webexconnect:clientId"] = { secure: "v1:ciphertext" };
      config["webexconnect:clientSecret"] = "client-secret-in-plain-text";
    },
    env: { WEBEX_CONNECT_REFRESH_TOKEN: "refresh-token-from-ci" },
    problems: [
      "webexconnect:clientSecret: is stored in plain text: run `pulumi config set --secret webexconnect:clientSecret <client secret>`",
    ],
  },
  {
    name: "the renewing credential without its refresh token, beside a token",
    edit: (config) => {
      config["webexconnect:clientId"] = { secure: "v1:ciphertext" };
      config["webexconnect:clientSecret"] = { secure: "v1:ciphertext" };
    },
    problems: [
      "webexconnect:refreshToken: is missing: the renewing credential needs webexconnect:clientId, " +
        "webexconnect:clientSecret, webexconnect:refreshToken together, and only webexconnect:clientId, " +
        "webexconnect:clientSecret are set. Fix: run `pulumi config set --secret webexconnect:refreshToken " +
        "<refresh token>` (or export WEBEX_CONNECT_REFRESH_TOKEN), or remove webexconnect:clientId, " +
        "webexconnect:clientSecret to use webexconnect:token",
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
      `amb-cce-connect:asset.mspLink: "business-chat.imiconnect.io/applebusinesschat/login?id=1" is not an https URL. Fix: ${MSP_FIX}`,
    ],
  },
  // Images outside dev.
  {
    name: "edge image by tag outside dev",
    edit: (config) => (sectionOf(config, "edge").image = "haproxy:2.9"),
    problems: [
      'amb-cce-connect:edge.image: "haproxy:2.9" is not pinned by digest, which environment "staging" requires (only "dev" may use tags). Fix: use "haproxy:2.9@sha256:<64 hex digits>"; `docker buildx imagetools inspect haproxy:2.9` prints the digest.',
    ],
  },
  {
    name: "integration image by tag outside dev",
    edit: (config) =>
      (sectionOf(config, "integrationService").image =
        "registry.example.com/contact-center/amb-integration:1.4.2"),
    problems: [
      'amb-cce-connect:integrationService.image: "registry.example.com/contact-center/amb-integration:1.4.2" is not pinned by digest, which environment "staging" requires (only "dev" may use tags). Fix: use "registry.example.com/contact-center/amb-integration:1.4.2@sha256:<64 hex digits>"; `docker buildx imagetools inspect registry.example.com/contact-center/amb-integration:1.4.2` prints the digest.',
    ],
  },
  {
    name: "edge image missing outside dev",
    edit: (config) => delete sectionOf(config, "edge").image,
    problems: [
      'amb-cce-connect:edge.image: is missing, so the default "haproxy:2.6" applies: "haproxy:2.6" is not pinned by digest, which environment "staging" requires (only "dev" may use tags). Fix: use "haproxy:2.6@sha256:<64 hex digits>"; `docker buildx imagetools inspect haproxy:2.6` prints the digest.',
    ],
  },
  // The edge and its nodes.
  {
    name: "a single edge replica",
    edit: (config) => (sectionOf(config, "edge").replicas = 1),
    problems: [EDGE_REPLICAS],
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
      'amb-cce-connect:edge.proxy: has unknown key "maxBodySize": remove it or fix the spelling (known keys: ' +
        // Whatever knobs the edge's schema (edge/types.ts) has, less those the stack supplies itself.
        Object.keys(edgeProxyConfigSchema.shape)
          .filter(
            (knob) => !["publicHostname", "cloudConnectNodes", "allowedClientCidrs", "paths"].includes(knob),
          )
          .join(", ") +
        ")",
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
    problems: [
      `${FLOWS_KEY}.commonFlowOwner: is the text "yes", but it must be true or false, e.g. commonFlowOwner: true`,
    ],
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
  // The component's own rules, refused by the same pass: once only the component knew them.
  {
    name: "one integration replica",
    edit: (config) =>
      (sectionOf(config, "integrationService").autoscaling = { minReplicas: 1, maxReplicas: 4 }),
    problems: [
      "amb-cce-connect:integrationService.autoscaling.minReplicas: must be at least 2 to keep the service up while a pod restarts (the disruption budget allows one down). Fix: use 2 or more. (got 1)",
    ],
  },
  {
    name: "integration service on a privileged port",
    edit: (config) => (sectionOf(config, "integrationService").port = 80),
    problems: [
      "amb-cce-connect:integrationService.port: is below 1024: a non-root container listens on a port from 1024 to 65535, e.g. 8080 (got 80)",
    ],
  },
  {
    name: "a setting that is no environment variable name",
    edit: (config) => (sectionOf(config, "integrationService").settings = { "log-level": "info" }),
    problems: [
      "amb-cce-connect:integrationService.settings.log-level: is not an environment variable name (letters, digits and '_', not starting with a digit). Fix: rename it, e.g. to \"LOG_LEVEL\".",
    ],
  },
  {
    name: "a setting that would replace the token file's variable",
    edit: (config) =>
      (sectionOf(config, "integrationService").settings = { WEBEX_CONNECT_TOKEN_FILE: "/tmp/token" }),
    problems: [
      "amb-cce-connect:integrationService.settings.WEBEX_CONNECT_TOKEN_FILE: is reserved: the component sets it to the token file's path. Fix: remove it from the settings.",
    ],
  },
  {
    name: "the integration service as root",
    edit: (config) => (sectionOf(config, "integrationService").runAsUser = 0),
    problems: [
      "amb-cce-connect:integrationService.runAsUser: must not be 0: the container runs as a non-root user. Fix: use the image's user id, e.g. 10001. (got 0)",
    ],
  },
  {
    name: "a maximum below the minimum",
    edit: (config) =>
      (sectionOf(config, "integrationService").autoscaling = { minReplicas: 3, maxReplicas: 2 }),
    problems: [
      "amb-cce-connect:integrationService.autoscaling.maxReplicas: is 2, below minReplicas 3. Fix: use 3 or more.",
    ],
  },
  {
    name: "the integration image missing",
    edit: (config) => delete sectionOf(config, "integrationService").image,
    problems: [
      'amb-cce-connect:integrationService.image: is missing: give an image such as "registry/name@sha256:<digest>"',
    ],
  },
  // What the README's rules did not catch.
  {
    name: "the edge FQDN as an IP address",
    edit: (config) => (sectionOf(config, "edge").fqdn = "10.0.0.5"),
    problems: [
      'amb-cce-connect:edge.fqdn: "10.0.0.5" is an IP address; the Domain field takes the FQDN of the reverse proxy or load balancer in front of Cloud Connect (the name in its certificate and in DNS), e.g. "cc.example.com".',
    ],
  },
  {
    name: "one Cloud Connect node",
    edit: (config) => nodesOf(config).pop(),
    problems: [
      "amb-cce-connect:cloudConnect.nodes: lists one node: the edge then has no failover. Fix: give the publisher and subscriber Cloud Connect nodes; for a lab only, set singleNodeWaiver to the reason (at least 10 characters).",
    ],
  },
  {
    name: "one Cloud Connect node with a waiver that gives no reason",
    edit: (config) => {
      nodesOf(config).pop();
      sectionOf(config, "cloudConnect").singleNodeWaiver = "lab";
    },
    problems: [
      'amb-cce-connect:cloudConnect.nodes: lists one node, and the singleNodeWaiver "lab" is too short: the edge then has no failover. Fix: give the publisher and subscriber Cloud Connect nodes; for a lab only, set singleNodeWaiver to the reason (at least 10 characters).',
    ],
  },
  {
    name: "a single-node waiver left on an edge with failover",
    edit: (config) => (sectionOf(config, "cloudConnect").singleNodeWaiver = "lab cluster with one node only"),
    problems: [
      "amb-cce-connect:cloudConnect.nodes: lists 2 nodes, so singleNodeWaiver does not apply. Fix: remove singleNodeWaiver.",
    ],
  },
  {
    name: "token in plain text in the stack file, with WEBEX_CONNECT_TOKEN also set",
    edit: (config) => (config[TOKEN_IN_FILE] = TOKEN_VALUE),
    problems: [
      "webexconnect:token: is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
    ],
  },
  {
    name: "App ID as a number",
    edit: (config) => (sectionOf(config, "asset").appId = 12345),
    problems: [
      'amb-cce-connect:asset.appId: is the number 12345, but it must be text: put it in quotes, e.g. appId: "12345"',
    ],
  },
  {
    name: "replicas spelt out",
    edit: (config) => (sectionOf(config, "edge").replicas = "two"),
    problems: ['amb-cce-connect:edge.replicas: is the text "two", but it must be a number, e.g. replicas: 2'],
  },
  // Copied and pasted from the portal, an e-mail or a file.
  {
    name: "App ID pasted with a trailing blank",
    edit: (config) => (sectionOf(config, "asset").appId = `${RETAIL_APP_ID} `),
    problems: [
      'amb-cce-connect:asset.appId: "91b4c6d2-retail " has blanks around it. Fix: use "91b4c6d2-retail".',
    ],
  },
  {
    name: "organization ID pasted with its quotes",
    edit: (config) => (config["webexconnect:orgId"] = '"org-4411-contact-center"'),
    problems: [
      'webexconnect:orgId: "\\"org-4411-contact-center\\"" is wrapped in quotes that are part of the value (YAML keeps quotes inside quotes). Fix: use "org-4411-contact-center".',
    ],
  },
  {
    name: "AMB Account ID pasted from a document with typographic quotes",
    edit: (config) =>
      (sectionOf(config, "asset").ambAccountId = "\u201c6a2d8e15-4f3b-4c9a-8e72-1b0c5d7f9a36\u201d"),
    problems: [
      'amb-cce-connect:asset.ambAccountId: "“6a2d8e15-4f3b-4c9a-8e72-1b0c5d7f9a36”" is wrapped in quotes that are part of the value (YAML keeps quotes inside quotes). Fix: use "6a2d8e15-4f3b-4c9a-8e72-1b0c5d7f9a36".',
    ],
  },
  {
    name: "App ID read from a file with Windows line endings",
    edit: (config) => (sectionOf(config, "asset").appId = `${RETAIL_APP_ID}\r`),
    problems: [
      'amb-cce-connect:asset.appId: "91b4c6d2-retail\\r" contains a carriage return (\\r), as a value read from a file with Windows line endings does. Fix: use "91b4c6d2-retail".',
    ],
  },
  {
    name: "FQDN with a tab",
    edit: (config) => (sectionOf(config, "edge").fqdn = `${FQDN}\t`),
    problems: [
      'amb-cce-connect:edge.fqdn: "amb-retail.staging.cc.example.com\\t" contains a tab. Fix: use "amb-retail.staging.cc.example.com".',
    ],
  },
  {
    name: "account name with a non-breaking space from a web page",
    edit: (config) => (sectionOf(config, "asset").accountName = "Retail_Store\u00a0"),
    problems: [
      'amb-cce-connect:asset.accountName: "Retail_Store " contains the invisible character U+00A0, as text copied from a web page can. Fix: use "Retail_Store".',
    ],
  },
  {
    name: "MSP link with a zero-width space from a web page",
    edit: (config) =>
      (sectionOf(config, "asset").mspLink =
        "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489\u200b-7217-4664-9895-9d50452d4d51"),
    problems: [
      'amb-cce-connect:asset.mspLink: "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489​-7217-4664-9895-9d50452d4d51" contains the invisible character U+200B, as text copied from a web page can. Fix: use "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489-7217-4664-9895-9d50452d4d51".',
    ],
  },
  {
    name: "AMB Account ID pasted as the whole business chat URL",
    edit: (config) =>
      (sectionOf(config, "asset").ambAccountId =
        "https://bcrw.apple.com/urn:biz:6a2d8e15-4f3b-4c9a-8e72-1b0c5d7f9a36"),
    problems: [
      'amb-cce-connect:asset.ambAccountId: "https://bcrw.apple.com/urn:biz:6a2d8e15-4f3b-4c9a-8e72-1b0c5d7f9a36" is not a lower-case uuid: copy the AMB Account ID from Apple Business Register; use "6a2d8e15-4f3b-4c9a-8e72-1b0c5d7f9a36"',
    ],
  },
  {
    name: "region in capitals",
    edit: (config) => (config["webexconnect:region"] = "EU"),
    problems: [
      'webexconnect:region: "EU" is not a Webex Connect region: use one of eu, us, uk, ca, au, sg, in, jp (Japan uses au)',
    ],
  },
  // Values from another environment's stack file.
  {
    name: "a staging stack pointing at the dev cluster's context",
    edit: (config) => (sectionOf(config, "kubernetes").context = "cce-dev"),
    problems: [
      "amb-cce-connect:kubernetes.context: \"cce-dev\" names environment dev, but this stack's environment is staging: it would reach dev's cluster. Fix: use the staging value (see the other staging stack files), or correct amb-cce-connect:environment.",
    ],
  },
  {
    name: "a staging stack with the dev edge's FQDN",
    edit: (config) => (sectionOf(config, "edge").fqdn = "amb-retail.dev.cc.example.com"),
    problems: [
      "amb-cce-connect:edge.fqdn: \"amb-retail.dev.cc.example.com\" names environment dev, but this stack's environment is staging: it would reach dev's edge. Fix: use the staging value (see the other staging stack files), or correct amb-cce-connect:environment.",
    ],
  },
  {
    name: "a staging stack with the production Cloud Connect nodes",
    edit: (config) => {
      nodesOf(config)[0].host = "cloudconnect-pub.prod.cc.example.com";
      nodesOf(config)[1].host = "cloudconnect-sub.prod.cc.example.com";
    },
    problems: [
      "amb-cce-connect:cloudConnect.nodes.0.host: \"cloudconnect-pub.prod.cc.example.com\" names environment prod, but this stack's environment is staging: it would reach prod's Cloud Connect node. Fix: use the staging value (see the other staging stack files), or correct amb-cce-connect:environment.",
      "amb-cce-connect:cloudConnect.nodes.1.host: \"cloudconnect-sub.prod.cc.example.com\" names environment prod, but this stack's environment is staging: it would reach prod's Cloud Connect node. Fix: use the staging value (see the other staging stack files), or correct amb-cce-connect:environment.",
    ],
  },
  {
    name: "a staging stack with the dev service name",
    edit: (config) => (sectionOf(config, "service").name = "AMB Retail_Store (dev)"),
    problems: [
      "amb-cce-connect:service.name: \"AMB Retail_Store (dev)\" names environment dev, but this stack's environment is staging: it would reach dev's Webex Connect service. Fix: use the staging value (see the other staging stack files), or correct amb-cce-connect:environment.",
    ],
  },
  {
    name: "a prod stack copied from the staging file, pointed at the dev cluster's context",
    edit: (config) => {
      config["amb-cce-connect:environment"] = "prod";
      sectionOf(config, "kubernetes").context = "cce-dev";
    },
    stackName: "prod-retail",
    problems: [
      ["kubernetes.context", "cce-dev", "dev", "cluster"],
      ["edge.fqdn", FQDN, "staging", "edge"],
      [
        "cloudConnect.nodes.0.host",
        "cloudconnect-pub.staging.cc.example.com",
        "staging",
        "Cloud Connect node",
      ],
      [
        "cloudConnect.nodes.1.host",
        "cloudconnect-sub.staging.cc.example.com",
        "staging",
        "Cloud Connect node",
      ],
      ["service.name", "AMB Retail_Store (staging)", "staging", "Webex Connect service"],
    ].map(
      ([key, value, other, what]) =>
        `amb-cce-connect:${key}: ${JSON.stringify(value)} names environment ${other}, but this stack's environment ` +
        `is prod: it would reach ${other}'s ${what}. Fix: use the prod value (see the other prod stack files), or ` +
        "correct amb-cce-connect:environment.",
    ),
  },
  // Types and units the way YAML and habit get them wrong.
  {
    name: "a setting value YAML reads as a number",
    edit: (config) =>
      (sectionOf(config, "integrationService").settings = { LOG_LEVEL: "info", TIMEOUT_SECONDS: 30 }),
    problems: [
      'amb-cce-connect:integrationService.settings.TIMEOUT_SECONDS: is the number 30, but it must be text: put it in quotes, e.g. TIMEOUT_SECONDS: "30"',
    ],
  },
  {
    name: "Data Stream off written in quotes",
    edit: (config) => (sectionOf(config, "asset").dataStream = "false"),
    problems: [
      'amb-cce-connect:asset.dataStream: is the text "false", but it must be true or false: write it without quotes, e.g. dataStream: false',
    ],
  },
  {
    name: "CPU target as a fraction",
    edit: (config) =>
      (sectionOf(config, "integrationService").autoscaling = {
        minReplicas: 2,
        maxReplicas: 4,
        targetCpuUtilizationPercent: 0.7,
      }),
    problems: [
      "amb-cce-connect:integrationService.autoscaling.targetCpuUtilizationPercent: must be a whole number from 1 to 100, e.g. 70 (got 0.7)",
    ],
  },
  {
    name: "memory in MB instead of Mi",
    edit: (config) =>
      (sectionOf(config, "integrationService").resources = {
        requests: { cpu: "100m", memory: "256MB" },
        limits: { cpu: "500m", memory: "512Mi" },
      }),
    problems: [
      'amb-cce-connect:integrationService.resources.requests.memory: must be a Kubernetes quantity such as "100m" or "1" (cpu) or "256Mi" (memory) (got "256MB")',
    ],
  },
  {
    name: "an allow-list entry without its prefix length",
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = ["198.51.100.0/24", "203.0.113.10"]),
    problems: [
      'amb-cce-connect:edge.allowedClientCidrs.1: must be a CIDR range such as 203.0.113.0/24 (got "203.0.113.10")',
    ],
  },
  {
    name: "a node port in quotes",
    edit: (config) => (nodesOf(config)[0].port = "8443"),
    problems: [
      'amb-cce-connect:cloudConnect.nodes.0.port: is the text "8443", but it must be a number: write it without quotes, e.g. port: 8443',
    ],
  },
  {
    name: "a TLS Secret name as shown in a console, with capitals",
    edit: (config) => (sectionOf(config, "edge").frontTls = { existingSecretName: "Retail_Front_TLS" }),
    problems: [
      "amb-cce-connect:edge.frontTls.existingSecretName: \"Retail_Front_TLS\" is not a Kubernetes Secret name. Fix: give the name of the Secret in the same namespace, lower-case letters, digits, '-' and '.'.",
    ],
  },
  {
    name: "an image reference with a blank before the digest",
    edit: (config) =>
      (sectionOf(config, "integrationService").image =
        "registry.example.com/contact-center/amb-integration @sha256:9c2b7e4f1a0d3c6b5e8f7a2d1c0b9e8f7a6d5c4b3a2918f7e6d5c4b3a2918f7e"),
    problems: [
      'amb-cce-connect:integrationService.image: contains whitespace: give the image reference exactly, e.g. registry/name@sha256:<digest> (got "registry.example.com/contact-center/amb-integration @sha256:9c2b7e4f1a0d3c6b5e8f7a2d1c0b9e8f7a6d5c4b3a2918f7e6d5c4b3a2918f7e")',
    ],
  },
  // What Webex Connect, Cloud Connect or Apple would refuse later, or what would silently misbehave.
  {
    name: "two Cloud Connect nodes on one host, written in another case",
    edit: (config) => (nodesOf(config)[1].host = "CloudConnect-Pub.staging.cc.example.com"),
    problems: [
      'amb-cce-connect:cloudConnect.nodes.1.host: "CloudConnect-Pub.staging.cc.example.com" is also the host of ' +
        'node "publisher": two nodes on one host fail together, so the edge has no failover. Fix: give each node ' +
        "its own Cloud Connect host (the publisher's and the subscriber's).",
    ],
  },
  {
    name: "a Cloud Connect node at the edge's own FQDN",
    edit: (config) => (nodesOf(config)[0].host = FQDN.toUpperCase()),
    problems: [
      `amb-cce-connect:cloudConnect.nodes.0.host: "${FQDN.toUpperCase()}" is the edge's own public hostname ` +
        "(edge.fqdn): the proxy would send Webex Connect's requests back to itself. Fix: give the Cloud Connect " +
        "node's own host.",
    ],
  },
  {
    name: "a prod allow-list open to every IPv4 address",
    base: PROD_STACK,
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = ["0.0.0.0/0"]),
    stackName: PROD_STACK,
    problems: [
      `amb-cce-connect:edge.allowedClientCidrs: lists "0.0.0.0/0", which admits every IPv4 address: ${OPEN_IN_PROD}`,
    ],
  },
  {
    name: "a prod allow-list open to every IPv6 address",
    base: PROD_STACK,
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = ["198.51.100.0/24", "::/0"]),
    stackName: PROD_STACK,
    problems: [
      `amb-cce-connect:edge.allowedClientCidrs: lists "::/0", which admits every IPv6 address: ${OPEN_IN_PROD}`,
    ],
  },
  {
    name: "a prod allow-list whose two halves admit every IPv4 address",
    base: PROD_STACK,
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = ["0.0.0.0/1", "128.0.0.0/1"]),
    stackName: PROD_STACK,
    problems: [
      'amb-cce-connect:edge.allowedClientCidrs: lists "0.0.0.0/1", "128.0.0.0/1", which together admit every ' +
        `IPv4 address: ${OPEN_IN_PROD}`,
    ],
  },
  {
    name: "a prod allow-list open to the world with a waiver that gives no reason",
    base: PROD_STACK,
    edit: (config) =>
      Object.assign(sectionOf(config, "edge"), {
        allowedClientCidrs: ["0.0.0.0/0"],
        openAllowListWaiver: "tbd",
      }),
    stackName: PROD_STACK,
    problems: [
      'amb-cce-connect:edge.allowedClientCidrs: lists "0.0.0.0/0", which admits every IPv4 address, and the ' +
        `openAllowListWaiver "tbd" is too short: ${OPEN_IN_PROD}`,
    ],
  },
  {
    name: "an allow-list waiver left on an allow-list that is not open",
    edit: (config) => (sectionOf(config, "edge").openAllowListWaiver = "load balancer filters the sources"),
    problems: [
      "amb-cce-connect:edge.openAllowListWaiver: does not apply: edge.allowedClientCidrs admits only the ranges " +
        "it lists. Fix: remove openAllowListWaiver.",
    ],
  },
  {
    name: "an allow-list range with host bits set",
    edit: (config) => (sectionOf(config, "edge").allowedClientCidrs = ["198.51.100.7/24", "2001:db8::1/64"]),
    problems: [
      'amb-cce-connect:edge.allowedClientCidrs.0: "198.51.100.7/24" has host bits set, so it does not say which ' +
        'range is meant. Fix: use "198.51.100.0/24" (the range), or "198.51.100.7/32" (that one address).',
      'amb-cce-connect:edge.allowedClientCidrs.1: "2001:db8::1/64" has host bits set, so it does not say which ' +
        'range is meant. Fix: use "2001:db8::/64" (the range), or "2001:db8::1/128" (that one address).',
    ],
  },
  {
    name: "a trusted load balancer range with host bits set",
    edit: (config) => (sectionOf(config, "edge").proxy = { trustedProxyCidrs: ["10.1.2.3/16"] }),
    problems: [
      'amb-cce-connect:edge.proxy.trustedProxyCidrs.0: "10.1.2.3/16" has host bits set, so it does not say which ' +
        'range is meant. Fix: use "10.1.0.0/16" (the range), or "10.1.2.3/32" (that one address).',
    ],
  },
  {
    name: "an MSP link on another host",
    edit: (config) =>
      (sectionOf(config, "asset").mspLink =
        `https://business-chat.example.net/applebusinesschat/login?id=${MSP_ID}`),
    problems: [
      `amb-cce-connect:asset.mspLink: "https://business-chat.example.net/applebusinesschat/login?id=${MSP_ID}" is ` +
        'on the host "business-chat.example.net", not on Webex Connect\'s business-chat.imiconnect.io, so it would ' +
        `not register the asset. Fix: ${MSP_FIX}`,
    ],
  },
  {
    name: "an MSP link without its id",
    edit: (config) =>
      (sectionOf(config, "asset").mspLink = "https://business-chat.imiconnect.io/applebusinesschat/login"),
    problems: [
      'amb-cce-connect:asset.mspLink: "https://business-chat.imiconnect.io/applebusinesschat/login" has no id ' +
        `parameter, which Apple puts in the link for this account. Fix: ${MSP_FIX}`,
    ],
  },
  {
    name: "an MSP link that names another account",
    edit: (config) => (sectionOf(config, "asset").mspLink = `${MSP_LINK}&name=Support_Desk`),
    problems: [
      `amb-cce-connect:asset.mspLink: "${MSP_LINK}&name=Support_Desk" names the account "Support_Desk", but ` +
        'asset.accountName is "Retail_Store": the asset would be registered under another account name. Fix: ' +
        "remove &name=Support_Desk (the stack appends &name=Retail_Store), or correct asset.accountName.",
    ],
  },
  {
    name: "credentials in plain text among the integration service's settings",
    edit: (config) =>
      (sectionOf(config, "integrationService").settings = {
        LOG_LEVEL: "info",
        API_TOKEN: "tok-3c9f1a7e52b04d86",
        CRM_CLIENT_SECRET: "crm-secret-value",
        DB_PASSWORD: "hunter2-but-longer",
        SIGNING_KEY: "k-8d2f",
        TOKEN_TTL: "3600",
      }),
    problems: [
      ["API_TOKEN", "token"],
      ["CRM_CLIENT_SECRET", "secret"],
      ["DB_PASSWORD", "password"],
      ["SIGNING_KEY", "key"],
    ].map(
      ([key, word]) =>
        `amb-cce-connect:integrationService.settings.${key}: names a credential (${JSON.stringify(word)}) and is ` +
        "stored in plain text. Fix: run `pulumi config set --secret --path " +
        `'amb-cce-connect:integrationService.settings.${key}' <value>\`; the service then reads it from a Secret.`,
    ),
  },
  {
    name: "a setting stored as a secret under a name that is no environment variable's",
    edit: (config) =>
      (sectionOf(config, "integrationService").settings = { "api-token": { secure: "v1:ciphertext" } }),
    problems: [
      "amb-cce-connect:integrationService.settings.api-token: is not an environment variable name (letters, " +
        "digits and '_', not starting with a digit). Fix: rename it, e.g. to \"API_TOKEN\".",
    ],
  },
  {
    name: "an ECC variable among the call variables",
    edit: setFlows({ callVariables: { user_lang: "en" } }),
    problems: [
      `${FLOWS_KEY}.callVariables.user_lang: "user_lang" is not a call variable name: call variable names start ` +
        'with "cv_"; ECC variables ("user_…") go in eccVariables.',
    ],
  },
  {
    name: "a call variable without a name after its prefix",
    edit: setFlows({ callVariables: { cv_: "en" } }),
    problems: [
      `${FLOWS_KEY}.callVariables.cv_: "cv_" needs a name after the "cv_" prefix, in letters, digits and _ only.`,
    ],
  },
  {
    name: "a call variable over 40 bytes, an ECC variable over 210",
    edit: setFlows({
      callVariables: { cv_note: "é".repeat(21) },
      eccVariables: { user_note: "y".repeat(211) },
    }),
    problems: [
      `${FLOWS_KEY}.callVariables.cv_note: is 42 bytes long; a call variable holds at most 40 bytes (UTF-8). Fix: ` +
        "shorten it.",
      `${FLOWS_KEY}.eccVariables.user_note: is 211 bytes long; an ECC variable holds at most 210 bytes (UTF-8). ` +
        "Fix: shorten it.",
    ],
  },
  {
    name: "a service name with a line break",
    edit: (config) => (sectionOf(config, "service").name = "AMB Retail_Store\n(staging)"),
    problems: [
      'amb-cce-connect:service.name: "AMB Retail_Store\\n(staging)" contains a control character (U+000A): ' +
        'Webex Connect shows a service name on one line. Fix: use "AMB Retail_Store (staging)".',
    ],
  },
  {
    name: "a service name of 300 characters",
    edit: (config) => (sectionOf(config, "service").name = `AMB ${"R".repeat(296)}`),
    problems: [
      "amb-cce-connect:service.name: is 300 characters long; a Webex Connect service name has at most 100 " +
        "characters (modeled: webexconnect/schemas.ts). Fix: shorten it.",
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
      EDGE_REPLICAS,
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

function messageOf(raw: unknown): string {
  try {
    parseStackConfig(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("malformed stack configurations", () => {
  it("start from a valid base, which the program turns into resources", async () => {
    const run = await runProgram(BASE_STACK, BASE);
    expect(run.error).toBeUndefined();
    // The counter the refusals below rely on does count what the program constructs.
    expect(run.registered).toEqual(
      expect.arrayContaining([
        "pulumi:providers:kubernetes::staging-retail-kubernetes",
        "amb-cce:stack:AmbChannel::staging-retail",
        "kubernetes:core/v1:Namespace::staging-retail-namespace",
      ]),
    );
  });

  it("read a stack file saved with Windows line endings as the same configuration", () => {
    const file = path.join(STACKS_DIR, `Pulumi.${BASE_STACK}.yaml`);
    const crlf = stringify({ config: BASE }).replace(/\n/g, "\r\n");
    expect(parseStackConfig(rawStackConfig(stackFileSource(BASE_STACK, crlf), TOKEN_FROM_ENV))).toEqual(
      parseStackConfig(rawOf(BASE_STACK, readStackFileConfig(file))),
    );
  });

  it("accept the renewing credential alone, and prefer it to a token given beside it", () => {
    const renewing = cloneJson(BASE);
    for (const part of ["clientId", "clientSecret", "refreshToken"])
      renewing[`webexconnect:${part}`] = { secure: "v1:ciphertext" };
    expect(parseStackConfig(rawOf(BASE_STACK, renewing, {})).webexConnect.credential).toBe("refreshToken");
    expect(parseStackConfig(rawOf(BASE_STACK, renewing)).webexConnect.credential).toBe("refreshToken");
    expect(parseStackConfig(rawOf(BASE_STACK, BASE)).webexConnect.credential).toBe("token");
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

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, malformed) => {
    const config = cloneJson(malformed.base === PROD_STACK ? PROD : BASE);
    malformed.edit(config);
    const run = await runProgram(malformed.stackName ?? BASE_STACK, config, malformed.env ?? TOKEN_FROM_ENV);
    expect(run.registered).toEqual([]);
    // A RunError: the Pulumi runtime prints its message once, without a stack trace.
    expect(pulumi.RunError.isInstance(run.error)).toBe(true);
    expect((run.error as InvalidStackConfig).problems).toEqual(malformed.problems);
  });

  it("never carry the token's value, wherever the token comes from", () => {
    for (const malformed of cases) {
      const config = cloneJson(malformed.base === PROD_STACK ? PROD : BASE);
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

  it("never show the value of a setting that names a credential", () => {
    const config = cloneJson(BASE);
    sectionOf(config, "integrationService").settings = { API_TOKEN: "tok-3c9f1a7e52b04d86", LOG_LEVEL: 3 };
    const message = messageOf(rawOf(BASE_STACK, config));
    expect(message).toContain("settings.API_TOKEN: names a credential");
    expect(message).not.toContain("tok-3c9f1a7e52b04d86");
  });

  it("accept an allow-list open to the world outside prod, and in prod under a waiver with a reason", () => {
    const staging = cloneJson(BASE);
    sectionOf(staging, "edge").allowedClientCidrs = ["0.0.0.0/0", "::/0"];
    expect(parseStackConfig(rawOf(BASE_STACK, staging)).edge.allowedClientCidrs).toEqual([
      "0.0.0.0/0",
      "::/0",
    ]);
    const prod = cloneJson(PROD);
    Object.assign(sectionOf(prod, "edge"), {
      allowedClientCidrs: ["0.0.0.0/0"],
      openAllowListWaiver: "the cloud load balancer in front filters the sources",
    });
    expect(parseStackConfig(rawOf(PROD_STACK, prod)).edge.openAllowListWaiver).toBe(
      "the cloud load balancer in front filters the sources",
    );
  });

  it("accept an MSP link that already names this stack's account", () => {
    const config = cloneJson(BASE);
    sectionOf(config, "asset").mspLink = `${MSP_LINK}&name=Retail_Store`;
    expect(parseStackConfig(rawOf(BASE_STACK, config)).asset.mspLink).toBe(`${MSP_LINK}&name=Retail_Store`);
  });

  it("accept a credential among the settings stored as a secret, and keep it out of the ConfigMap", async () => {
    const config = cloneJson(BASE);
    sectionOf(config, "integrationService").settings = {
      LOG_LEVEL: "info",
      API_TOKEN: { secure: "v1:ciphertext" },
    };
    const run = await runProgram(BASE_STACK, config);
    expect(run.error).toBeUndefined();
    expect(run.registered).toContain("kubernetes:core/v1:Secret::staging-retail-integration-secret-settings");
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
