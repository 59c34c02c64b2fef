/**
 * Renders haproxy.cfg for the Cloud Connect edge from a validated config. Pure: the same text serves the
 * container (mounted Secret paths) and the tests (temp files), which run it through the real haproxy binary.
 *
 * A request crosses the edge twice: the public frontend (TLS, HTTP/2, every limit and check on the client, the log
 * line) hands it over a Unix socket to the relay frontend, whose backend holds the Cloud Connect nodes. The hop is
 * there for HAProxy 2.6's answer to a node that closes after it received a request: on a client connection that
 * already carried a request (every HTTP/2 stream counts as one) it sends no answer and no log line, and an HTTP/2
 * client is told REFUSED_STREAM, "not processed, safe to retry", so it sends the request again. Each relay
 * connection carries one request, so the relay frontend always answers 502 instead, which the public frontend
 * passes on and logs.
 */
import { BODY_LIMIT_FILTER, TRAILERS_FILTER } from "./bodyLimitFilter";
import { CLIENT_ADDRESS_HEADERS, KEPT_FROM_TRUSTED_PROXIES } from "./clientAddressHeaders";
import { EdgeProxyConfig, EdgeProxyConfigInput, parseEdgeProxyConfig } from "./types";

const BACKEND = "cloud_connect";
const RESOLVERS = "cloud_connect_dns";
const RELAY = "relay";
const RELAY_FRONTEND = "relay_in";
/** Holds one entry per source address, referenced by each of its requests in flight. */
const REQUESTS_TABLE = "per_source_requests";
/** Set by the relay frontend on every answer, logged by the public one, never sent to the client. */
const NODE_HEADER = "X-Edge-Node";
/** Connections the kubelet's probes may hold on the monitor port. */
const MONITOR_CONNECTIONS = 16;
/** Connection attempts to a node a request may make; only a request no node received is ever retried. */
const RETRIES = 3;

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

/**
 * The request log line, with the Webex Connect tracking ID so a request can be followed into Cloud Connect. Every
 * client-sent field is encoded so it stays one field: the tracking ID URL-encoded, the request line quoted (HAProxy
 * encodes its quotes and control bytes). `node=` is the node the relay sent the request to.
 */
const LOG_FORMAT =
  "%ci:%cp [%tr] %ft node=%[capture.res.hdr(0)] %TR/%Tw/%Tc/%Tr/%Ta %ST %B %U %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq " +
  "trackingid=%[capture.req.hdr(0),url_enc] %{+Q}r";

/** Control bytes but tab, CR and LF (HAProxy's parsers hold those to the framing), as a PCRE class. */
const CONTROL_BYTES = "[\\\\x00-\\\\x08\\\\x0b\\\\x0c\\\\x0e-\\\\x1f\\\\x7f]";

function section(header: string, lines: string[]): string {
  return [header, ...lines.map((line) => `    ${line}`)].join("\n");
}

/** Connections the relay may hold: every node's limit, so the relay never queues while a node has room. */
function relayConnections(config: EdgeProxyConfig): number {
  return config.nodeMaxConnections * config.cloudConnectNodes.length;
}

function relaySocket(config: EdgeProxyConfig): string {
  return `unix@${config.paths.runtimeDirectory}/relay.sock`;
}

function globalSection(config: EdgeProxyConfig): string {
  return section("global", [
    // Logs go to stdout, where the container runtime collects them.
    "log stdout format raw local0 info",
    `maxconn ${config.maxConnections + relayConnections(config) + MONITOR_CONNECTIONS}`,
    `stats socket ${config.paths.runtimeDirectory}/admin.sock mode 600 level user`,
    // The streaming body limits (edge/bodyLimitFilter.ts); one Lua state per thread, so concurrent uploads do not
    // queue on a shared Lua lock.
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
    // Client and server timeouts are inactivity timeouts: a long upload that keeps moving is never cut (the body
    // filter bounds its total time). In HAProxy 2.6 the client timeout also bounds the TLS handshake.
    `timeout client ${timeouts.clientMs}ms`,
    `timeout server ${timeouts.serverMs}ms`,
    `timeout http-request ${timeouts.httpRequestMs}ms`,
    `timeout http-keep-alive ${timeouts.keepAliveMs}ms`,
    `timeout queue ${timeouts.queueMs}ms`,
    `timeout check ${config.healthCheck.timeoutMs}ms`,
    // Only a request whose connection failed, so that no node received it, is sent again, to the other node. Any
    // other retry-on event would resend a request a node may have acted on: a duplicate CCE task.
    `retries ${RETRIES}`,
    "retry-on conn-failure",
    "option redispatch 1",
    // A request whose client left while it waited for a connection is dropped, not sent late to a node.
    "option abortonclose",
  ]);
}

