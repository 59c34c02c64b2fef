/** The HAProxy config generator, tested directly: each Cisco requirement maps to directives, bad input is refused. */
import fc from "fast-check";
import { renderHaproxyConfig } from "../../edge/haproxyConfig";
import {
  CONTAINER_PATHS,
  DEFAULT_BODY_LIMIT_BYTES,
  EdgeProxyConfigInput,
  MAX_ATTACHMENT_BYTES,
  MIN_BODY_LIMIT_BYTES,
} from "../../edge/types";

const minimal: EdgeProxyConfigInput = {
  publicHostname: "cc-edge.example.com",
  cloudConnectNodes: [
    { name: "publisher", host: "cc-pub.example.com" },
    { name: "subscriber", host: "10.1.2.3", port: 8445, tlsServerName: "cc-sub.example.com", backup: true },
  ],
  allowedClientCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
};

function lines(config: string): string[] {
  return config.split("\n").map((line) => line.trim());
}

/** The server lines of the Cloud Connect nodes (the relay hop's server aside). */
function nodeServerLines(config: string[]): string[] {
  return config.filter((line) => line.startsWith("server ") && !line.startsWith("server relay "));
}

function renderError(input: EdgeProxyConfigInput): string {
  try {
    renderHaproxyConfig(input, "args.proxy");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("renderHaproxyConfig with the defaults", () => {
  const config = lines(renderHaproxyConfig(minimal));

  it.each([
    [
      "HTTP/2 with TLS on the public port",
      `bind 0.0.0.0:8443 ssl crt ${CONTAINER_PATHS.frontCertificate} alpn h2,http/1.1`,
    ],
    ["TLS 1.2 as the floor toward clients", "ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets"],
    ["TLS 1.2 as the floor toward Cloud Connect", "ssl-default-server-options ssl-min-ver TLSv1.2"],
    ["the allow-list", "acl allowed_client src 203.0.113.0/24 198.51.100.7/32"],
    ["refusal before the handshake", "tcp-request connection reject if !allowed_client"],
    [
      "a per-source table of open connections and request rate",
      "stick-table type ipv6 size 100k expire 10s store conn_cur,http_req_rate(10s)",
    ],
    ["each connection counted against its source", "tcp-request connection track-sc0 src"],
    ["refusal past 256 connections per source", "tcp-request connection reject if { sc0_conn_cur gt 256 }"],
    ["each request counted while in flight", "http-request track-sc1 src table per_source_requests"],
    ["429 past the rate", "http-request deny deny_status 429 if { sc0_http_req_rate gt 1000 }"],
    [
      "429 past 64 requests in flight per source",
      "http-request deny deny_status 429 if { sc1_trackers gt 64 }",
    ],
    ["client connections bounded", "maxconn 4096"],
    ["room for the client connections, the relay and the probes", "maxconn 4368"],
    ["CONNECT refused", "http-request deny deny_status 405 if METH_CONNECT"],
    [
      "upgrades refused",
      "http-request deny deny_status 400 if { req.hdr(upgrade) -m found } || { req.hdr(connection) -i -m str upgrade }",
    ],
    ["exactly one Host", "http-request deny deny_status 400 unless { req.hdr_cnt(host) eq 1 }"],
    [
      "the Host checked against the FQDN",
      "http-request deny deny_status 421 unless { req.hdr(host),lower -m reg ^cc-edge\\\\.example\\\\.com(:[0-9]+)?$ }",
    ],
    [
      "control bytes in header values refused",
      "http-request deny deny_status 400 if { req.hdrs -m reg [\\\\x00-\\\\x08\\\\x0b\\\\x0c\\\\x0e-\\\\x1f\\\\x7f] }",
    ],
    [
      "a body limit on the declared length",
      `http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${DEFAULT_BODY_LIMIT_BYTES} }`,
    ],
    [
      "the same limit on bodies without a declared length, and a 300 s deadline on every body",
      `filter lua.body-limit ${DEFAULT_BODY_LIMIT_BYTES} 300000`,
    ],
    ["trailers refused on the relay hop", "filter lua.no-trailers"],
    [
      "the relay hop, one request per connection",
      "server relay unix@/var/run/haproxy/relay.sock maxconn 256",
    ],
    ["the relay frontend", "bind unix@/var/run/haproxy/relay.sock mode 600"],
    ["no retry of a request a node may have received", "retry-on conn-failure"],
    ["no reused connection to a node", "http-reuse never"],
    ["no late send of a request whose client left", "option abortonclose"],
    ["the node name kept out of the answer", "http-response del-header X-Edge-Node"],
    ["the script of that filter", `lua-load-per-thread ${CONTAINER_PATHS.bodyLimitScript}`],
    ["the tracking ID captured for the log", "capture request header trackingid len 128"],
    [
      "every client-supplied address header dropped, '-' and '_' alike",
      expect.stringMatching(
        /^http-request del-header \^\(forwarded\|forwarded\[-_\]for\|x\[-_\]forwarded.*true\[-_\]client\[-_\]ip.* -m reg$/,
      ),
    ],
    ["X-Forwarded-For", "option forwardfor"],
    ["X-Forwarded-Proto", "http-request set-header X-Forwarded-Proto https"],
    ["X-Forwarded-Host", "http-request set-header X-Forwarded-Host %[req.hdr(host)]"],
    ["active health checks", "http-check send meth GET uri / ver HTTP/1.1 hdr Host cc-edge.example.com"],
    ["a 30 s bound on silent clients, the TLS handshake included", "timeout client 30000ms"],
    ["a connect timeout below the health-check interval", "timeout connect 1000ms"],
    ["no request sent over a kept-alive connection to a node that may have hung", "option http-server-close"],
    ["a monitor endpoint for the kubelet", "monitor-uri /healthz"],
    ["logs on stdout", "log stdout format raw local0 info"],
  ])("has %s", (_requirement, directive) => {
    expect(config).toContainEqual(directive);
  });

  it("logs the tracking ID on every request line", () => {
    expect(config.find((line) => line.startsWith("log-format"))).toContain(
      "trackingid=%[capture.req.hdr(0),url_enc]",
    );
  });

  it("connects to each node with mTLS, verifying the node's certificate name", () => {
    const mtls = `ssl verify required ca-file ${CONTAINER_PATHS.cloudConnectCa} crt ${CONTAINER_PATHS.cloudConnectClientCertificate}`;
    expect(config.find((line) => line.startsWith("default-server"))).toContain(mtls);
    expect(nodeServerLines(config)).toEqual([
      "server publisher cc-pub.example.com:443 sni str(cc-pub.example.com) check-sni cc-pub.example.com verifyhost cc-pub.example.com",
      "server subscriber 10.1.2.3:8445 sni str(cc-sub.example.com) check-sni cc-sub.example.com verifyhost cc-sub.example.com backup",
    ]);
  });

  it("renders the same text for the same input", () => {
    expect(renderHaproxyConfig(minimal)).toBe(renderHaproxyConfig(structuredClone(minimal)));
  });
});

describe("renderHaproxyConfig with knobs set", () => {
  it("writes the configured rate, body limit, health check and ports", () => {
    const config = lines(
      renderHaproxyConfig({
        ...minimal,
        listenPort: 9443,
        rateLimit: { maxRequests: 40, periodSeconds: 30 },
        maxBodyBytes: MIN_BODY_LIMIT_BYTES,
        healthCheck: {
          path: "/cc/health",
          port: 9444,
          expectStatus: "200",
          intervalMs: 500,
          fall: 4,
          rise: 3,
        },
        timeouts: { connectMs: 500 },
      }),
    );
    expect(config).toContain(
      `bind 0.0.0.0:9443 ssl crt ${CONTAINER_PATHS.frontCertificate} alpn h2,http/1.1`,
    );
    expect(config).toContain("http-request deny deny_status 429 if { sc0_http_req_rate gt 40 }");
    expect(config).toContain("stick-table type ipv6 size 100k expire 30s store conn_cur,http_req_rate(30s)");
    expect(config).toContain(
      `http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${MIN_BODY_LIMIT_BYTES} }`,
    );
    expect(config).toContain("http-check expect status 200");
    expect(config.find((line) => line.startsWith("default-server"))).toMatch(
      /^default-server check inter 500ms fall 4 rise 3 port 9444 observe layer4 error-limit 4 on-error mark-down maxconn 128 /,
    );
  });

  it("writes the per-source limits, the nodes' connection limit and the body deadline", () => {
    const config = lines(
      renderHaproxyConfig({
        ...minimal,
        maxConnections: 1000,
        perSource: { maxConnections: 50, maxConcurrentRequests: 20 },
        nodeMaxConnections: 30,
        timeouts: { requestBodyMs: 120_000 },
      }),
    );
    expect(config).toContain("tcp-request connection reject if { sc0_conn_cur gt 50 }");
    expect(config).toContain("http-request deny deny_status 429 if { sc1_trackers gt 20 }");
    expect(config.find((line) => line.startsWith("default-server"))).toContain(" maxconn 30 ");
    expect(config).toContain(`filter lua.body-limit ${DEFAULT_BODY_LIMIT_BYTES} 120000`);
    // Two nodes of 30: the relay's share; the global limit adds it and the probes' 16 to the clients' 1000.
    expect(config).toContain("server relay unix@/var/run/haproxy/relay.sock maxconn 60");
    expect(config).toEqual(expect.arrayContaining(["maxconn 1000", "maxconn 60", "maxconn 1076"]));
  });

  it("keeps the forwarding headers of trusted load balancers only", () => {
    const config = lines(
      renderHaproxyConfig({ ...minimal, trustedProxyCidrs: ["10.0.0.0/8", "2001:db8::/32"] }),
    );
    expect(config).toContain("acl trusted_proxy src 10.0.0.0/8 2001:db8::/32");
    expect(config).toContainEqual(
      expect.stringMatching(/^http-request del-header \^\(forwarded\|.* -m reg unless trusted_proxy$/),
    );
    expect(config).toContainEqual(
      expect.stringMatching(
        /^http-request del-header \^\(\?!\(x-forwarded-for\|forwarded\|x-real-ip\)\$\)\(forwarded\|.* -m reg if trusted_proxy$/,
      ),
    );
  });
});

describe("the default body limit", () => {
  it("holds the largest attachment base64-encoded, with 1 MiB for the rest of the message", () => {
    const base64Attachment = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;
    expect(DEFAULT_BODY_LIMIT_BYTES - base64Attachment).toBe(1024 * 1024);
    expect(DEFAULT_BODY_LIMIT_BYTES).toBe(134_381_912);
    expect(DEFAULT_BODY_LIMIT_BYTES).toBeGreaterThan(MIN_BODY_LIMIT_BYTES);
  });

  it("writes one server line per node, in order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), { minLength: 1, maxLength: 8 }),
        (names) => {
          const config = lines(
            renderHaproxyConfig({
              ...minimal,
              cloudConnectNodes: names.map((name) => ({ name, host: `${name}.cc.example.com` })),
            }),
          );
          const servers = nodeServerLines(config).map((line) => line.split(" ")[1]);
          expect(servers).toEqual(names);
        },
      ),
    );
  });
});

describe("renderHaproxyConfig refuses bad input, naming the field", () => {
  it.each<[string, EdgeProxyConfigInput, string]>([
    [
      "a body limit below 100 MiB",
      { ...minimal, maxBodyBytes: 50_000_000 },
      "args.proxy.maxBodyBytes: must be at least 104857600 (100 MiB): Apple Messages for Business attachments reach 100 MB (got 50000000)",
    ],
    [
      "an IP node without the name its certificate carries",
      { ...minimal, cloudConnectNodes: [{ name: "publisher", host: "10.1.2.3" }] },
      "args.proxy.cloudConnectNodes.0.tlsServerName: host is an IP address, so set tlsServerName to the DNS name in the node's certificate (mTLS verifies it)",
    ],
    [
      "a node given as a URL",
      { ...minimal, cloudConnectNodes: [{ name: "publisher", host: "https://cc-pub.example.com/" }] },
      'args.proxy.cloudConnectNodes.0.host: "https://cc-pub.example.com/" has a URL scheme; the Domain field takes a bare hostname. Use "cc-pub.example.com" instead.',
    ],
    [
      "two nodes with one name",
      {
        ...minimal,
        cloudConnectNodes: [
          { name: "publisher", host: "cc-a.example.com" },
          { name: "publisher", host: "cc-b.example.com" },
        ],
      },
      "args.proxy.cloudConnectNodes: node names must be unique",
    ],
    [
      "an empty allow-list",
      { ...minimal, allowedClientCidrs: [] },
      'args.proxy.allowedClientCidrs: list the Webex Connect egress ranges (use ["0.0.0.0/0"] only to disable the allow-list) (got [])',
    ],
    [
      "a malformed CIDR",
      { ...minimal, allowedClientCidrs: ["203.0.113.0/33"] },
      'args.proxy.allowedClientCidrs.0: must be a CIDR range such as 203.0.113.0/24 (got "203.0.113.0/33")',
    ],
    [
      "a connect timeout longer than the health-check interval",
      { ...minimal, timeouts: { connectMs: 5000 } },
      "args.proxy.timeouts.connectMs: is 5000, more than healthCheck.intervalMs (2000): a request to a hung node waits connectMs before it goes to another node, so a hung node would cost more than one health-check interval. Fix: set connectMs to at most 2000",
    ],
    [
      "a source allowed as many requests in flight as a node takes connections",
      { ...minimal, perSource: { maxConcurrentRequests: 128 } },
      "args.proxy.perSource.maxConcurrentRequests: is 128, not less than nodeMaxConnections (128): one source " +
        "address could then take every connection to a Cloud Connect node and shut out the others. Fix: set " +
        "perSource.maxConcurrentRequests to at most 127",
    ],
    [
      "a source allowed every connection of the edge",
      { ...minimal, maxConnections: 100, perSource: { maxConnections: 100 } },
      "args.proxy.perSource.maxConnections: is 100, not less than maxConnections (100): one source address could " +
        "then hold every connection the edge accepts. Fix: set perSource.maxConnections to at most 99",
    ],
    [
      "a trusted proxy that is not a CIDR range",
      { ...minimal, trustedProxyCidrs: ["lb.example.com"] },
      'args.proxy.trustedProxyCidrs.0: must be a CIDR range such as 203.0.113.0/24 (got "lb.example.com")',
    ],
    [
      "a health-check path that would inject directives",
      { ...minimal, healthCheck: { path: "/health\n    server rogue 192.0.2.1:443" } },
      "args.proxy.healthCheck.path: must be a URL path starting with '/' (got \"/health\\n    server rogue 192.0.2.1:443\")",
    ],
  ])("%s", (_case, input, message) => {
    expect(renderError(input)).toBe(message);
  });

  it("lists the connect-timeout rule together with the other problems", () => {
    expect(
      renderError({ ...minimal, timeouts: { connectMs: 3000 }, trustedProxyCidrs: ["lb.example.com"] }).split(
        "\n",
      ),
    ).toEqual([
      'args.proxy.trustedProxyCidrs.0: must be a CIDR range such as 203.0.113.0/24 (got "lb.example.com")',
      expect.stringMatching(
        /^args\.proxy\.timeouts\.connectMs: is 3000, more than healthCheck\.intervalMs \(2000\)/,
      ),
    ]);
  });

  it("refuses any certificate path with whitespace, which would split the directive", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(" ", "\n", "\t"), fc.string(), (before, space, after) => {
        const frontCertificate = `/etc/${before}${space}${after}`;
        expect(() => renderHaproxyConfig({ ...minimal, paths: { frontCertificate } })).toThrow(
          /^edgeConfig\.paths\.frontCertificate: must be an absolute path/,
        );
      }),
    );
  });
});
