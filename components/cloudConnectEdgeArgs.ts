/**
 * The Cloud Connect edge's arguments and their rules, the one source for the component (cloudConnectEdge.ts) and
 * the stack's `edge` and `cloudConnect` sections (config/stackConfig.ts). The proxy knobs are edge/types.ts's.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CONTAINER_PATHS, edgeProxyConfigSchema, type EdgeProxyConfigInput } from "../edge/types";
import { openFamilies } from "../lib/cidr";
import { hasWaiverReason, MIN_WAIVER_LENGTH, PROD_ENVIRONMENT } from "../lib/conventions";
import { checkFqdn, sameHost } from "../lib/fqdn";
import {
  containerResourcesSchema,
  imageProblem,
  imageReferenceSchema,
  type ContainerResources,
} from "./workloadArgs";

/** A tag is fine in dev only; outside dev pass the same image with its digest. */
export const DEFAULT_HAPROXY_IMAGE = "haproxy:2.6";

export const DEFAULT_EDGE_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "1", memory: "256Mi" },
};

/** The name of the opt-out from failover: a lab edge with one Cloud Connect node. */
export const SINGLE_NODE_WAIVER = "singleNodeWaiver";

/** The name of the opt-out from a closed allow-list: the reason a prod edge admits every address. */
export const OPEN_ALLOW_LIST_WAIVER = "openAllowListWaiver";

/** The bare hostname for the CCE Domain field (lib/fqdn.ts: no scheme, slash, port or IP address). */
export const fqdnSchema = z.string().superRefine((value, ctx) => {
  const check = checkFqdn(value);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
});

const SECRET_NAME = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** PEM text, or a Pulumi secret holding it. */
const pem = z.custom<pulumi.Input<string>>(
  (value) => (typeof value === "string" ? value.trim() !== "" : typeof value === "object" && value !== null),
  "is empty: give the PEM text (-----BEGIN …)",
);

/** Either an existing Secret or PEM text; the Secret name is checked after the union picked its branch. */
function secretSource<Shape extends z.core.$ZodLooseShape>(pems: Shape, described: string) {
  return z
    .union([z.strictObject({ existingSecretName: z.string() }), z.strictObject(pems)], {
      error: `must be ${described}`,
    })
    .superRefine((source, ctx) => {
      const name = (source as { existingSecretName?: unknown }).existingSecretName;
      if (typeof name !== "string" || SECRET_NAME.test(name)) return;
      ctx.addIssue({
        code: "custom",
        path: ["existingSecretName"],
        message:
          `${JSON.stringify(name)} is not a Kubernetes Secret name. Fix: give the name of ` +
          "the Secret in the same namespace, lower-case letters, digits, '-' and '.'.",
      });
    });
}

/** A kubernetes.io/tls Secret that already exists (e.g. from cert-manager), or PEM text to create one from. */
export const tlsSecretSourceSchema = secretSource(
  { certificatePem: pem, privateKeyPem: pem },
  "{existingSecretName} of a kubernetes.io/tls Secret, or {certificatePem, privateKeyPem}",
);
/** The proxy's client certificate for mTLS, plus ca.crt: the CA that signed the Cloud Connect nodes' certificates. */
export const clientTlsSecretSourceSchema = secretSource(
  { certificatePem: pem, privateKeyPem: pem, caCertificatePem: pem },
  "{existingSecretName} of a Secret with tls.crt, tls.key and ca.crt, or {certificatePem, privateKeyPem, caCertificatePem}",
);
export type TlsSecretSource = z.output<typeof tlsSecretSourceSchema>;
export type ClientTlsSecretSource = z.output<typeof clientTlsSecretSourceSchema>;

