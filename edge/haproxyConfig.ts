/**
 * Renders haproxy.cfg for the Cloud Connect edge from a validated config. Pure: the same text serves the
 * container (mounted Secret paths) and the tests (temp files), which run it through the real haproxy binary.
 */
import { BODY_LIMIT_FILTER } from "./bodyLimitFilter";
import { EdgeProxyConfig, EdgeProxyConfigInput, parseEdgeProxyConfig } from "./types";

const BACKEND = "cloud_connect";
const RESOLVERS = "cloud_connect_dns";

/** TLS 1.2 suites with forward secrecy and AEAD only; TLS 1.3 suites are listed separately by OpenSSL. */
const TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");
const TLS13_CIPHERSUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

/** Headers that carry a client address; from untrusted sources they are dropped before the edge adds its own. */
const FORWARDING_HEADERS = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

/** The request log line, with the Webex Connect tracking ID so a request can be followed into Cloud Connect. */
const LOG_FORMAT =
  "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %U %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq " +
  "trackingid=%[capture.req.hdr(0)] %{+Q}r";

function section(header: string, lines: string[]): string {
  return [header, ...lines.map((line) => `    ${line}`)].join("\n");
}

function globalSection(config: EdgeProxyConfig): string {
  return section("global", [
    // Logs go to stdout, where the container runtime collects them.
    "log stdout format raw local0 info",
    `maxconn ${config.maxConnections}`,
    `stats socket ${config.paths.runtimeDirectory}/admin.sock mode 600 level user`,
    // The streaming body limit for requests without Content-Length (edge/bodyLimitFilter.ts); one Lua state per
    // thread, so concurrent uploads do not queue on a shared Lua lock.
    `lua-load-per-thread ${config.paths.bodyLimitScript}`,
    "ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets",
    `ssl-default-bind-ciphers ${TLS12_CIPHERS}`,
    `ssl-default-bind-ciphersuites ${TLS13_CIPHERSUITES}`,
    "ssl-default-server-options ssl-min-ver TLSv1.2",
    `ssl-default-server-ciphers ${TLS12_CIPHERS}`,
    `ssl-default-server-ciphersuites ${TLS13_CIPHERSUITES}`,
  ]);
}

function defaultsSection(config: EdgeProxyConfig): string {
  const { timeouts } = config;
  return section("defaults", [
    "mode http",
    "log global",
    "option dontlognull",
    `timeout connect ${timeouts.connectMs}ms`,
    // Client and server timeouts are inactivity timeouts: a long upload that keeps moving is never cut. In HAProxy
    // 2.6 the client timeout also bounds the TLS handshake, so it stays short.
    `timeout client ${timeouts.clientMs}ms`,
    `timeout server ${timeouts.serverMs}ms`,
    `timeout http-request ${timeouts.httpRequestMs}ms`,
    `timeout http-keep-alive ${timeouts.keepAliveMs}ms`,
    `timeout queue ${timeouts.queueMs}ms`,
    `timeout check ${config.healthCheck.timeoutMs}ms`,
    // A request whose connection to a dead node fails is sent to the other node.
    "retries 3",
    "option redispatch 1",
  ]);
}

/** Drops client-supplied forwarding headers unless the client is a trusted load balancer; `option forwardfor` then adds ours. */
function forwardingHeaderRules(config: EdgeProxyConfig): string[] {
  const trusted = config.trustedProxyCidrs;
  const condition = trusted.length === 0 ? "" : " unless trusted_proxy";
  return [
    ...(trusted.length === 0 ? [] : [`acl trusted_proxy src ${trusted.join(" ")}`]),
    ...FORWARDING_HEADERS.map((header) => `http-request del-header ${header}${condition}`),
    "option forwardfor",
  ];
}

/** Re-resolves node names at run time, so a pod starts even while Cloud Connect's DNS is briefly unavailable. */
function resolversSection(): string {
  return section(`resolvers ${RESOLVERS}`, ["parse-resolv-conf", "hold valid 10s"]);
}

