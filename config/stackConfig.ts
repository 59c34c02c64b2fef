/**
 * The configuration of one stack (one environment × one AMB asset), validated as a whole before any resource is
 * created: every problem is reported at once, each naming the key, the bad value and the fix.
 */
import {
  DEV_ENVIRONMENT,
  hasDataStreamWaiver,
  isPinnedByDigest,
  MIN_DATA_STREAM_WAIVER_LENGTH,
} from "../lib/conventions";
import { z } from "zod";
import { edgeProxyConfigSchema } from "../edge/types";
import { checkFqdn } from "../lib/fqdn";
import { listTemplates, type DestinationRoute, type TemplateName } from "../flows";
import { describeIssues } from "../lib/issues";
import { REGIONS, isRegion } from "../webexconnect/routes";
import { LOCAL_CONTEXT } from "../kube/context";

export const PROJECT = "amb-cce-connect";
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Asset keys become parts of stack names (`<env>-<asset>`), flow names and Kubernetes names. */
const ASSET_KEY = /^[a-z][a-z0-9]{0,19}$/;

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

const fqdn = z.string().superRefine((value, ctx) => {
  const check = checkFqdn(value);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
});

const token = (what: string, example: string) =>
  z
    .string({ error: `is missing: give ${what}, e.g. ${example}` })
    .trim()
    .min(1, `is empty: give ${what}, e.g. ${example}`)
    .regex(/^\S*$/, `contains whitespace: copy ${what} exactly as Webex Connect shows it`);

const image = z.string().trim().min(1, 'is empty: give an image such as "registry/name@sha256:<digest>"');

const resources = section({
  requests: section({ cpu: z.string(), memory: z.string() }),
  limits: section({ cpu: z.string(), memory: z.string() }),
}).optional();

const tlsSource = z.union(
  [
    z.strictObject({ existingSecretName: z.string().min(1) }),
    z.strictObject({ certificatePem: z.string().min(1), privateKeyPem: z.string().min(1) }),
  ],
  { error: "must be {existingSecretName} of a kubernetes.io/tls Secret, or {certificatePem, privateKeyPem}" },
);

const clientTlsSource = z.union(
  [
    z.strictObject({ existingSecretName: z.string().min(1) }),
    z.strictObject({
      certificatePem: z.string().min(1),
      privateKeyPem: z.string().min(1),
      caCertificatePem: z.string().min(1),
    }),
  ],
  {
    error:
      "must be {existingSecretName} of a Secret with tls.crt, tls.key and ca.crt, or {certificatePem, privateKeyPem, caCertificatePem}",
  },
);

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
    /** Only whether it is set and secret: the value itself never reaches this schema's messages. */
    tokenIsSecret: z
      .boolean({
        error:
          "is missing: run `pulumi config set --secret webexconnect:token <token>`, or export WEBEX_CONNECT_TOKEN",
      })
      .refine((secret) => secret, {
        message: "is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
      }),
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
        error: "is missing: give the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>)",
      })
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        "is not a lower-case uuid: copy the AMB Account ID from Apple Business Register",
      ),
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
  }),
  edge: section({
    fqdn,
    image: image.optional(),
    replicas: z.number().int().min(2, "must be at least 2 so one pod can fail without an outage").optional(),
    resources,
    allowedClientCidrs: z
      .array(z.string())
      .min(1, "is empty: give the address ranges of Webex Connect and your load balancer"),
    proxy: proxyKnobs,
    frontTls: tlsSource,
    cloudConnectTls: clientTlsSource,
    serviceAnnotations: z.record(z.string(), z.string()).optional(),
  }),
  integrationService: section({
    image,
    port: z.number().int().optional(),
    settings: z.record(z.string(), z.string()).default({}),
    autoscaling: section({
      minReplicas: z.number().int().min(1).optional(),
      maxReplicas: z.number().int().min(1).optional(),
      targetCpuUtilizationPercent: z.number().int().min(1).max(100).optional(),
    }).optional(),
    resources,
  }),
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
      .partialRecord(
        z.enum(listTemplates() as [TemplateName, ...TemplateName[]], {
          error: `is not a flow template: use one of ${listTemplates().join(", ")}`,
        }),
        z
          .string()
          .trim()
          .min(
            1,
            "is empty: give the path of the flow document, e.g. stacks/overrides/<stack>/<template>.json",
          ),
      )
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
  // Outside dev, every image is pinned by digest: a tag can change under a running stack.
  if (config.environment !== DEV_ENVIRONMENT) {
    const images: Array<[string[], string | undefined]> = [
      [["edge", "image"], config.edge.image],
      [["integrationService", "image"], config.integrationService.image],
    ];
    for (const [path, value] of images) {
      if (value === undefined && path[0] === "edge") {
        ctx.addIssue({
          code: "custom",
          path,
          message: `is missing: environment ${config.environment} needs the HAProxy image pinned by digest (haproxy@sha256:<digest>)`,
        });
      } else if (value !== undefined && !isPinnedByDigest(value)) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${JSON.stringify(value)} is not pinned by digest, which environment ${config.environment} requires: use ${JSON.stringify(`${value.replace(/@.*$/, "")}@sha256:<64 hex digits>`)}`,
        });
      }
    }
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
    const key = field === "tokenIsSecret" ? "token" : field;
    return [`webexconnect:${key}`, ...more].join(".");
  }
  return [`${PROJECT}:${section}`, ...rest].join(".");
}

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`,
    );
  }
}

/** For fields without a message of their own: zod's default for an absent value does not say "missing". */
function missingValueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `is missing: add it to the stack file (type: ${issue.expected})`;
  }
  return undefined;
}

function isMapping(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Validates a stack's raw configuration; throws StackConfigError listing every problem. */
export function parseStackConfig(raw: unknown): StackConfig {
  const result = stackConfigSchema.safeParse(raw, { reportInput: true, error: missingValueMessage });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // A whole mapping as "got" would repeat the stack file back; the message names the key instead.
    const input = isMapping(issue.input) ? undefined : issue.input;
    const [line] = describeIssues("", [{ ...issue, path: [], input } as typeof issue]);
    return `${configKeyOf(issue.path)}${line}`;
  });
  throw new StackConfigError(problems);
}
