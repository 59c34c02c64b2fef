/**
 * The configuration of one stack (one environment × one AMB asset), validated as a whole before any resource is
 * created: every problem is reported at once, each naming the key, the bad value and the fix.
 */
import { z } from "zod";
import { edgeProxyConfigSchema } from "../edge/types";
import { checkFqdn } from "../lib/fqdn";
import { describeIssues } from "../lib/issues";
import { REGIONS, isRegion } from "../webexconnect/routes";

export const PROJECT = "amb-cce-connect";
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const DIGEST = /@sha256:[a-f0-9]{64}$/;
/** Asset keys become parts of stack names (`<env>-<asset>`), flow names and Kubernetes names. */
const ASSET_KEY = /^[a-z][a-z0-9]{0,19}$/;

const fqdn = z.string().superRefine((value, ctx) => {
  const check = checkFqdn(value);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
});

const token = (what: string, example: string) =>
  z
    .string({ error: `is missing: give ${what}, e.g. ${example}` })
    .trim()
    .min(1, `is empty: give ${what}, e.g. ${example}`)
    .regex(/^\S+$/, `contains whitespace: copy ${what} exactly as Webex Connect shows it`);

const image = z.string().trim().min(1, 'is empty: give an image such as "registry/name@sha256:<digest>"');

const resources = z
  .strictObject({
    requests: z.strictObject({ cpu: z.string(), memory: z.string() }),
    limits: z.strictObject({ cpu: z.string(), memory: z.string() }),
  })
  .optional();

const tlsSource = z.union([
  z.strictObject({ existingSecretName: z.string().min(1) }),
  z.strictObject({ certificatePem: z.string().min(1), privateKeyPem: z.string().min(1) }),
]);

const clientTlsSource = z.union([
  z.strictObject({ existingSecretName: z.string().min(1) }),
  z.strictObject({
    certificatePem: z.string().min(1),
    privateKeyPem: z.string().min(1),
    caCertificatePem: z.string().min(1),
  }),
]);

/** The proxy knobs the edge component takes (edge/types.ts), less what the stack supplies: FQDN, paths, nodes. */
const proxyKnobs = z.record(z.string(), z.unknown()).default({});