/** What a stack file's `edge` section sets: the component's arguments less those the stack wires in itself. */
export const cloudConnectEdgeSettingsShape = {
  /** Public FQDN of the edge; the value for the CCE nodes' Domain field. */
  fqdn: fqdnSchema,
  /** Defaults to DEFAULT_HAPROXY_IMAGE, which only dev may run. */
  image: imageReferenceSchema.optional(),
  replicas: z
    .number()
    .int("must be a whole number, e.g. 2")
    .min(
      2,
      "must be at least 2 so Webex Connect keeps a path while a pod restarts or moves. Fix: use 2 or more.",
    )
    .default(2),
  resources: containerResourcesSchema.default(DEFAULT_EDGE_RESOURCES),
  /** The certificate Webex Connect sees for `fqdn`. */
  frontTls: tlsSecretSourceSchema,
  cloudConnectTls: clientTlsSecretSourceSchema,
  /** Extra annotations for the LoadBalancer Service, e.g. the cloud's load balancer type. */
  serviceAnnotations: z.record(z.string(), z.string()).default({}),
  /** Why a prod edge admits every address (the policy pack reports it, and any open allow-list outside prod). */
  [OPEN_ALLOW_LIST_WAIVER]: z.string().optional(),
};

/**
 * Failover needs a publisher and a subscriber. A lab may run one node, but only when it says so by name, with a
 * reason; the policy pack then reports it as an advisory. A waiver on an edge that has failover is stale.
 */
export function failoverProblem(nodeCount: number, waiver: string | undefined): string | undefined {
  if (nodeCount === 1 && !hasWaiverReason(waiver)) {
    return (
      `${waiver === undefined ? "lists one node" : `lists one node, and the ${SINGLE_NODE_WAIVER} ${JSON.stringify(waiver)} is too short`}: ` +
      "the edge then has no failover. Fix: give the publisher and subscriber Cloud Connect nodes; for a lab only, " +
      `set ${SINGLE_NODE_WAIVER} to the reason (at least ${MIN_WAIVER_LENGTH} characters).`
    );
  }
  if (nodeCount > 1 && waiver !== undefined) {
    return `lists ${nodeCount} nodes, so ${SINGLE_NODE_WAIVER} does not apply. Fix: remove ${SINGLE_NODE_WAIVER}.`;
  }
  return undefined;
}

/**
 * Failover needs nodes on separate hosts, none of them the edge itself: two nodes on one host fail together, and a
 * node at the edge's own FQDN would have the proxy call itself. Each problem with the index of its node.
 */
export function nodeHostProblems(
  fqdn: string,
  nodes: ReadonlyArray<{ name?: unknown; host?: unknown }>,
): Array<{ index: number; message: string }> {
  return nodes.flatMap(({ host }, index) => {
    if (typeof host !== "string") return [];
    if (sameHost(host, fqdn)) {
      const message =
        `${JSON.stringify(host)} is the edge's own public hostname (edge.fqdn): the proxy would send Webex ` +
        "Connect's requests back to itself. Fix: give the Cloud Connect node's own host.";
      return [{ index, message }];
    }
    const earlier = nodes
      .slice(0, index)
      .find((other) => typeof other.host === "string" && sameHost(host, other.host));
    if (earlier === undefined) return [];
    const message =
      `${JSON.stringify(host)} is also the host of node ${JSON.stringify(earlier.name)}: two nodes on one host ` +
      "fail together, so the edge has no failover. Fix: give each node its own Cloud Connect host (the " +
      "publisher's and the subscriber's).";
    return [{ index, message }];
  });
}

/** `"0.0.0.0/0", which admits every IPv4 address`, for each family the list leaves open. */
function describeOpenFamilies(cidrs: readonly string[]): string | undefined {
  const open = openFamilies(cidrs);
  if (open.length === 0) return undefined;
  return open
    .map(
      ({ family, cidrs: entries }) =>
        `${entries.map((entry) => JSON.stringify(entry)).join(", ")}, which ` +
        `${entries.length === 1 ? "admits" : "together admit"} every ${family} address`,
    )
    .join(", and ");
}

/**
 * Cisco recommends allow-listing the Webex Connect and load-balancer addresses. A prod edge that admits every
 * address does so by name, with a reason (the policy pack then reports it, as it reports any open allow-list
 * elsewhere); a waiver on an allow-list that is not open is stale. Where the problem is, and what it is.
 */
