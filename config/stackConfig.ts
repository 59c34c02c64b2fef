/**
 * The configuration of one stack (one environment × one AMB asset), validated as a whole before any resource is
 * created: every problem is reported at once, each naming the key, the bad value and the fix. The sections the
 * components take are built from the components' own argument schemas (components/*Args.ts, edge/types.ts for the
 * proxy knobs), so no component rule is written twice and none is checked only after the first resource exists.
 */
import { hasDataStreamWaiver, MIN_DATA_STREAM_WAIVER_LENGTH } from "../lib/conventions";
import { z } from "zod";
import {
  cloudConnectEdgeSettingsShape,
  DEFAULT_HAPROXY_IMAGE,
  failoverProblem,
  SINGLE_NODE_WAIVER,
} from "../components/cloudConnectEdgeArgs";
import { integrationServiceSettingsShape } from "../components/integrationServiceArgs";
import { imageProblem } from "../components/workloadArgs";
import { edgeProxyConfigSchema } from "../edge/types";
import { listTemplates, type DestinationRoute } from "../flows";
import { describeIssues } from "../lib/issues";
import { pastedTextProblem } from "../lib/pastedText";
import { REGIONS, isRegion } from "../lib/facts";
import { LOCAL_CONTEXT } from "../kube/context";
import { credentialSchema } from "./credentialSchema";

export const PROJECT = "amb-cce-connect";
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Asset keys become parts of stack names (`<env>-<asset>`), flow names and Kubernetes names. */
const ASSET_KEY = /^[a-z][a-z0-9]{0,19}$/;

/** An AMB Account ID: the uuid of https://bcrw.apple.com/urn:biz:<uuid>. */
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** Where the user sees a complete example of every section. */
const EXAMPLE_STACK_FILE = "stacks/Pulumi.staging-retail.yaml";

function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const plural = keys.length > 1;
  const shown = keys.map((key) => JSON.stringify(key)).join(", ");
  return `has unknown key${plural ? "s" : ""} ${shown}: remove ${plural ? "them" : "it"} or fix the spelling (known keys: ${known.join(", ")})`;
}

/**
 * A mapping of the stack file. Strict, so a misspelt key is reported instead of silently ignored; a missing or
 * misspelt mapping says which keys it takes.
 */
function section<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return unknownKeysMessage(issue.keys, known);
      if (issue.input === undefined) {
        return `is missing: add it to the stack file (${EXAMPLE_STACK_FILE} shows every section)`;
      }
      return `must be a mapping with the keys ${known.join(", ")}`;
    },
  });
}

/** A section's cross-field rule runs even when one of its fields is wrong, so one run reports every problem. */
const evenWithFieldProblems = { when: (payload: z.core.ParsePayload) => isMapping(payload.value) };

const token = (what: string, example: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `is missing: give ${what}, e.g. ${example}` : undefined),
    })
    .trim()
    .min(1, `is empty: give ${what}, e.g. ${example}`)
    .regex(/^\S*$/, `contains whitespace: copy ${what} exactly as Webex Connect shows it`);

/** Proxy knobs the stack fills in itself; a value given under edge.proxy would be silently overridden. */
const STACK_SUPPLIED_PROXY_KNOBS: Record<string, string> = {
  publicHostname: "it is edge.fqdn",
  cloudConnectNodes: "it is cloudConnect.nodes",
  allowedClientCidrs: "it is edge.allowedClientCidrs",
  paths: "the edge component sets the container's file paths",
};

/** The proxy knobs of edge/types.ts, less what the stack supplies; checked against the edge's schema below. */
const proxyKnobs = z
  .record(z.string(), z.unknown())
  .default({})
  .superRefine((knobs, ctx) => {
    for (const key of Object.keys(knobs).filter((knob) => knob in STACK_SUPPLIED_PROXY_KNOBS)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `cannot be set here: ${STACK_SUPPLIED_PROXY_KNOBS[key]}; remove it from edge.proxy`,
      });
    }
  });

/** The knobs edge.proxy takes: the edge's own, less those the stack supplies. */
const PROXY_KNOBS = Object.keys(edgeProxyConfigSchema.shape).filter(
  (knob) => !(knob in STACK_SUPPLIED_PROXY_KNOBS),
);