function monitorFrontend(config: EdgeProxyConfig): string {
  return section("frontend monitor", [
    `bind ${config.listenAddress}:${config.monitorPort}`,
    `monitor-uri ${config.monitorPath}`,
  ]);
}

function publicFrontend(config: EdgeProxyConfig): string {
  const { rateLimit } = config;
  return section("frontend webex_connect", [
    `bind ${config.listenAddress}:${config.listenPort} ssl crt ${config.paths.frontCertificate} alpn h2,http/1.1`,
    // Refused before the TLS handshake: clients outside the allow-list cost nothing.
    `acl allowed_client src ${config.allowedClientCidrs.join(" ")}`,
    "tcp-request connection reject if !allowed_client",
    `stick-table type ipv6 size 100k expire ${rateLimit.periodSeconds}s store http_req_rate(${rateLimit.periodSeconds}s)`,
    "http-request track-sc0 src",
    `http-request deny deny_status 429 if { sc_http_req_rate(0) gt ${rateLimit.maxRequests} }`,
    // The body limit: on the declared length at once, and on the bytes received when no length is declared.
    `http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${config.maxBodyBytes} }`,
    `filter lua.${BODY_LIMIT_FILTER} ${config.maxBodyBytes}`,
    `capture request header ${config.trackingIdHeader} len 128`,
    `log-format "${LOG_FORMAT}"`,
    ...forwardingHeaderRules(config),
    "http-request set-header X-Forwarded-Proto https",
    "http-request set-header X-Forwarded-Host %[req.hdr(host)]",
    `default_backend ${BACKEND}`,
  ]);
}

function cloudConnectBackend(config: EdgeProxyConfig): string {
  const { healthCheck, paths } = config;
  const checkPort = healthCheck.port === undefined ? "" : ` port ${healthCheck.port}`;
  // mTLS: the proxy presents its client certificate and accepts only nodes whose certificate the CA signed.
  // A node whose connects fail `fall` times in a row on live traffic is taken out at once, without waiting for checks.
  const defaultServer = [
    "default-server",
    `check inter ${healthCheck.intervalMs}ms fall ${healthCheck.fall} rise ${healthCheck.rise}${checkPort}`,
    `observe layer4 error-limit ${healthCheck.fall} on-error mark-down`,
    `ssl verify required ca-file ${paths.cloudConnectCa} crt ${paths.cloudConnectClientCertificate}`,
    "alpn h2,http/1.1 check-ssl check-alpn http/1.1",
    `resolvers ${RESOLVERS} init-addr last,libc,none`,
  ].join(" ");
  const servers = config.cloudConnectNodes.map((node) => {
    const tlsName = node.tlsServerName ?? node.host;
    const backup = node.backup ? " backup" : "";
    return `server ${node.name} ${node.host}:${node.port} sni str(${tlsName}) check-sni ${tlsName} verifyhost ${tlsName}${backup}`;
  });
  return section(`backend ${BACKEND}`, [
    `balance ${config.balance}`,
    // A fresh connection per request, closed after the answer: a request never waits on a kept-alive connection to
    // a node that has since hung; it waits at most connectMs and goes to the other node.
    "option http-server-close",
    "option httpchk",
    `http-check send meth GET uri ${healthCheck.path} ver HTTP/1.1 hdr Host ${config.publicHostname}`,
    `http-check expect status ${healthCheck.expectStatus}`,
    defaultServer,
    ...servers,
  ]);
}

/** The complete haproxy.cfg for a config that parseEdgeProxyConfig already validated. */
export function renderValidHaproxyConfig(config: EdgeProxyConfig): string {
  const sections = [
    "# Generated by edge/haproxyConfig.ts; edit the edge configuration, not this file.",
    globalSection(config),
    defaultsSection(config),
    resolversSection(),
    monitorFrontend(config),
    publicFrontend(config),
    cloudConnectBackend(config),
  ];
  return `${sections.join("\n\n")}\n`;
}

/** Validates `input` and renders haproxy.cfg; throws an error naming each bad field under `argPath`. */
export function renderHaproxyConfig(input: EdgeProxyConfigInput, argPath?: string): string {
  return renderValidHaproxyConfig(parseEdgeProxyConfig(input, argPath));
}
