/**
 * The configuration of the Cloud Connect edge proxy: the typed, validated input of the HAProxy config generator.
 * Cisco does not publish Cloud Connect's ports, paths or health-check URLs, so each is a knob with a default.
 */
import { isIPv4 } from "node:net";
import { posix } from "node:path";
import { z } from "zod";
import { hostBitsProblem } from "../lib/cidr";
import { checkFqdn } from "../lib/fqdn";
import { describeIssues } from "../lib/issues";
import { BODY_LIMIT_SCRIPT_FILE } from "./bodyLimitFilter";

const MEBIBYTE = 1024 * 1024;
/** Apple Messages for Business carries attachments up to 100 MB; the proxy must never cut a body below that. */
export const MIN_BODY_LIMIT_BYTES = 100 * MEBIBYTE;
/** The channel's largest attachment: 100 MB (decimal), per the AMB user guide and Apple's MSP requirements. */
export const MAX_ATTACHMENT_BYTES = 100_000_000;
/**
 * The default body limit: the largest attachment base64-encoded (4 bytes per 3, as JSON carries binary: 133,333,336
 * bytes) plus 1 MiB for the rest of the message. A raw 100 MB upload then has 34 MB to spare.
 */
export const DEFAULT_BODY_LIMIT_BYTES = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + MEBIBYTE;

/** Where the official haproxy image looks for its config. */
export const CONTAINER_CONFIG_FILE = "/usr/local/etc/haproxy/haproxy.cfg";

/**
 * Where the container finds its TLS files and runtime directory. TLS files use HAProxy's split layout: the key of `x.pem` is read from
 * `x.pem.key`, so a kubernetes.io/tls Secret (tls.crt, tls.key) mounts without concatenating PEMs.
 */
export const CONTAINER_PATHS = {
  bodyLimitScript: posix.join(posix.dirname(CONTAINER_CONFIG_FILE), BODY_LIMIT_SCRIPT_FILE),
  frontCertificate: "/etc/haproxy/front/front.pem",
  cloudConnectClientCertificate: "/etc/haproxy/cloud-connect/client.pem",
  cloudConnectCa: "/etc/haproxy/cloud-connect/ca.pem",
  runtimeDirectory: "/var/run/haproxy",
} as const;

/** checkFqdn's message already names the value and the fix. */
function addFqdnIssue(value: string, ctx: z.RefinementCtx): void {
  const check = checkFqdn(value);
  if (!check.ok) ctx.addIssue({ code: "custom", message: check.message });
}

const dnsName = z.string().superRefine(addFqdnIssue);
const dnsNameOrIpv4 = z.string().superRefine((value, ctx) => {
  if (!isIPv4(value)) addFqdnIssue(value, ctx);
});

const port = z.number().int().min(1).max(65535);
const milliseconds = z.number().int().min(1).max(3_600_000);

/** Absolute, whitespace-free paths: they are written into haproxy.cfg verbatim. */
const absolutePath = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute path of letters, digits, '.', '_', '-' and '/'");

const cloudConnectNode = z
  .object({
    /** HAProxy server name; shows in logs, e.g. "publisher". */
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a short lower-case name such as "publisher" or "subscriber"'),
    /** DNS name or IPv4 address the proxy connects to. */
    host: dnsNameOrIpv4,
    port: port.default(443),
    /** Name expected in the node's certificate and sent as SNI; defaults to host. */
    tlsServerName: dnsName.optional(),
    /** A backup node takes traffic only while every non-backup node is down. */
    backup: z.boolean().default(false),
  })
  .strict()
  .refine((node) => !isIPv4(node.host) || node.tlsServerName !== undefined, {
    message:
      "host is an IP address, so set tlsServerName to the DNS name in the node's certificate (mTLS verifies it)",
    path: ["tlsServerName"],
  });