/** Issues of the edge's schema on the lists as a whole: the stack schema checks those itself, in its own words. */
function reportedByStackSchema(path: readonly PropertyKey[]): boolean {
  const [head, ...rest] = path.map(String);
  return head === "publicHostname" || (head in STACK_SUPPLIED_PROXY_KNOBS && rest.length === 0);
}

/** Names that occur more than once, each once. */
function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
}

const APP_ID = "the App ID of the AMB asset (Webex Connect → Assets → Apps)";
const APP_ID_EXAMPLE = '"a1b2c3d4"';
const CUSTOM_EVENT =
  "the id of the custom event the common webhook flow raises for this asset (Webex Connect → Assets → Integrations → Custom Event)";
const EVENT_ID_EXAMPLE = '"amb_retail_events"';
/** The keys of the flows section that only common mode reads. */
const COMMON_MODE_KEYS = ["eventId", "commonFlowOwner", "destinationRoutes"] as const;

/** The flows section as its cross-field rule sees it: the rule runs even when a field is wrong, so any type. */
interface WebhookModeInput {
  webhooks?: unknown;
  eventId?: unknown;
  commonFlowOwner?: unknown;
  destinationRoutes?: unknown;
}

/**
 * The common webhook flow is one per tenant: exactly one stack of the tenant owns it and lists every asset's route;
 * every stack in common mode deploys its own asset-events flow, started by its own custom event.
 */
function webhookModeProblems(flows: WebhookModeInput, ctx: z.core.$RefinementCtx): void {
  const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (flows.webhooks !== "common") {
    for (const key of COMMON_MODE_KEYS.filter((name) => flows[name] !== undefined)) {
      problem(
        [key],
        'is only used when webhooks is "common" and would be ignored: remove it, or set webhooks to "common"',
      );
    }
    return;
  }
  if (flows.eventId === undefined) {
    problem(
      ["eventId"],
      `is missing: webhooks is "common", so give ${CUSTOM_EVENT}, e.g. ${EVENT_ID_EXAMPLE}`,
    );
  }
  const { commonFlowOwner: owner, destinationRoutes: routes } = flows;
  // An owner flag or a list of another type is reported by its field's own rule.
  if ((owner !== undefined && typeof owner !== "boolean") || (routes !== undefined && !Array.isArray(routes)))
    return;
  if (owner !== true) {
    if (routes !== undefined) {
      problem(
        ["destinationRoutes"],
        "is set, but only the stack that owns the tenant's common webhook flow lists the routes, and this one does " +
          "not (commonFlowOwner is not true): remove destinationRoutes here and add this asset's route to the " +
          "owner stack's list, or set commonFlowOwner: true if this stack deploys the common flow",
      );
    }
    return;
  }
  if (routes === undefined || routes.length === 0) {
    problem(
      ["destinationRoutes"],
      `${routes === undefined ? "is missing" : "is empty"}: this stack owns the tenant's common webhook flow ` +
        "(commonFlowOwner: true), so list {appId, eventId} for every AMB asset of the tenant, this stack's own included",
    );
    return;
  }
  const entries = routes.map((route: unknown) =>
    isMapping(route) ? (route as Record<string, unknown>) : {},
  );
  const routed = (field: "appId" | "eventId") =>
    entries.flatMap((route) => (typeof route[field] === "string" ? [route[field]] : []));
  for (const appId of duplicates(routed("appId"))) {
    problem(
      ["destinationRoutes"],
      `lists the App ID ${JSON.stringify(appId)} more than once: give each AMB asset of the tenant one route`,
    );
  }
  for (const eventId of duplicates(routed("eventId"))) {
    const appIds = entries
      .filter((route) => route.eventId === eventId)
      .map((route) => JSON.stringify(route.appId));
    problem(
      ["destinationRoutes"],
      `routes the App IDs ${appIds.join(", ")} to the same eventId ${JSON.stringify(eventId)}: each asset's flow ` +
        "starts on its own custom event, so give each route its own eventId",
    );
  }
}

