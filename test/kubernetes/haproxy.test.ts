/**
 * Proves the generated haproxy.cfg with the real haproxy binary on loopback: HTTP/2 over TLS 1.2+, mTLS to two fake
 * Cloud Connect nodes, failover, a 100 MB body, forwarded headers and the tracking ID, allow-list and rate limit, and
 * the limits that must hold against hostile clients: the body limit whatever the framing, the bound on silent
 * connections, forwarding headers a client cannot spoof, and the cost of a hung node.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { BODY_LIMIT_SCRIPT, BODY_LIMIT_SCRIPT_FILE } from "../../edge/bodyLimitFilter";
import { renderHaproxyConfig } from "../../edge/haproxyConfig";
import {
  EdgeProxyConfig,
  EdgeProxyConfigInput,
  MIN_BODY_LIMIT_BYTES,
  parseEdgeProxyConfig,
} from "../../edge/types";
import {
  connectH2,
  connectTls,
  h1ChunkedPost,
  h2Exchange,
  h2Request,
  heldOpenMs,
  Outcome,
  repeatedChunks,
} from "./haproxy/clients";
import {
  FakeNode,
  FakeNodeProcess,
  HEALTH_PATH,
  startFakeNode,
  startFakeNodeProcess,
} from "./haproxy/fakeNodes";
import { requireHaproxy, RunningHaproxy, startHaproxy } from "./haproxy/haproxyProcess";
import { ALLOWED_CLIENT, eventually, freePort, LOOPBACK } from "./haproxy/loopback";
import { createPki, nodeServerName, TestPki } from "./haproxy/pki";

jest.setTimeout(120_000);

const FRONT_HOST = "edge.cce.test";
const NODE_NAMES = ["publisher", "subscriber"];
/** A node in its own process, stopped mid-test. */
const HANGING_NODE = "hanging";
const MEBIBYTE = 1024 * 1024;
const CHECK_INTERVAL_MS = 500;
const CHECK_FALL = 2;
/** Two failed checks plus one check timeout, with slack for a loaded machine. */
const FAILOVER_WINDOW_MS = CHECK_INTERVAL_MS * CHECK_FALL + CHECK_INTERVAL_MS + 1500;
const RATE_LIMIT = 5;
/** The edge's defaults, for the figures the tests hold the defaults to. */
const DEFAULTS: EdgeProxyConfig = parseEdgeProxyConfig({
  publicHostname: FRONT_HOST,
  cloudConnectNodes: [{ name: "publisher", host: "cc-pub.example.com" }],
  allowedClientCidrs: [`${ALLOWED_CLIENT}/32`],
});
/** The longest a silent client may hold a connection with the default knobs (docs/edge.md). */
const SILENT_CLIENT_BOUND_MS = 30_000;
/** Slack for timings on a loaded two-core machine; every bound below still fails on the old defaults. */
const TIMING_SLACK_MS = 1500;
/** A TLS record header announcing a 512-byte handshake, then one byte of a ClientHello: a handshake that stalls. */
const PARTIAL_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]);
/** Spoofed forwarding headers a client might send to pass for someone else. */
const SPOOFED = {
  "x-forwarded-for": "203.0.113.66",
  forwarded: "for=203.0.113.66;proto=https",
  "x-real-ip": "203.0.113.66",
};

let workDir: string;
let pki: TestPki;
const nodes = new Map<string, FakeNode>();
const proxies: RunningHaproxy[] = [];

/** A node on loopback, verified by the name in its test certificate. */
function loopbackNode(name: string, port: number) {
  return { name, host: LOOPBACK, port, tlsServerName: nodeServerName(name) };
}

/** The edge config the tests run: short health checks so failover shows within seconds. */
function edgeConfig(listenPort: number, monitorPort: number, overrides: Partial<EdgeProxyConfigInput> = {}) {
  return {
    publicHostname: FRONT_HOST,
    listenAddress: LOOPBACK,
    listenPort,
    monitorPort,
    cloudConnectNodes: NODE_NAMES.map((name) => loopbackNode(name, nodes.get(name)?.port ?? 443)),
    allowedClientCidrs: [`${ALLOWED_CLIENT}/32`],
    // The smallest limit allowed, so the over-limit uploads below stay near 100 MiB.
    maxBodyBytes: MIN_BODY_LIMIT_BYTES,
    // A request to a node that does not answer goes to the other one within a check interval.
    timeouts: { connectMs: CHECK_INTERVAL_MS },
    healthCheck: {
      path: HEALTH_PATH,
      intervalMs: CHECK_INTERVAL_MS,
      timeoutMs: CHECK_INTERVAL_MS,
      fall: CHECK_FALL,
      rise: 1,
    },
    paths: {
      frontCertificate: pki.frontCertificate,
      cloudConnectClientCertificate: pki.clientCertificate,
      cloudConnectCa: pki.caPem,
      runtimeDirectory: workDir,
      bodyLimitScript: path.join(workDir, BODY_LIMIT_SCRIPT_FILE),
    },
    ...overrides,
  } satisfies EdgeProxyConfigInput;
}