/** A range written from its first address: "198.51.100.7/24" is refused with the fix, not silently widened. */
const cidr = z
  .union([z.cidrv4(), z.cidrv6()], "must be a CIDR range such as 203.0.113.0/24")
  .superRefine((value, ctx) => {
    const problem = hostBitsProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

const statusList = z
  .string()
  .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, 'must be status codes or ranges such as "200" or "200-399"');

/** The value at `path` of a partly parsed config, when it is a number. */
function parsedNumber(value: unknown, path: string[]): number | undefined {
  const found = path.reduce<unknown>(
    (node, key) =>
      typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined,
    value,
  );
  return typeof found === "number" ? found : undefined;
}

/** A rule between two knobs: `smaller` must stay below (or, if `orEqual`, at most) `larger`. */
interface OrderRule {
  smaller: string[];
  larger: string[];
  orEqual: boolean;
  why: string;
  /** How the fix names the knob to change. */
  knob: string;
}

const ORDER_RULES: OrderRule[] = [
  {
    smaller: ["timeouts", "connectMs"],
    larger: ["healthCheck", "intervalMs"],
    orEqual: true,
    why:
      "a request to a hung node waits connectMs before it goes to another node, so a hung node would cost more " +
      "than one health-check interval",
    knob: "connectMs",
  },
  {
    smaller: ["perSource", "maxConcurrentRequests"],
    larger: ["nodeMaxConnections"],
    orEqual: false,
    why: "one source address could then take every connection to a Cloud Connect node and shut out the others",
    knob: "perSource.maxConcurrentRequests",
  },
  {
    smaller: ["perSource", "maxConnections"],
    larger: ["maxConnections"],
    orEqual: false,
    why: "one source address could then hold every connection the edge accepts",
    knob: "perSource.maxConnections",
  },
];

/** The problem of one order rule, or undefined when it holds or a number is missing (reported on its own). */
function orderProblem(config: unknown, rule: OrderRule): string | undefined {
  const smaller = parsedNumber(config, rule.smaller);
  const larger = parsedNumber(config, rule.larger);
  if (smaller === undefined || larger === undefined) return undefined;
  if (rule.orEqual ? smaller <= larger : smaller < larger) return undefined;
  const bound = rule.orEqual ? larger : larger - 1;
  return (
    `is ${smaller}, ${rule.orEqual ? "more than" : "not less than"} ${rule.larger.join(".")} (${larger}): ` +
    `${rule.why}. Fix: set ${rule.knob} to at most ${bound}`
  );
}

export const edgeProxyConfigSchema = z
  .object({
    /** The FQDN Webex Connect calls (the CCE "Domain" field); sent as Host in health checks. */
    publicHostname: dnsName,
    cloudConnectNodes: z
      .array(cloudConnectNode)
      .min(1, "give at least one Cloud Connect node (publisher and subscriber for failover)")
      .max(8)
      .refine((nodes) => new Set(nodes.map((node) => node.name)).size === nodes.length, {
        message: "node names must be unique",
      }),
    /** Source ranges admitted before the TLS handshake (Webex Connect egress, your load balancers). */
    allowedClientCidrs: z
      .array(cidr)
      .min(1, 'list the Webex Connect egress ranges (use ["0.0.0.0/0"] only to disable the allow-list)'),
    /**
     * Load balancers in front of the edge whose X-Forwarded-For / Forwarded headers are kept. From every other
     * source those headers are dropped before the edge adds the client's address, so a client cannot spoof it.
     */
    trustedProxyCidrs: z.array(cidr).default([]),
    /** Address both frontends bind to; all interfaces in a pod, loopback in tests. */
    listenAddress: z.ipv4("must be an IPv4 address such as 0.0.0.0").default("0.0.0.0"),
    listenPort: port.default(8443),
    /** Plain-HTTP port of the liveness/readiness endpoint; never exposed by the Service. */
    monitorPort: port.default(8404),
    monitorPath: absolutePath.default("/healthz"),
    healthCheck: z
      .object({
        path: z
          .string()
          .regex(/^\/[A-Za-z0-9._~/%?=&-]*$/, "must be a URL path starting with '/'")
          .default("/"),
        /** Check a different port than the traffic port (still TLS with the client certificate). */
        port: port.optional(),
        expectStatus: statusList.default("200-399"),
        intervalMs: milliseconds.default(2000),
        /** A check that has no answer within this is a failure (a hung node answers nothing). */
        timeoutMs: milliseconds.default(1000),
        /** Consecutive failures before a node is taken out. */
        fall: z.number().int().min(1).max(10).default(3),
        /** Consecutive successes before a node takes traffic again. */
        rise: z.number().int().min(1).max(10).default(2),
      })
      .strict()
      .prefault({}),
    rateLimit: z
      .object({
        /** Requests admitted per source IP within the period; the next ones get 429. */
        maxRequests: z.number().int().min(1).default(1000),
        periodSeconds: z.number().int().min(1).max(3600).default(10),
      })
      .strict()
      .prefault({}),
    /**
     * Limits per client source address, past the allow-list. Webex Connect's egress addresses are shared by its
     * tenants, so these bound what one address can take from the others, not what one tenant can do.
     */
    perSource: z
      .object({
        /** Connections one address may hold open; past it a new one is closed before the TLS handshake. */
        maxConnections: z.number().int().min(1).max(1_000_000).default(256),
        /** Requests one address may have in flight (all its connections and HTTP/2 streams); the next get 429. */
        maxConcurrentRequests: z.number().int().min(1).max(1_000_000).default(64),
      })
      .strict()
      .prefault({}),
    /**
     * Connections the edge opens to each Cloud Connect node at most, one per request in flight; further requests
     * wait in a queue for timeouts.queueMs, then get 503.
     */
    nodeMaxConnections: z.number().int().min(2).max(100_000).default(128),
    /** Request bodies larger than this get 413, whatever their framing (Content-Length, chunked, HTTP/2). */
    maxBodyBytes: z
      .number()
      .int()
      .min(
        MIN_BODY_LIMIT_BYTES,
        `must be at least ${MIN_BODY_LIMIT_BYTES} (100 MiB): Apple Messages for Business attachments reach 100 MB`,
      )
      .default(DEFAULT_BODY_LIMIT_BYTES),
    /** Inactivity timeouts, but for requestBodyMs: a 100 MB upload is never cut while its bytes flow in time. */
    timeouts: z
      .object({
        /** TCP connect plus TLS handshake to a Cloud Connect node; past it the request goes to the other node. */
        connectMs: milliseconds.default(1000),
        /**
         * The longest the edge waits on a silent client: the TLS handshake, the first request, any pause while it
         * sends. HAProxy 2.6 has one client timeout for all of these (`timeout client-hs` only exists from 2.9).
         */
        clientMs: milliseconds.default(30_000),
        serverMs: milliseconds.default(300_000),
        /**
         * The longest a request body may take to arrive, from the end of its headers: past it the request gets 408.
         * The client timeout alone never cuts an upload that sends a byte now and then.
         */
        requestBodyMs: milliseconds.default(300_000),
        httpRequestMs: milliseconds.default(30_000),
        keepAliveMs: milliseconds.default(10_000),
        queueMs: milliseconds.default(30_000),
      })
      .strict()
      .prefault({}),
    balance: z.enum(["roundrobin", "leastconn"]).default("roundrobin"),
    /** Client connections the edge holds at once, from all sources; past it new ones wait in the kernel's backlog. */
    maxConnections: z.number().int().min(1).max(1_000_000).default(4096),
    trackingIdHeader: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, "must be a lower-case header name")
      .default("trackingid"),
    paths: z
      .object({
        frontCertificate: absolutePath.default(CONTAINER_PATHS.frontCertificate),
        cloudConnectClientCertificate: absolutePath.default(CONTAINER_PATHS.cloudConnectClientCertificate),
        cloudConnectCa: absolutePath.default(CONTAINER_PATHS.cloudConnectCa),
        runtimeDirectory: absolutePath.default(CONTAINER_PATHS.runtimeDirectory),
        bodyLimitScript: absolutePath.default(CONTAINER_PATHS.bodyLimitScript),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine(
    (config, ctx) => {
      for (const rule of ORDER_RULES) {
        const message = orderProblem(config, rule);
        if (message !== undefined) ctx.addIssue({ code: "custom", path: rule.smaller, message });
      }
    },
    // Checked even when other knobs are wrong, so one error lists every problem; each rule needs its numbers parsed.
    { when: () => true },
  );

/** What callers write: every knob with a default may be left out. */
export type EdgeProxyConfigInput = z.input<typeof edgeProxyConfigSchema>;
/** What the generator reads: defaults filled in. */
export type EdgeProxyConfig = z.output<typeof edgeProxyConfigSchema>;
export type CloudConnectNodeInput = z.input<typeof cloudConnectNode>;

/**
 * One line per problem: `<argPath>.<field>: <what is wrong> (got <value>)`. Custom issues carry their own
 * wording (checkFqdn names the value), so only zod's built-in issues get the value appended.
 */
/** Validates and fills in defaults; throws one error listing every problem, each naming its field. */
export function parseEdgeProxyConfig(input: EdgeProxyConfigInput, argPath = "edgeConfig"): EdgeProxyConfig {
  const result = edgeProxyConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new Error(describeIssues(argPath, result.error.issues).join("\n"));
  return result.data;
}