/** The owner's routes must send its own asset's CCE events to the custom event its asset-events flow starts on. */
function ownRouteProblem(
  appId: string,
  flows: {
    webhooks: string;
    eventId?: string;
    commonFlowOwner?: boolean;
    destinationRoutes?: DestinationRoute[];
  },
): { path: PropertyKey[]; message: string } | undefined {
  const { eventId, destinationRoutes: routes = [] } = flows;
  // Without an owner, an event id or routes, the flows section's own rule has said what is missing.
  if (
    flows.webhooks !== "common" ||
    flows.commonFlowOwner !== true ||
    eventId === undefined ||
    routes.length === 0
  )
    return undefined;
  const index = routes.findIndex((route) => route.appId === appId);
  if (index === -1) {
    return {
      path: ["flows", "destinationRoutes"],
      message:
        `has no route for this stack's own App ID ${JSON.stringify(appId)} (asset.appId): add ` +
        `{appId: ${JSON.stringify(appId)}, eventId: ${JSON.stringify(eventId)}} so the common flow forwards ` +
        "this asset's CCE events to its flow",
    };
  }
  const routed = routes[index].eventId;
  if (routed === eventId) return undefined;
  return {
    path: ["flows", "destinationRoutes", index, "eventId"],
    message:
      `is ${JSON.stringify(routed)}, but flows.eventId is ${JSON.stringify(eventId)}: the route of this ` +
      "stack's own App ID must raise the custom event its asset-events flow starts on; make them the same",
  };
}

/** The words by which names refer to an environment, e.g. the kubeconfig context "cce-prod". */
const ENVIRONMENT_WORDS: Record<Environment, readonly string[]> = {
  dev: ["dev", "development"],
  staging: ["staging", "stage", "stg"],
  prod: ["prod", "production", "prd"],
};

/**
 * Values copied from another environment's stack file: a name that says "dev" in a prod stack points the stack at
 * dev's cluster, proxy or nodes. Each such value, with the environment it names.
 */
function otherEnvironmentProblems(config: {
  environment: Environment;
  kubernetes: { context?: string; namespace: string };
  edge: { fqdn: string };
  cloudConnect: { nodes: Array<{ host: string }> };
  service: { name: string };
}): Array<{ path: PropertyKey[]; message: string }> {
  const named: Array<[PropertyKey[], string | undefined, string]> = [
    [["kubernetes", "context"], config.kubernetes.context, "cluster"],
    [["kubernetes", "namespace"], config.kubernetes.namespace, "namespace"],
    [["edge", "fqdn"], config.edge.fqdn, "edge"],
    ...config.cloudConnect.nodes.map((node, index): [PropertyKey[], string, string] => [
      ["cloudConnect", "nodes", index, "host"],
      node.host,
      "Cloud Connect node",
    ]),
    [["service", "name"], config.service.name, "Webex Connect service"],
  ];
  const own = ENVIRONMENT_WORDS[config.environment];
  return named.flatMap(([path, value, what]) => {
    if (value === undefined) return [];
    const words = value.toLowerCase().split(/[^a-z0-9]+/);
    const other = ENVIRONMENTS.find(
      (environment) =>
        environment !== config.environment &&
        ENVIRONMENT_WORDS[environment].some((word) => words.includes(word)),
    );
    if (other === undefined || own.some((word) => words.includes(word))) return [];
    return [
      {
        path,
        message:
          `${JSON.stringify(value)} names environment ${other}, but this stack's environment is ` +
          `${config.environment}: it would reach ${other}'s ${what}. Fix: use the ${config.environment} value (see ` +
          `the other ${config.environment} stack files), or correct amb-cce-connect:environment.`,
      },
    ];
  });
}

