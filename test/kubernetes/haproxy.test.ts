/**
 * Proves the generated haproxy.cfg with the real haproxy binary on loopback: HTTP/2 over TLS 1.2+, mTLS to two fake
 * Cloud Connect nodes, failover, a 100 MB body, forwarded headers and the tracking ID, allow-list and rate limit.
 */
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { renderHaproxyConfig } from "../../edge/haproxyConfig";
import { EdgeProxyConfigInput } from "../../edge/types";
import {
  ALLOWED_CLIENT,
  connectH2,
  connectTls,
  createPki,
  eventually,
  FakeNode,
  freePort,
  h2Request,
  HEALTH_PATH,
  LOOPBACK,
  nodeServerName,
  repeatedChunks,
  requireHaproxy,
  RunningHaproxy,
  startFakeNode,
  startHaproxy,
  TestPki,
} from "./haproxyHarness";

jest.setTimeout(120_000);

const FRONT_HOST = "edge.cce.test";
const NODE_NAMES = ["publisher", "subscriber"];
const MEBIBYTE = 1024 * 1024;
const CHECK_INTERVAL_MS = 200;
const CHECK_FALL = 2;
/** Two failed checks plus one check timeout, with slack for a loaded machine. */
const FAILOVER_WINDOW_MS = CHECK_INTERVAL_MS * CHECK_FALL + CHECK_INTERVAL_MS + 1500;
const RATE_LIMIT = 5;

let workDir: string;
let pki: TestPki;
const nodes = new Map<string, FakeNode>();
const proxies: RunningHaproxy[] = [];

/** The edge config the tests run: short health checks so failover shows within seconds. */
function edgeConfig(listenPort: number, monitorPort: number, overrides: Partial<EdgeProxyConfigInput> = {}) {
  return {
    publicHostname: FRONT_HOST,
    listenAddress: LOOPBACK,
    listenPort,
    monitorPort,
    cloudConnectNodes: NODE_NAMES.map((name) => ({
      name,
      host: LOOPBACK,
      port: nodes.get(name)?.port ?? 443,
      tlsServerName: nodeServerName(name),
    })),
    allowedClientCidrs: [`${ALLOWED_CLIENT}/32`],
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

beforeAll(async () => {
  requireHaproxy();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-haproxy-"));
  pki = createPki(workDir, FRONT_HOST, NODE_NAMES);
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
        timeouts: { clientMs: 900_000, serverMs: 900_000 },
        trackingIdHeader: "x-tracking-id",
      },
    ],
  ];

  it.each(examples)("%s", (label, overrides) => {
    const configPath = path.join(workDir, `check-${label.replace(/\W+/g, "-")}.cfg`);
    fs.writeFileSync(configPath, renderHaproxyConfig(edgeConfig(8443, 8404, overrides)));
    const output = execFileSync("haproxy", ["-c", "-f", configPath], { encoding: "utf8", stdio: "pipe" });
    expect(output).toContain("Configuration file is valid");
  });
});

describe("the edge in front of two Cloud Connect nodes", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await launch("edge.cfg"));
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
    const received = NODE_NAMES.flatMap((name) => nodes.get(name)!.requests).find(
      (request) => request.headers.trackingid === trackingId,
    );
    expect(received?.headers["x-forwarded-for"]).toBe(ALLOWED_CLIENT);
    expect(received?.headers["x-forwarded-proto"]).toBe("https");
    expect(received?.headers["x-forwarded-host"]).toBe(`${LOOPBACK}:${listenPort}`);
    expect(await eventually(() => proxy.output().includes(`trackingid=${trackingId}`), 50, 100)).toBe(true);
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
      cloudConnectNodes: [
        {
          name: "subscriber",
          host: LOOPBACK,
          port: nodes.get("subscriber")!.port,
          tlsServerName: nodeServerName("subscriber"),
        },
      ],
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