/** A PCRE alternation matching any of `names` (lower-case, as HAProxy stores them), '-' and '_' alike. */
function headerNamePattern(names: readonly string[]): string {
  return names.map((name) => name.replace(/[-_]/g, "[-_]")).join("|");
}

/**
 * Drops every header a client may use to claim an address, whatever its spelling (X-Forwarded-For, X_Forwarded_For,
 * True-Client-IP, …); `option forwardfor` then adds the edge's. A trusted load balancer keeps its
 * X-Forwarded-For, Forwarded and X-Real-IP, exactly spelled.
 */
function forwardingHeaderRules(config: EdgeProxyConfig): string[] {
  const all = `^(${headerNamePattern(CLIENT_ADDRESS_HEADERS)})$`;
  if (config.trustedProxyCidrs.length === 0) {
    return [`http-request del-header ${all} -m reg`, "option forwardfor"];
  }
  const kept = KEPT_FROM_TRUSTED_PROXIES.join("|");
  return [
    `acl trusted_proxy src ${config.trustedProxyCidrs.join(" ")}`,
    `http-request del-header ${all} -m reg unless trusted_proxy`,
    `http-request del-header ^(?!(${kept})$)(${headerNamePattern(CLIENT_ADDRESS_HEADERS)})$ -m reg if trusted_proxy`,
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
    `maxconn ${MONITOR_CONNECTIONS}`,
    `monitor-uri ${config.monitorPath}`,
  ]);
}

/** The Host a request must name: the edge's FQDN, with a port or without, in any case. */
function hostPattern(config: EdgeProxyConfig): string {
  return `^${config.publicHostname.toLowerCase().replace(/\./g, "\\\\.")}(:[0-9]+)?$`;
}

/** The per-source limits: connections before the TLS handshake, then the request rate and requests in flight. */
function perSourceRules(config: EdgeProxyConfig): string[] {
  const { rateLimit, perSource } = config;
  const period = `${rateLimit.periodSeconds}s`;
  return [
    `stick-table type ipv6 size 100k expire ${period} store conn_cur,http_req_rate(${period})`,
    "tcp-request connection track-sc0 src",
    `tcp-request connection reject if { sc0_conn_cur gt ${perSource.maxConnections} }`,
    `http-request track-sc1 src table ${REQUESTS_TABLE}`,
    `http-request deny deny_status 429 if { sc0_http_req_rate gt ${rateLimit.maxRequests} }`,
    `http-request deny deny_status 429 if { sc1_trackers gt ${perSource.maxConcurrentRequests} }`,
  ];
}

/** What a request must be to reach Cloud Connect: no tunnel, its Host, clean header values, a body within the limits. */
function requestRules(config: EdgeProxyConfig): string[] {
  return [
    // A tunnel (CONNECT, or an upgrade a node accepts with 101) would carry bytes no rule here ever sees.
    "http-request deny deny_status 405 if METH_CONNECT",
    "http-request deny deny_status 400 if { req.hdr(upgrade) -m found } || { req.hdr(connection) -i -m str upgrade }",
    // Exactly one Host, naming the edge: X-Forwarded-Host is only ever built from it.
    "http-request deny deny_status 400 unless { req.hdr_cnt(host) eq 1 }",
    `http-request deny deny_status 421 unless { req.hdr(host),lower -m reg ${hostPattern(config)} }`,
    `http-request deny deny_status 400 if { req.hdrs -m reg ${CONTROL_BYTES} }`,
    // The body limits: on the declared length at once; the filter counts bodies sent without one and cuts a body
    // that takes longer than requestBodyMs.
    `http-request deny deny_status 413 if { req.hdr_val(content-length) gt ${config.maxBodyBytes} }`,
    `filter lua.${BODY_LIMIT_FILTER} ${config.maxBodyBytes} ${config.timeouts.requestBodyMs}`,
  ];
}