export const stackConfigSchema = section({
  environment: z.enum(ENVIRONMENTS, {
    error: (issue) =>
      `${issue.input === undefined ? "is missing" : "is not an environment"}: set it to one of ${ENVIRONMENTS.join(", ")}`,
  }),
  webexConnect: section({
    region: z
      .string()
      .refine(isRegion, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a Webex Connect region: use one of ${REGIONS.join(", ")} (Japan uses au)`,
      })
      .optional(),
    orgId: token("the Webex Connect organization ID", '"org-1234"'),
    /** Only which parts are set and secret: the values never reach this schema's messages. */
    credential: credentialSchema,
    baseUrl: z
      .url({
        protocol: /^https?$/,
        error:
          "is not an http(s) URL: give the emulator's or the tenant's base URL, e.g. http://127.0.0.1:8787",
      })
      .optional(),
  }).refine((webex) => webex.region !== undefined || webex.baseUrl !== undefined, {
    message: `is missing: set webexconnect:region to one of ${REGIONS.join(", ")}, or webexconnect:baseUrl for the emulator`,
    path: ["region"],
    ...evenWithFieldProblems,
  }),
  service: section({
    name: z.string().trim().min(1, "is empty: give the Webex Connect service name"),
    description: z.string().default(""),
    adopt: z
      .enum(["none", "byName", "byId"], { error: 'must be "none" (create it), "byName" or "byId"' })
      .default("none"),
    id: z.string().optional(),
  }).refine((service) => service.adopt !== "byId" || !!service.id, {
    message: 'is missing: adopt is "byId", so give the id of the existing service',
    path: ["id"],
    ...evenWithFieldProblems,
  }),
  asset: section({
    key: z
      .string()
      .regex(
        ASSET_KEY,
        "must be 1-20 lower-case letters or digits, starting with a letter (it names the stack <env>-<asset>)",
      ),
    appId: token(APP_ID, APP_ID_EXAMPLE),
    ambAccountId: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "is missing: give the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>)"
            : undefined,
      })
      .superRefine((value, ctx) => {
        if (new RegExp(`^${UUID}$`).test(value)) return;
        // Often the whole business chat URL, or the uuid in capitals: the uuid inside is the fix.
        const uuid = new RegExp(UUID, "i").exec(value)?.[0].toLowerCase();
        ctx.addIssue({
          code: "custom",
          message:
            `${JSON.stringify(value)} is not a lower-case uuid: copy the AMB Account ID from Apple Business Register` +
            (uuid === undefined ? "" : `; use ${JSON.stringify(uuid)}`),
        });
      }),
    accountName: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,64}$/,
        "must be the Messages for Business account name (letters, digits, _ and -), as in &name=<AccountName>",
      ),
    mspLink: z
      .url({ protocol: /^https$/, error: 'is not an https URL: copy the link Apple shows after "Connect"' })
      .optional(),
    dataStream: z.boolean().default(true),
    dataStreamWaiver: z.string().optional(),
    /** Moves the asset on purpose from the stack that owns it (`<project>/<stack>`), keeping its original settings. */
    takeOwnershipFrom: z
      .string()
      .regex(
        /^[^/\s]+\/[^/\s]+$/,
        'must name the owning stack as <project>/<stack>, e.g. "amb-cce-connect/dev-retail", as the refusal printed it',
      )
      .optional(),
  }).refine((asset) => asset.dataStream || hasDataStreamWaiver(asset.dataStreamWaiver), {
    error: (issue) => {
      const waiver = (issue.input as { dataStreamWaiver?: string }).dataStreamWaiver;
      return (
        `${waiver === undefined ? "is missing" : `${JSON.stringify(waiver)} is too short`}: Data Stream is off, ` +
        "which breaks customer opt-out, event handling and typing indicators; turn it on or give a reason of at " +
        `least ${MIN_DATA_STREAM_WAIVER_LENGTH} characters`
      );
    },
    path: ["dataStreamWaiver"],
    ...evenWithFieldProblems,
  }),
  cloudConnect: section({
    nodes: z
      .array(
        section({
          name: z.string(),
          host: z.string(),
          port: z.number().int().optional(),
          tlsServerName: z.string().optional(),
          backup: z.boolean().optional(),
        }),
      )
      .min(1, "is empty: give the publisher and subscriber Cloud Connect nodes"),
    /** A lab's named opt-out from failover: the reason it runs one node (the policy pack reports it). */
    [SINGLE_NODE_WAIVER]: z.string().optional(),
  }).superRefine((cloudConnect, ctx) => {
    const { nodes, [SINGLE_NODE_WAIVER]: waiver } = cloudConnect as Record<string, unknown>;
    const problem = Array.isArray(nodes)
      ? failoverProblem(nodes.length, typeof waiver === "string" ? waiver : undefined)
      : undefined;
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["nodes"], message: problem });
  }, evenWithFieldProblems),
  // The components' own argument rules (components/*Args.ts), less what the stack wires in.
  edge: section({
    ...cloudConnectEdgeSettingsShape,
    allowedClientCidrs: z
      .array(z.string())
      .min(1, "is empty: give the address ranges of Webex Connect and your load balancer"),
    proxy: proxyKnobs,
  }),
  integrationService: section(integrationServiceSettingsShape),
  flows: section({
    webhooks: z
      .enum(["perAsset", "common"], {
        error: 'must be "perAsset" (five flows conditioned on the App ID) or "common"',
      })
      .default("perAsset"),
    /** Common mode: the custom event the common flow raises for this asset; its asset-events flow starts on it. */
    eventId: token(CUSTOM_EVENT, EVENT_ID_EXAMPLE).optional(),
    /** Common mode: whether this stack deploys the tenant's one common webhook flow. */
    commonFlowOwner: z.boolean().optional(),
    /** Common mode, owner only: every asset of the tenant, so the common flow can route each event to its asset's flow. */
    destinationRoutes: z
      .array(
        z.strictObject({
          appId: token(APP_ID, APP_ID_EXAMPLE),
          eventId: token(CUSTOM_EVENT, EVENT_ID_EXAMPLE),
        }),
      )
      .optional(),
    callVariables: z.record(z.string(), z.string()).default({}),
    eccVariables: z.record(z.string(), z.string()).default({}),
    /**
     * Hand-edited flows this stack keeps (written by `npm run export`): template name → a flow document file,
     * relative to the project folder, used instead of the template and bound with this stack's values like it.
     */
    overrides: z
      .record(
        z.string(),
        z
          .string()
          .trim()
          .min(
            1,
            "is empty: give the path of the flow document, e.g. stacks/overrides/<stack>/<template>.json",
          ),
      )
      .superRefine((overrides, ctx) => {
        const templates: readonly string[] = listTemplates();
        for (const name of Object.keys(overrides).filter((key) => !templates.includes(key))) {
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `is not a flow template: use one of ${templates.join(", ")}`,
          });
        }
      })
      .optional(),
  })
    .default({ webhooks: "perAsset", callVariables: {}, eccVariables: {} })
    .superRefine(webhookModeProblems, evenWithFieldProblems),
  stackName: z.string(),
  kubernetes: section({
    namespace: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        "must be a Kubernetes namespace name (lower-case letters, digits, -)",
      ),
    /** Render manifests to this folder instead of applying them to a cluster. */
    renderYamlToDirectory: z.string().min(1).optional(),
    /** The kubeconfig context of the target cluster (cluster mode). */
    context: z.string().min(1).optional(),
    /** Annotate every object `pulumi.com/skipAwait: "true"`: only for the local API server, which runs no controllers. */
    skipAwait: z.boolean().optional(),
  })
    .refine((kubernetes) => !kubernetes.skipAwait || kubernetes.context === LOCAL_CONTEXT, {
      path: ["skipAwait"],
      error: (issue) =>
        `is true with context ${JSON.stringify((issue.input as { context?: string }).context ?? null)}: only the local ` +
        `default's API server (context ${LOCAL_CONTEXT}) runs without controllers, so only it may skip waiting for ` +
        "objects to become ready. Fix: remove kubernetes.skipAwait",
      ...evenWithFieldProblems,
    })
    .refine(
      (kubernetes) => (kubernetes.renderYamlToDirectory === undefined) !== (kubernetes.context === undefined),
      {
        error: (issue) =>
          `${(issue.input as { context?: string }).context === undefined ? "sets neither" : "sets both"} ` +
          "renderYamlToDirectory and context: set exactly one, renderYamlToDirectory (write manifests to a folder) " +
          "or context (apply to that cluster)",
        ...evenWithFieldProblems,
      },
    ),
}).superRefine((config, ctx) => {
  // The components' image rule, with the stack's environment.
  const images: Array<[string, string | undefined, string | undefined]> = [
    ["edge", config.edge.image, DEFAULT_HAPROXY_IMAGE],
    ["integrationService", config.integrationService.image, undefined],
  ];
  for (const [section, image, fallback] of images) {
    const message = imageProblem(image, config.environment, fallback);
    if (message !== undefined) ctx.addIssue({ code: "custom", path: [section, "image"], message });
  }
  // The edge's own schema checks the proxy knobs with the nodes and FQDN the stack gives it.
  const proxy = edgeProxyConfigSchema.safeParse(
    {
      ...config.edge.proxy,
      publicHostname: config.edge.fqdn,
      cloudConnectNodes: config.cloudConnect.nodes,
      allowedClientCidrs: config.edge.allowedClientCidrs,
    },
    { reportInput: true },
  );
  if (!proxy.success) {
    for (const issue of proxy.error.issues) {
      if (reportedByStackSchema(issue.path)) continue;
      const [head, ...rest] = issue.path.map(String);
      const path =
        head === "cloudConnectNodes"
          ? ["cloudConnect", "nodes", ...rest]
          : head === "allowedClientCidrs"
            ? ["edge", "allowedClientCidrs", ...rest]
            : ["edge", "proxy", ...issue.path.map(String)];
      const got =
        issue.input !== undefined && !isMapping(issue.input) && issue.code !== "custom"
          ? ` (got ${JSON.stringify(issue.input)})`
          : "";
      const message =
        issue.code === "unrecognized_keys" && path.length === 2
          ? unknownKeysMessage(issue.keys, PROXY_KNOBS)
          : issue.message + got;
      ctx.addIssue({ ...issue, code: "custom", path, message });
    }
  }
  for (const problem of otherEnvironmentProblems(config)) ctx.addIssue({ code: "custom", ...problem });
  const expectedStack = `${config.environment}-${config.asset.key}`;
  if (config.stackName !== expectedStack) {
    ctx.addIssue({
      code: "custom",
      path: ["stackName"],
      message: `is ${JSON.stringify(config.stackName)}, but stacks are named <environment>-<asset key>: name it ${JSON.stringify(expectedStack)}, or fix environment / asset.key`,
    });
  }
  const ownRoute = ownRouteProblem(config.asset.appId, config.flows);
  if (ownRoute !== undefined) ctx.addIssue({ code: "custom", ...ownRoute });
  const repeatedNodes = duplicates(config.cloudConnect.nodes.map((node) => node.name));
  if (repeatedNodes.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["cloudConnect", "nodes"],
      message: `use the name ${repeatedNodes.map((name) => JSON.stringify(name)).join(", ")} more than once: give each node its own name, e.g. "publisher" and "subscriber"`,
    });
  }
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;

/** Pulumi config key of each top-level section, as the user writes it in Pulumi.<stack>.yaml. */
export function configKeyOf(path: readonly PropertyKey[]): string {
  const [section, ...rest] = path.map(String);
  if (section === undefined) return PROJECT;
  if (section === "stackName") return "stack name";
  if (section === "webexConnect") {
    const [field, ...more] = rest;
    if (field === undefined) return "webexconnect";
    // The credential's parts are keys of their own: webexconnect:token, webexconnect:clientId, …
    if (field === "credential") return `webexconnect:${more[0] ?? "token"}`;
    return [`webexconnect:${field}`, ...more].join(".");
  }
  return [`${PROJECT}:${section}`, ...rest].join(".");
}

/** "The stack configuration has N problems:" and one indented line per problem. */
export function problemsMessage(problems: readonly string[]): string {
  return `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`;
}

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problemsMessage(problems));
  }
}

