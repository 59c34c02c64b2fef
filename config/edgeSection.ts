/**
 * The edge's sections: the Cloud Connect nodes (with the failover rule) and the edge proxy, whose knobs are checked
 * by the edge's own schema (edge/types.ts) with the nodes, FQDN and address ranges the stack gives it.
 */
import { z } from "zod";
import {
  cloudConnectEdgeSettingsShape,
  failoverProblem,
  nodeHostProblems,
  OPEN_ALLOW_LIST_WAIVER,
  openAllowListProblem,
  SINGLE_NODE_WAIVER,
} from "../components/cloudConnectEdgeArgs";
import { edgeProxyConfigSchema } from "../edge/types";
import { duplicates, evenWithFieldProblems, isMapping, section, unknownKeysMessage } from "./schemaParts";

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

export const cloudConnectSection = section({
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
}, evenWithFieldProblems);

// The components' own argument rules (components/*Args.ts), less what the stack wires in.
export const edgeSection = section({
  ...cloudConnectEdgeSettingsShape,
  allowedClientCidrs: z
    .array(z.string())
    .min(1, "is empty: give the address ranges of Webex Connect and your load balancer"),
  proxy: proxyKnobs,
});

/** What the edge's rules read of the whole configuration. */
interface EdgeConfig {
  edge: { fqdn: string; allowedClientCidrs: string[]; proxy: Record<string, unknown> };
  cloudConnect: { nodes: Array<{ name: string; host: string }> };
}

/** The edge's own schema checks the proxy knobs with the nodes and FQDN the stack gives it. */
export function edgeProxyRule(config: EdgeConfig, ctx: z.core.$RefinementCtx): void {
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
}

/** The component's rule on the nodes' hosts: each its own, none the edge's FQDN. */
export function nodeHostsRule(config: EdgeConfig, ctx: z.core.$RefinementCtx): void {
  for (const { index, message } of nodeHostProblems(config.edge.fqdn, config.cloudConnect.nodes)) {
    ctx.addIssue({ code: "custom", path: ["cloudConnect", "nodes", index, "host"], message });
  }
}

/** The component's open allow-list rule, with the stack's environment. */
export function openAllowListRule(
  config: { environment: string; edge: { allowedClientCidrs: string[]; [OPEN_ALLOW_LIST_WAIVER]?: string } },
  ctx: z.core.$RefinementCtx,
): void {
  const { allowedClientCidrs, [OPEN_ALLOW_LIST_WAIVER]: waiver } = config.edge;
  const problem = openAllowListProblem(config.environment, allowedClientCidrs, waiver);
  if (problem !== undefined)
    ctx.addIssue({ code: "custom", path: ["edge", problem.at], message: problem.message });
}

/** Each Cloud Connect node has its own name. */
export function repeatedNodesRule(config: EdgeConfig, ctx: z.core.$RefinementCtx): void {
  const repeatedNodes = duplicates(config.cloudConnect.nodes.map((node) => node.name));
  if (repeatedNodes.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["cloudConnect", "nodes"],
      message: `use the name ${repeatedNodes.map((name) => JSON.stringify(name)).join(", ")} more than once: give each node its own name, e.g. "publisher" and "subscriber"`,
    });
  }
}