function publicFrontend(config: EdgeProxyConfig): string {
  return section("frontend webex_connect", [
    `bind ${config.listenAddress}:${config.listenPort} ssl crt ${config.paths.frontCertificate} alpn h2,http/1.1`,
    `maxconn ${config.maxConnections}`,
    // Refused before the TLS handshake: clients outside the allow-list cost nothing.
    `acl allowed_client src ${config.allowedClientCidrs.join(" ")}`,
    "tcp-request connection reject if !allowed_client",
    ...perSourceRules(config),
    ...requestRules(config),
    `capture request header ${config.trackingIdHeader} len 128`,
    `capture response header ${NODE_HEADER} len 64`,
    `log-format "${LOG_FORMAT}"`,
    ...forwardingHeaderRules(config),
    "http-request set-header X-Forwarded-Proto https",
    "http-request set-header X-Forwarded-Host %[req.hdr(host)]",
    `http-response del-header ${NODE_HEADER}`,
    `default_backend ${RELAY}`,
  ]);
}

/** The table the per-source request count lives in; a backend only to hold it, as HAProxy 2.6 wants. */
function requestsTable(config: EdgeProxyConfig): string {
  return section(`backend ${REQUESTS_TABLE}`, [
    `stick-table type ipv6 size 100k expire ${config.rateLimit.periodSeconds}s`,
  ]);
}

/** The public frontend's way to the relay: one request per connection, never a reused one. */
function relayBackend(config: EdgeProxyConfig): string {
  const { timeouts } = config;
  // The relay answers within its own budget (queue, connection attempts, the node's answer); the wait on it is
  // longer, so the answer (504, 503) comes from the relay, with its node.
  const relayAnswerMs = timeouts.queueMs + (RETRIES + 1) * timeouts.connectMs + timeouts.serverMs + 1000;
  return section(`backend ${RELAY}`, [
    "option http-server-close",
    "http-reuse never",
    `timeout server ${relayAnswerMs}ms`,
    `server ${RELAY} ${relaySocket(config)} maxconn ${relayConnections(config)}`,
  ]);
}

function relayFrontend(config: EdgeProxyConfig): string {
  return section(`frontend ${RELAY_FRONTEND}`, [
    `bind ${relaySocket(config)} mode 600`,
    `maxconn ${relayConnections(config)}`,
    // The public frontend logs the request, with the node that answered (or <NOSRV>).
    "no log",
    // Trailers reach this hop only after a body without a declared length (HTTP/1.1 has no place for them after
    // one with a length). Refused here, once the public frontend sent the whole request: there a refusal during its
    // connection attempt to the relay would be logged with status -1, here it is an answer it logs as it is.
    `filter lua.${TRAILERS_FILTER}`,
    `http-after-response set-header ${NODE_HEADER} %s`,
    `default_backend ${BACKEND}`,
  ]);
}

function cloudConnectBackend(config: EdgeProxyConfig): string {
  const { healthCheck, paths } = config;
  const checkPort = healthCheck.port === undefined ? "" : ` port ${healthCheck.port}`;
  // mTLS: the proxy presents its client certificate and accepts only nodes whose certificate the CA signed.
  // A node whose connects fail `fall` times in a row on live traffic is taken out at once, without waiting for checks.
  // maxconn: a burst queues at the edge instead of piling connections (and TLS handshakes) on a node.
  const defaultServer = [
    "default-server",
    `check inter ${healthCheck.intervalMs}ms fall ${healthCheck.fall} rise ${healthCheck.rise}${checkPort}`,
    `observe layer4 error-limit ${healthCheck.fall} on-error mark-down`,
    `maxconn ${config.nodeMaxConnections}`,
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
    "http-reuse never",
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
    requestsTable(config),
    relayBackend(config),
    relayFrontend(config),
    cloudConnectBackend(config),
  ];
  return `${sections.join("\n\n")}\n`;
}

/** Validates `input` and renders haproxy.cfg; throws an error naming each bad field under `argPath`. */
export function renderHaproxyConfig(input: EdgeProxyConfigInput, argPath?: string): string {
  return renderValidHaproxyConfig(parseEdgeProxyConfig(input, argPath));
}