/** For fields without a message of their own: zod's default for an absent value does not say "missing". */
function missingValueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `is missing: add it to the stack file (type: ${issue.expected})`;
  }
  // A mapping inside a component's arguments (autoscaling, resources, …) names its keys like a section does.
  if (issue.code === "unrecognized_keys" && issue.inst instanceof z.ZodObject) {
    return unknownKeysMessage(issue.keys, Object.keys(issue.inst.shape));
  }
  return undefined;
}

/** How a stack file writes a value of each type, and how to say it. */
const TYPES: Record<string, { name: string; example: (key: string) => string }> = {
  number: { name: "a number", example: (key) => `${key}: 2` },
  string: { name: "text", example: (key) => `${key}: "value"` },
  boolean: { name: "true or false", example: (key) => `${key}: true` },
  array: { name: "a list", example: (key) => `${key}: [a, b] (or one "- item" a line)` },
  object: { name: "a mapping", example: (key) => `${key}: {name: value} (or indented "name: value" lines)` },
  record: { name: "a mapping", example: (key) => `${key}: {name: value} (or indented "name: value" lines)` },
};

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "empty (null)";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * A type error says what type the key takes, what it got and how to write it; quoting is the usual slip: YAML
 * reads `3` as a number and `"3"` as text.
 */