export const stackConfigSchema = z
  .strictObject({
    environment: z.enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(", ")}` }),
    webexConnect: z.strictObject({
      region: z
        .string()
        .refine(isRegion, `is not a Webex Connect region: use one of ${REGIONS.join(", ")} (Japan uses au)`)
        .optional(),
      orgId: token("the Webex Connect organization ID", '"org-1234"'),
      /** Only whether it is set and secret: the value itself never reaches this schema's messages. */
      tokenIsSecret: z
        .boolean({ error: "is missing: run `pulumi config set --secret webexconnect:token <token>`, or export WEBEX_CONNECT_TOKEN" })
        .refine((secret) => secret, {
        message: "is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
      }),
      baseUrl: z.url("is not a URL: give the emulator's or the tenant's base URL, e.g. http://127.0.0.1:8787").optional(),
    }),
    service: z
      .strictObject({
        name: z.string().trim().min(1, "is empty: give the Webex Connect service name"),
        description: z.string().default(""),
        adopt: z.enum(["none", "byName", "byId"], { error: 'must be "none" (create it), "byName" or "byId"' }).default("none"),
        id: z.string().optional(),
      })
      .refine((service) => service.adopt !== "byId" || !!service.id, {
        message: 'is missing: adopt is "byId", so give the id of the existing service',
        path: ["id"],
      }),
    asset: z
      .strictObject({
        key: z
          .string()
          .regex(ASSET_KEY, "must be 1-20 lower-case letters or digits, starting with a letter (it names the stack <env>-<asset>)"),
        appId: token("the App ID of the AMB asset (Webex Connect → Assets → Apps)", '"a1b2c3d4"'),
        ambAccountId: z
          .string({ error: "is missing: give the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>)" })
          .regex(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
            "is not a lower-case uuid: copy the AMB Account ID from Apple Business Register",
          ),
        accountName: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be the Messages for Business account name (letters, digits, _ and -), as in &name=<AccountName>"),
        mspLink: z.url("is not a URL: copy the link Apple shows after \"Connect\"").optional(),
        dataStream: z.boolean().default(true),
        dataStreamWaiver: z.string().optional(),
      })
      .refine((asset) => asset.dataStream || (asset.dataStreamWaiver ?? "").trim().length >= 10, {
        message:
          "is missing: Data Stream is off, which breaks customer opt-out, event handling and typing indicators; " +
          "turn it on or give a reason of at least 10 characters",
        path: ["dataStreamWaiver"],
      }),
    cloudConnect: z.strictObject({
      nodes: z
        .array(
          z.strictObject({
            name: z.string(),
            host: z.string(),
            port: z.number().int().optional(),
            tlsServerName: z.string().optional(),
            backup: z.boolean().optional(),
          }),
        )
        .min(1, "is empty: give the publisher and subscriber Cloud Connect nodes"),
    }),
    edge: z.strictObject({
      fqdn,
      image: image.optional(),
      replicas: z.number().int().min(2, "must be at least 2 so one pod can fail without an outage").optional(),
      resources,
      allowedClientCidrs: z.array(z.string()).min(1, "is empty: give the address ranges of Webex Connect and your load balancer"),
      proxy: proxyKnobs,
      frontTls: tlsSource,
      cloudConnectTls: clientTlsSource,
      serviceAnnotations: z.record(z.string(), z.string()).optional(),
    }),
    integrationService: z.strictObject({
      image,
      port: z.number().int().optional(),
      settings: z.record(z.string(), z.string()).default({}),
      autoscaling: z
        .strictObject({
          minReplicas: z.number().int().min(1).optional(),
          maxReplicas: z.number().int().min(1).optional(),
          targetCpuUtilizationPercent: z.number().int().min(1).max(100).optional(),
        })
        .optional(),
      resources,
    }),
    flows: z
      .strictObject({
        webhooks: z.enum(["perAsset", "common"], { error: 'must be "perAsset" (five flows conditioned on the App ID) or "common"' }).default("perAsset"),
        /** Common mode: every asset of the tenant, so the common flow can route each event to its asset's flow. */
        destinationRoutes: z.array(z.strictObject({ appId: z.string(), eventId: z.string() })).optional(),
        callVariables: z.record(z.string(), z.string()).default({}),
        eccVariables: z.record(z.string(), z.string()).default({}),
      })
      .default({ webhooks: "perAsset", callVariables: {}, eccVariables: {} })
      .refine((flows) => flows.webhooks !== "common" || (flows.destinationRoutes?.length ?? 0) > 0, {
        message: 'is missing: webhooks is "common", so list {appId, eventId} for every AMB asset of the tenant',
        path: ["destinationRoutes"],
      }),
    stackName: z.string(),
    kubernetes: z.strictObject({
      namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace name (lower-case letters, digits, -)"),
      /** Render manifests to this folder instead of applying them to a cluster. */
      renderYamlToDirectory: z.string().min(1).optional(),
      /** The kubeconfig context of the target cluster (cluster mode). */
      context: z.string().min(1).optional(),
    }),
  })
  .superRefine((config, ctx) => {
    // Outside dev, every image is pinned by digest: a tag can change under a running stack.
    if (config.environment !== "dev") {
      const images: Array<[string[], string | undefined]> = [
        [["edge", "image"], config.edge.image],
        [["integrationService", "image"], config.integrationService.image],
      ];
      for (const [path, value] of images) {
        if (value === undefined && path[0] === "edge") {
          ctx.addIssue({ code: "custom", path, message: `is missing: environment ${config.environment} needs the HAProxy image pinned by digest (haproxy@sha256:<digest>)` });
        } else if (value !== undefined && !DIGEST.test(value)) {
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
        const [head, ...rest] = issue.path.map(String);
        if (head === "publicHostname") continue; // reported on edge.fqdn already
        const path =
          head === "cloudConnectNodes" ? ["cloudConnect", "nodes", ...rest] : head === "allowedClientCidrs" ? ["edge", "allowedClientCidrs", ...rest] : ["edge", "proxy", head, ...rest];
        ctx.addIssue({ ...issue, code: "custom", path, message: issue.message + (issue.input !== undefined && issue.code !== "custom" ? ` (got ${JSON.stringify(issue.input)})` : "") });
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
    if ((config.kubernetes.renderYamlToDirectory === undefined) === (config.kubernetes.context === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["kubernetes"],
        message: "set exactly one of renderYamlToDirectory (write manifests to a folder) or context (apply to that cluster)",
      });
    }
    if (config.webexConnect.region === undefined && config.webexConnect.baseUrl === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["webexConnect", "region"],
        message: `is missing: set webexconnect:region to one of ${REGIONS.join(", ")}, or webexconnect:baseUrl for the emulator`,
      });
    }
  });

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;

/** Pulumi config key of each top-level section, as the user writes it in Pulumi.<stack>.yaml. */
export function configKeyOf(path: readonly PropertyKey[]): string {
  const [section, ...rest] = path.map(String);
  if (section === "stackName") return "stack name";
  if (section === "webexConnect") {
    const [field, ...more] = rest;
    const key = field === "tokenIsSecret" ? "token" : field;
    return [`webexconnect:${key}`, ...more].join(".");
  }
  return [`${PROJECT}:${section}`, ...rest].join(".");
}

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`);
  }
}

/** Validates a stack's raw configuration; throws StackConfigError listing every problem. */
export function parseStackConfig(raw: unknown): StackConfig {
  const result = stackConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const [line] = describeIssues("", [{ ...issue, path: [] }]);
    return `${configKeyOf(issue.path)}${line}`;
  });
  throw new StackConfigError(problems);
}