async function launch(fileName: string, overrides: Partial<EdgeProxyConfigInput> = {}) {
  const listenPort = await freePort();
  const monitorPort = await freePort();
  const configPath = path.join(workDir, fileName);
  fs.writeFileSync(configPath, renderHaproxyConfig(edgeConfig(listenPort, monitorPort, overrides)));
  const proxy = await startHaproxy(configPath, monitorPort);
  proxies.push(proxy);
  return { listenPort, proxy };
}

const get = (pathName: string, extra: Record<string, string> = {}) => ({
  ":method": "GET",
  ":path": pathName,
  ...extra,
});

function allReceived() {
  return NODE_NAMES.flatMap((name) => nodes.get(name)!.requests);
}

function receivedWith(trackingId: string) {
  return allReceived().find((request) => request.headers.trackingid === trackingId);
}

/** The status the edge logged for the request to `url` (its log line ends with the quoted request line). */
async function loggedStatus(proxy: RunningHaproxy, url: string): Promise<string | undefined> {
  const line = () =>
    proxy
      .output()
      .split("\n")
      .find((text) => text.includes(`${url} HTTP/`));
  await eventually(() => line() !== undefined, 50, 100);
  return / -?\d+\/-?\d+\/-?\d+\/-?\d+\/-?\d+ (\d{3}) /.exec(line() ?? "")?.[1];
}

/** No node got the whole body of `url`; what a node got of it before the cut stayed within the limit. */
function expectCutAtLimit(url: string): void {
  expect(allReceived().filter((request) => request.url === url)).toEqual([]);
  const cut = NODE_NAMES.flatMap((name) => nodes.get(name)!.cutBodies).filter((body) => body.url === url);
  for (const body of cut) expect(body.bodyBytes).toBeLessThanOrEqual(MIN_BODY_LIMIT_BYTES);
}