function typeMessage(expected: string, input: unknown, key: string): string {
  const type = TYPES[expected] ?? { name: expected, example: (name: string) => `${name}: …` };
  const got = `is ${typeOfValue(input)}, but it must be ${type.name}`;
  if (expected === "string" && (typeof input === "number" || typeof input === "boolean")) {
    return `${got}: put it in quotes, e.g. ${key}: ${JSON.stringify(String(input))}`;
  }
  if (typeof input === "string") {
    const unquoted = input.trim();
    if (expected === "number" && unquoted !== "" && Number.isFinite(Number(unquoted))) {
      return `${got}: write it without quotes, e.g. ${key}: ${Number(unquoted)}`;
    }
    if (expected === "boolean" && ["true", "false"].includes(unquoted.toLowerCase())) {
      return `${got}: write it without quotes, e.g. ${key}: ${unquoted.toLowerCase()}`;
    }
  }
  return `${got}, e.g. ${type.example(key)}`;
}

/** Free text, where blanks and quotes are the user's own: a description or the reason of a waiver. */
const FREE_TEXT_KEYS = new Set(["description", "dataStreamWaiver", SINGLE_NODE_WAIVER]);

/** One-line values as pasted (lib/pastedText.ts), each with its path in the raw configuration. */
function pastedValueProblems(
  value: unknown,
  path: PropertyKey[] = [],
): Array<{ path: PropertyKey[]; message: string }> {
  if (typeof value === "string") {
    // Multi-line text (PEM) and blanks only (the schema says "is empty") are not pasted one-line values.
    const problem = value.includes("\n") || value.trim() === "" ? undefined : pastedTextProblem(value);
    return problem === undefined ? [] : [{ path, message: problem }];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => pastedValueProblems(item, [...path, index]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    FREE_TEXT_KEYS.has(key) ? [] : pastedValueProblems(item, [...path, key]),
  );
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.every((part, index) => String(path[index]) === String(part));

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Validates a stack's raw configuration in one pass; throws StackConfigError listing every problem. A value as
 * pasted is reported as such, and the schema's other problems with that same value are left out.
 */
export function parseStackConfig(raw: unknown): StackConfig {
  const pasted = pastedValueProblems(raw);
  const result = stackConfigSchema.safeParse(raw, { reportInput: true, error: missingValueMessage });
  if (result.success && pasted.length === 0) return result.data;
  const issues = (result.error?.issues ?? []).filter(
    (issue) => !pasted.some((problem) => startsWith(issue.path, problem.path)),
  );
  const problems = [
    ...pasted.map((problem) => `${configKeyOf(problem.path)}: ${problem.message}`),
    ...issues.map((issue) => {
      const key = String(issue.path.at(-1) ?? configKeyOf(issue.path));
      const retyped =
        issue.code === "invalid_type" &&
        issue.input !== undefined &&
        issue.message.startsWith("Invalid input")
          ? { ...issue, code: "custom" as const, message: typeMessage(issue.expected, issue.input, key) }
          : issue;
      // A whole mapping as "got" would repeat the stack file back; the message names the key instead.
      const input = isMapping(issue.input) ? undefined : issue.input;
      const [line] = describeIssues("", [{ ...retyped, path: [], input } as typeof issue]);
      return `${configKeyOf(issue.path)}${line}`;
    }),
  ];
  throw new StackConfigError(problems);
}
