/**
 * Traffic through the edge in front of two Cloud Connect nodes: HTTP/2 over TLS 1.2+, mTLS to the nodes, the
 * forwarded headers and the tracking ID (a client's own forwarding headers dropped unless it is a trusted load
 * balancer), the allow-list, and failover when a node dies.
 */
import * as tls from "node:tls";
import { connectH2, connectTls, frontAuthority, h2Request } from "./clients";
import { CHECK_FALL, CHECK_INTERVAL_MS, get, NODE_NAMES, nodesMarkedDown, useEdgeSuite } from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";
import { ALLOWED_CLIENT, eventually, LOOPBACK } from "./loopback";

const edge = useEdgeSuite();
/** Two failed checks plus one check timeout, with slack for a loaded machine. */
const FAILOVER_WINDOW_MS = CHECK_INTERVAL_MS * CHECK_FALL + CHECK_INTERVAL_MS + 1500;
/** Spoofed forwarding headers a client might send to pass for someone else. */
const SPOOFED = {
  "x-forwarded-for": "203.0.113.66",
  forwarded: "for=203.0.113.66;proto=https",
  "x-real-ip": "203.0.113.66",
};

describe("the edge in front of two Cloud Connect nodes", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    // Both nodes must be up (checks passed over mTLS) before traffic is judged.
    ({ listenPort, proxy } = await edge.launchHealthy("edge.cfg"));
  });

  it("serves HTTP/2 over TLS 1.2+ and reaches the nodes with the proxy's client certificate", async () => {
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const responses = [];
      for (let index = 0; index < 4; index += 1)
        responses.push(await h2Request(session, get(`/api/${index}`)));
      expect(session.alpnProtocol).toBe("h2");
      expect(["TLSv1.2", "TLSv1.3"]).toContain((session.socket as tls.TLSSocket).getProtocol());
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      // The node's name is the log's, not the client's.
      expect(responses.filter((response) => "x-edge-node" in response.headers)).toEqual([]);
      // Round robin: both nodes took traffic, each authenticated by the client certificate.
      const servedBy = new Set(responses.map((response) => JSON.parse(response.body).node));
      expect(servedBy).toEqual(new Set(NODE_NAMES));
      const subjects = NODE_NAMES.flatMap((name) =>
        edge.node(name).requests.map((r) => r.clientCertificateSubject),
      );
      expect(new Set(subjects)).toEqual(new Set(["cloud-connect-edge"]));
    } finally {
      session.close();
    }
  });

  it("refuses TLS 1.1 and accepts TLS 1.2", async () => {
    const handshake = (version: tls.SecureVersion) =>
      new Promise<string>((resolve) => {
        const socket = connectTls(listenPort, edge.pki.caPem, ALLOWED_CLIENT, {
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
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const response = await h2Request(session, get("/api/tracked", { trackingid: trackingId }));
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const received = edge.receivedWith(trackingId);
    expect(received?.headers["x-forwarded-for"]).toBe(ALLOWED_CLIENT);
    expect(received?.headers["x-forwarded-proto"]).toBe("https");
    expect(received?.headers["x-forwarded-host"]).toBe(frontAuthority(listenPort));
    expect(await eventually(() => proxy.output().includes(`trackingid=${trackingId}`), 50, 100)).toBe(true);
  });

  it("drops forwarding headers a client sent, so Cloud Connect sees only the address the edge saw", async () => {
    const trackingId = `spoof-${process.pid}-${Date.now()}`;
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const response = await h2Request(session, get("/api/spoofed", { trackingid: trackingId, ...SPOOFED }));
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const received = edge.receivedWith(trackingId);
    expect(received?.headers["x-forwarded-for"]).toBe(ALLOWED_CLIENT);
    expect(received?.headers.forwarded).toBeUndefined();
    expect(received?.headers["x-real-ip"]).toBeUndefined();
  });

  it("refuses clients outside the allow-list before any request reaches a node", async () => {
    const requestsBefore = NODE_NAMES.map((name) => edge.node(name).requests.length);
    const session = connectH2(listenPort, edge.pki.caPem, LOOPBACK);
    const outcome = await new Promise<string>((resolve) => {
      session.on("error", (error: NodeJS.ErrnoException) => resolve(`refused ${error.code}`));
      session.on("connect", () => resolve("connected"));
    });
    session.destroy();
    expect(outcome).toBe("refused ECONNRESET");
    expect(NODE_NAMES.map((name) => edge.node(name).requests.length)).toEqual(requestsBefore);

    const allowed = connectH2(listenPort, edge.pki.caPem, ALLOWED_CLIENT);
    try {
      expect((await h2Request(allowed, get("/api/allowed"))).status).toBe(200);
    } finally {
      allowed.close();
    }
  });

  it("fails over to the other node within the health-check window, with no failed request after it", async () => {
    await edge.node("publisher").kill();
    // Polled for the window at most: the DOWN event must come before the polls run out.
    const detected = await eventually(
      () => nodesMarkedDown(proxy).includes("publisher"),
      Math.ceil(FAILOVER_WINDOW_MS / 50),
      50,
    );
    expect(detected).toBe(true);

    const session = connectH2(listenPort, edge.pki.caPem);
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

describe("forwarding headers from a trusted load balancer", () => {
  it("keeps the load balancer's X-Forwarded-For and appends the address the edge saw", async () => {
    const { listenPort } = await edge.launch("trusted-proxy.cfg", {
      trustedProxyCidrs: [`${ALLOWED_CLIENT}/32`],
    });
    const trackingId = `trusted-${process.pid}-${Date.now()}`;
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const response = await h2Request(session, get("/api/trusted", { trackingid: trackingId, ...SPOOFED }));
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const received = edge.receivedWith(trackingId);
    expect(received?.headers["x-forwarded-for"]).toBe(`${SPOOFED["x-forwarded-for"]}, ${ALLOWED_CLIENT}`);
    expect(received?.headers.forwarded).toBe(SPOOFED.forwarded);
  });
});