beforeAll(async () => {
  requireHaproxy();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-haproxy-"));
  pki = createPki(workDir, FRONT_HOST, [...NODE_NAMES, HANGING_NODE]);
  fs.writeFileSync(path.join(workDir, BODY_LIMIT_SCRIPT_FILE), BODY_LIMIT_SCRIPT);
  for (const name of NODE_NAMES) nodes.set(name, await startFakeNode(name, pki));
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await Promise.all([...nodes.values()].map((node) => node.kill()));
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("haproxy -c accepts the generated config", () => {
  const examples: Array<[string, Partial<EdgeProxyConfigInput>]> = [
    [
      "the defaults",
      { listenAddress: undefined, listenPort: undefined, monitorPort: undefined, healthCheck: undefined },
    ],
    [
      "DNS-named nodes with a backup, a separate check port and least-connections",
      {
        cloudConnectNodes: [
          { name: "publisher", host: "cc-pub.example.com", port: 8445 },
          { name: "subscriber", host: "cc-sub.example.com", port: 8445, backup: true },
        ],
        healthCheck: { path: "/status?probe=edge", port: 8446, expectStatus: "200,204" },
        balance: "leastconn",
      },
    ],
    [
      "IPv6 allow-list entries, a strict rate limit and long upload timeouts",
      {
        allowedClientCidrs: ["203.0.113.0/24", "2001:db8::/32"],
        rateLimit: { maxRequests: 50, periodSeconds: 60 },
        maxBodyBytes: 110 * MEBIBYTE,
        timeouts: { connectMs: CHECK_INTERVAL_MS, clientMs: 60_000, serverMs: 900_000 },
        trackingIdHeader: "x-tracking-id",
      },
    ],
    [
      "trusted load balancers whose forwarding headers are kept",
      { trustedProxyCidrs: ["10.0.0.0/8", "2001:db8:1::/48"] },
    ],
  ];

  it.each(examples)("%s", (label, overrides) => {
    const configPath = path.join(workDir, `check-${label.replace(/\W+/g, "-")}.cfg`);
    fs.writeFileSync(configPath, renderHaproxyConfig(edgeConfig(8443, 8404, overrides)));
    const check = spawnSync("haproxy", ["-c", "-f", configPath], { encoding: "utf8" });
    const output = `${check.stdout}${check.stderr}`;
    expect(check.status).toBe(0);
    expect(output).toContain("Configuration file is valid");
    // Clean: no warning or alert, but for example.com names that do not resolve here (init-addr none starts anyway).
    const complaints = output
      .split("\n")
      .filter(
        (line) =>
          /\[(WARNING|ALERT)\]/.test(line) &&
          !/could not resolve address '[a-z.-]+\.example\.com'/.test(line),
      );
    expect(complaints).toEqual([]);
  });
});

/** How long the edge held a silent and a stalled-handshake connection under the default timeouts; see the last test. */
let defaultBoundProbes: Promise<number[]> | undefined;

function probeSilentClients(listenPort: number): Promise<number[]> {
  const limitMs = SILENT_CLIENT_BOUND_MS + 15_000;
  return Promise.all([
    heldOpenMs(listenPort, undefined, limitMs),
    heldOpenMs(listenPort, PARTIAL_CLIENT_HELLO, limitMs),
  ]);
}

describe("the edge in front of two Cloud Connect nodes", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await launch("edge.cfg"));
    // Opened now and judged by the last test, so the default bound is proven while the other tests run.
    defaultBoundProbes = probeSilentClients(listenPort);
    // Both nodes must be up (checks passed over mTLS) before traffic is judged.
    const healthy = await eventually(
      () => NODE_NAMES.every((name) => nodes.get(name)!.healthChecks > 0),
      50,
      100,
    );
    expect(healthy).toBe(true);
  });

  it("serves HTTP/2 over TLS 1.2+ and reaches the nodes with the proxy's client certificate", async () => {
    const session = connectH2(listenPort, pki.caPem);
    try {
      const responses = [];
      for (let index = 0; index < 4; index += 1)
        responses.push(await h2Request(session, get(`/api/${index}`)));
      expect(session.alpnProtocol).toBe("h2");
      expect(["TLSv1.2", "TLSv1.3"]).toContain((session.socket as tls.TLSSocket).getProtocol());
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      // Round robin: both nodes took traffic, each authenticated by the client certificate.
      const servedBy = new Set(responses.map((response) => JSON.parse(response.body).node));
      expect(servedBy).toEqual(new Set(NODE_NAMES));
      const subjects = NODE_NAMES.flatMap((name) =>
        nodes.get(name)!.requests.map((r) => r.clientCertificateSubject),
      );
      expect(new Set(subjects)).toEqual(new Set(["cloud-connect-edge"]));
    } finally {
      session.close();
    }
  });

  it("refuses TLS 1.1 and accepts TLS 1.2", async () => {
    const handshake = (version: tls.SecureVersion) =>
      new Promise<string>((resolve) => {
        const socket = connectTls(listenPort, pki.caPem, ALLOWED_CLIENT, {
          minVersion: version,
          maxVersion: version,
          // Lets this client offer TLS 1.1 at all, so the refusal is the proxy's.
          ciphers: "DEFAULT@SECLEVEL=0",
        });
        socket.on("secureConnect", () => {
          resolve(`connected ${socket.getProtocol()}`);
          socket.end();
        });
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(`refused ${error.code}`));
      });
    expect(await handshake("TLSv1.1")).toBe("refused ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
    expect(await handshake("TLSv1.2")).toBe("connected TLSv1.2");
  });

  it("forwards X-Forwarded-For/Proto/Host and the tracking ID, and logs the tracking ID", async () => {
    const trackingId = `test-${process.pid}-${Date.now()}`;
    const session = connectH2(listenPort, pki.caPem);
    try {
      const response = await h2Request(session, get("/api/tracked", { trackingid: trackingId }));
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const received = receivedWith(trackingId);
    expect(received?.headers["x-forwarded-for"]).toBe(ALLOWED_CLIENT);
    expect(received?.headers["x-forwarded-proto"]).toBe("https");
    expect(received?.headers["x-forwarded-host"]).toBe(`${LOOPBACK}:${listenPort}`);
    expect(await eventually(() => proxy.output().includes(`trackingid=${trackingId}`), 50, 100)).toBe(true);
  });

  it("drops forwarding headers a client sent, so Cloud Connect sees only the address the edge saw", async () => {
    const trackingId = `spoof-${process.pid}-${Date.now()}`;
    const session = connectH2(listenPort, pki.caPem);
    try {
      const response = await h2Request(session, get("/api/spoofed", { trackingid: trackingId, ...SPOOFED }));
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const received = receivedWith(trackingId);
    expect(received?.headers["x-forwarded-for"]).toBe(ALLOWED_CLIENT);
    expect(received?.headers.forwarded).toBeUndefined();
    expect(received?.headers["x-real-ip"]).toBeUndefined();
  });

  it("refuses clients outside the allow-list before any request reaches a node", async () => {
    const requestsBefore = NODE_NAMES.map((name) => nodes.get(name)!.requests.length);
    const session = connectH2(listenPort, pki.caPem, LOOPBACK);
    const outcome = await new Promise<string>((resolve) => {
      session.on("error", (error: NodeJS.ErrnoException) => resolve(`refused ${error.code}`));
      session.on("connect", () => resolve("connected"));
    });
    session.destroy();
    expect(outcome).toBe("refused ECONNRESET");
    expect(NODE_NAMES.map((name) => nodes.get(name)!.requests.length)).toEqual(requestsBefore);

    const allowed = connectH2(listenPort, pki.caPem, ALLOWED_CLIENT);
    try {
      expect((await h2Request(allowed, get("/api/allowed"))).status).toBe(200);
    } finally {
      allowed.close();
    }
  });

  it("passes a 100 MB request body, streamed", async () => {
    const chunk = Buffer.alloc(MEBIBYTE, 0x61);
    const chunks = 100;
    const session = connectH2(listenPort, pki.caPem);
    try {
      const response = await h2Request(
        session,
        { ":method": "POST", ":path": "/api/attachment", "content-length": String(chunks * MEBIBYTE) },
        repeatedChunks(chunk, chunks),
      );
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).bodyBytes).toBe(chunks * MEBIBYTE);
    } finally {
      session.close();
    }
  });

  it("answers 413 when the declared body exceeds the configured maximum", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = https.request({
        host: LOOPBACK,
        port: listenPort,
        localAddress: ALLOWED_CLIENT,
        ca: fs.readFileSync(pki.caPem),
        method: "POST",
        path: "/api/too-large",
        headers: { "content-length": String(129 * MEBIBYTE) },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it("cuts an HTTP/1.1 chunked upload once it exceeds the maximum, before Cloud Connect has it all", async () => {
    const outcome = await h1ChunkedPost(
      listenPort,
      pki.caPem,
      "/api/chunked-too-large",
      repeatedChunks(Buffer.alloc(MEBIBYTE, 0x62), MIN_BODY_LIMIT_BYTES / MEBIBYTE + 8),
    );
    // HAProxy answers 413 and closes; the client, still sending, may see the reset before it reads the answer.
    expect([outcome.status, outcome.error]).toEqual(
      outcome.status === undefined
        ? [undefined, expect.stringMatching(/^(ECONNRESET|EPIPE)$/)]
        : [413, undefined],
    );
    expect(await loggedStatus(proxy, "/api/chunked-too-large")).toBe("413");
    expectCutAtLimit("/api/chunked-too-large");
  });

  /** Streams `mebibytes` MiB to `url` over HTTP/2 without Content-Length, on a session of its own. */
  async function h2UploadWithoutLength(url: string, mebibytes: number): Promise<Outcome> {
    const session = connectH2(listenPort, pki.caPem);
    try {
      const body = repeatedChunks(Buffer.alloc(MEBIBYTE, 0x63), mebibytes);
      return await h2Exchange(session, { ":method": "POST", ":path": url }, 60_000, body);
    } finally {
      session.destroy();
    }
  }

  it("cuts an HTTP/2 upload without Content-Length once it exceeds the maximum", async () => {
    const outcome = await h2UploadWithoutLength("/api/h2-too-large", MIN_BODY_LIMIT_BYTES / MEBIBYTE + 8);
    expect(outcome.status).toBe(413);
    expect(await loggedStatus(proxy, "/api/h2-too-large")).toBe("413");
    expectCutAtLimit("/api/h2-too-large");
  });

  it("refuses an HTTP/2 body longer than the Content-Length it declared", async () => {
    const session = connectH2(listenPort, pki.caPem);
    try {
      const outcome = await h2Exchange(
        session,
        { ":method": "POST", ":path": "/api/h2-longer-than-declared", "content-length": String(MEBIBYTE) },
        30_000,
        repeatedChunks(Buffer.alloc(MEBIBYTE, 0x66), 2),
      );
      // HAProxy's HTTP/2 parser resets the stream (PROTOCOL_ERROR) at the first byte past the declared length.
      expect(outcome).toMatchObject({ status: undefined, error: "ERR_HTTP2_STREAM_ERROR" });
    } finally {
      session.destroy();
    }
    const received = allReceived().filter((request) => request.url === "/api/h2-longer-than-declared");
    expect(received.filter((request) => request.bodyBytes > MEBIBYTE)).toEqual([]);
  });

  it("passes an HTTP/2 upload without Content-Length of exactly the maximum, intact", async () => {
    const outcome = await h2UploadWithoutLength("/api/h2-at-limit", MIN_BODY_LIMIT_BYTES / MEBIBYTE);
    expect(outcome).toMatchObject({ status: 200 });
    const received = allReceived().filter((request) => request.url === "/api/h2-at-limit");
    expect(received.map((request) => request.bodyBytes)).toEqual([MIN_BODY_LIMIT_BYTES]);
  });

  it("fails over to the other node within the health-check window, with no failed request after it", async () => {
    const killedAt = Date.now();
    await nodes.get("publisher")!.kill();
    const detected = await eventually(
      () => /Server cloud_connect\/publisher is DOWN/.test(proxy.output()),
      Math.ceil(FAILOVER_WINDOW_MS / 50),
      50,
    );
    expect(detected).toBe(true);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(FAILOVER_WINDOW_MS);

    const session = connectH2(listenPort, pki.caPem);
    try {
      const responses = [];
      for (let index = 0; index < 20; index += 1)
        responses.push(await h2Request(session, get(`/api/after/${index}`)));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      expect(new Set(responses.map((response) => JSON.parse(response.body).node))).toEqual(
        new Set(["subscriber"]),
      );
    } finally {
      session.close();
    }
  });
});

describe("the rate limit", () => {
  it(`answers 429 past ${RATE_LIMIT} requests per source address in the period`, async () => {
    const { listenPort } = await launch("rate-limited.cfg", {
      rateLimit: { maxRequests: RATE_LIMIT, periodSeconds: 60 },
      cloudConnectNodes: [loopbackNode("subscriber", nodes.get("subscriber")!.port)],
    });
    const session = connectH2(listenPort, pki.caPem);
    try {
      const statuses = [];
      for (let index = 0; index < RATE_LIMIT + 3; index += 1) {
        statuses.push((await h2Request(session, get(`/api/rate/${index}`))).status);
      }
      expect(statuses).toEqual([...Array(RATE_LIMIT).fill(200), 429, 429, 429]);
    } finally {
      session.close();
      await once(session, "close");
    }
  });
});

describe("forwarding headers from a trusted load balancer", () => {
  it("keeps the load balancer's X-Forwarded-For and appends the address the edge saw", async () => {
    const { listenPort } = await launch("trusted-proxy.cfg", { trustedProxyCidrs: [`${ALLOWED_CLIENT}/32`] });
    const trackingId = `trusted-${process.pid}-${Date.now()}`;
    const session = connectH2(listenPort, pki.caPem);
    try {
      const response = await h2Request(session, get("/api/trusted", { trackingid: trackingId, ...SPOOFED }));
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const received = receivedWith(trackingId);
    expect(received?.headers["x-forwarded-for"]).toBe(`${SPOOFED["x-forwarded-for"]}, ${ALLOWED_CLIENT}`);
    expect(received?.headers.forwarded).toBe(SPOOFED.forwarded);
  });
});

describe("a client that stays silent", () => {
  const CLIENT_MS = 1000;
  const HTTP_REQUEST_MS = 2000;
  let listenPort: number;

  beforeAll(async () => {
    ({ listenPort } = await launch("silent-clients.cfg", {
      timeouts: { connectMs: CHECK_INTERVAL_MS, clientMs: CLIENT_MS, httpRequestMs: HTTP_REQUEST_MS },
    }));
  });

  it.each([
    ["a TCP connection that sends nothing", undefined],
    ["a ClientHello that stops half-way", PARTIAL_CLIENT_HELLO],
  ])("is disconnected within clientMs: %s", async (_case, firstBytes) => {
    const heldMs = await heldOpenMs(listenPort, firstBytes, 20_000);
    expect(heldMs).toBeGreaterThanOrEqual(CLIENT_MS - 100);
    expect(heldMs).toBeLessThanOrEqual(CLIENT_MS + TIMING_SLACK_MS);
  });

  it.each([
    ["HTTP/2", "h2", HTTP_REQUEST_MS],
    ["HTTP/1.1", "http/1.1", CLIENT_MS],
  ])("is disconnected after an %s handshake without a request", async (_protocol, alpn, boundMs) => {
    const socket = connectTls(listenPort, pki.caPem, ALLOWED_CLIENT, { ALPNProtocols: [alpn] });
    socket.on("error", () => undefined);
    await once(socket, "secureConnect");
    expect(socket.alpnProtocol).toBe(alpn);
    const handshakeDone = Date.now();
    socket.resume();
    await Promise.race([once(socket, "close"), new Promise((resolve) => setTimeout(resolve, 20_000))]);
    const heldMs = Date.now() - handshakeDone;
    socket.destroy();
    expect(heldMs).toBeLessThanOrEqual(boundMs + TIMING_SLACK_MS);
  });

  it("does not cut an upload that keeps moving, nor an answer that takes longer than clientMs", async () => {
    async function* trickle(): AsyncIterable<Buffer> {
      for (let index = 0; index < 15; index += 1) {
        await new Promise((resolve) => setTimeout(resolve, CLIENT_MS / 5));
        yield Buffer.alloc(1024, 0x65);
      }
    }
    const session = connectH2(listenPort, pki.caPem);
    try {
      const upload = await h2Exchange(
        session,
        { ":method": "POST", ":path": "/api/trickle", "content-length": String(15 * 1024) },
        30_000,
        trickle(),
      );
      expect(upload).toMatchObject({ status: 200 });
      expect(upload.elapsedMs).toBeGreaterThan(2 * CLIENT_MS);
      const slowAnswer = await h2Exchange(session, get(`/slow/${3 * CLIENT_MS}/answer`), 30_000);
      expect(slowAnswer).toMatchObject({ status: 200 });
    } finally {
      session.close();
    }
  });
});

describe("a Cloud Connect node that hangs (process stopped, socket open)", () => {
  let hanging: FakeNodeProcess;

  afterAll(async () => {
    await hanging?.kill();
  });

  it("costs each request at most one health-check interval and is taken out within one", async () => {
    hanging = await startFakeNodeProcess(HANGING_NODE, pki);
    // The default timing knobs: they are what this test holds to its promise.
    const { listenPort, proxy } = await launch("hanging-node.cfg", {
      healthCheck: { path: HEALTH_PATH },
      cloudConnectNodes: [
        loopbackNode(HANGING_NODE, hanging.port),
        loopbackNode("subscriber", nodes.get("subscriber")!.port),
      ],
    });
    const session = connectH2(listenPort, pki.caPem);
    try {
      // Both nodes serve before the hang, so connections to the hanging one exist.
      const warmUp = [];
      for (let index = 0; index < 6; index += 1)
        warmUp.push(await h2Request(session, get(`/api/warm/${index}`)));
      expect(new Set(warmUp.map((response) => JSON.parse(response.body).node))).toEqual(
        new Set([HANGING_NODE, "subscriber"]),
      );

      hanging.hang();
      const hungAt = Date.now();
      const bound = DEFAULTS.healthCheck.intervalMs + TIMING_SLACK_MS;
      const markedDownAfterMs = eventually(
        () => proxy.output().includes(`Server cloud_connect/${HANGING_NODE} is DOWN`),
        200,
        50,
      ).then((down) => (down ? Date.now() - hungAt : Number.POSITIVE_INFINITY));
      const outcomes = [];
      for (let wave = 0; wave < 4; wave += 1) {
        const requests = Array.from({ length: 5 }, (_, index) =>
          h2Exchange(session, get(`/api/during-hang/${wave}/${index}`), 15_000),
        );
        outcomes.push(...(await Promise.all(requests)));
      }
      expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
      expect(Math.max(...outcomes.map((outcome) => outcome.elapsedMs))).toBeLessThanOrEqual(bound);
      expect(await markedDownAfterMs).toBeLessThanOrEqual(bound);
    } finally {
      session.destroy();
    }
  });
});

describe("the default bound on silent clients", () => {
  it("disconnected a silent connection and a stalled handshake within clientMs (opened when the edge started)", async () => {
    // When the edge above did not run (a filtered run), probe an edge of its own, waiting out the bound here.
    const heldMs = await (defaultBoundProbes ??
      probeSilentClients((await launch("default-bound.cfg")).listenPort));
    for (const held of heldMs) expect(held).toBeLessThanOrEqual(SILENT_CLIENT_BOUND_MS + TIMING_SLACK_MS);
  });
});