export function openAllowListProblem(
  environment: string,
  cidrs: readonly string[],
  waiver: string | undefined,
): { at: "allowedClientCidrs" | typeof OPEN_ALLOW_LIST_WAIVER; message: string } | undefined {
  const open = describeOpenFamilies(cidrs);
  if (open === undefined) {
    if (waiver === undefined) return undefined;
    return {
      at: OPEN_ALLOW_LIST_WAIVER,
      message:
        "does not apply: edge.allowedClientCidrs admits only the ranges it lists. Fix: remove " +
        `${OPEN_ALLOW_LIST_WAIVER}.`,
    };
  }
  if (environment !== PROD_ENVIRONMENT || hasWaiverReason(waiver)) return undefined;
  const short =
    waiver === undefined ? "" : `, and the ${OPEN_ALLOW_LIST_WAIVER} ${JSON.stringify(waiver)} is too short`;
  return {
    at: "allowedClientCidrs",
    message:
      `lists ${open}${short}: Cisco recommends admitting only the addresses of Webex Connect and your load ` +
      `balancer, and a ${PROD_ENVIRONMENT} stack must. Fix: list those ranges, or set ${OPEN_ALLOW_LIST_WAIVER} to ` +
      `the reason (at least ${MIN_WAIVER_LENGTH} characters).`,
  };
}

/** The proxy knobs of edge/types.ts, less what the component owns (its FQDN and the container's file paths). */
export type CloudConnectEdgeProxyArgs = Omit<EdgeProxyConfigInput, "publicHostname" | "paths">;

/** The component's plain-data arguments; `proxy` is checked by the edge's own schema (edge/types.ts). */
export const cloudConnectEdgeArgsSchema = z
  .object({
    environment: z.string(),
    ...cloudConnectEdgeSettingsShape,
    proxy: z.custom<CloudConnectEdgeProxyArgs>(
      (value) => typeof value === "object" && value !== null,
      "is missing: give the proxy knobs with cloudConnectNodes and allowedClientCidrs",
    ),
    [SINGLE_NODE_WAIVER]: z.string().optional(),
  })
  .superRefine((args, ctx) => {
    const image = imageProblem(args.image, args.environment, DEFAULT_HAPROXY_IMAGE);
    if (image !== undefined) ctx.addIssue({ code: "custom", path: ["image"], message: image });
    const nodes = args.proxy.cloudConnectNodes;
    const failover = Array.isArray(nodes)
      ? failoverProblem(nodes.length, args[SINGLE_NODE_WAIVER])
      : undefined;
    if (failover !== undefined) {
      ctx.addIssue({ code: "custom", path: ["proxy", "cloudConnectNodes"], message: failover });
    }
    for (const { index, message } of Array.isArray(nodes) ? nodeHostProblems(args.fqdn, nodes) : []) {
      ctx.addIssue({ code: "custom", path: ["proxy", "cloudConnectNodes", index, "host"], message });
    }
    const cidrs = args.proxy.allowedClientCidrs;
    const open = Array.isArray(cidrs)
      ? openAllowListProblem(args.environment, cidrs, args[OPEN_ALLOW_LIST_WAIVER])
      : undefined;
    if (open !== undefined) {
      const path = open.at === OPEN_ALLOW_LIST_WAIVER ? [open.at] : ["proxy", "allowedClientCidrs"];
      ctx.addIssue({ code: "custom", path, message: open.message });
    }
    const proxy = edgeProxyConfigSchema.safeParse(
      { ...args.proxy, publicHostname: args.fqdn, paths: CONTAINER_PATHS },
      { reportInput: true },
    );
    // The FQDN's own rule has reported a bad publicHostname.
    for (const issue of proxy.error?.issues ?? []) {
      if (issue.path[0] !== "publicHostname") ctx.addIssue({ ...issue, path: ["proxy", ...issue.path] });
    }
  });

export type CloudConnectEdgeSettings = z.input<typeof cloudConnectEdgeArgsSchema>;
