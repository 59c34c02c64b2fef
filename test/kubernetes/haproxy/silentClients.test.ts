/**
 * The bound on clients that hold a connection and say nothing: a silent TCP connection, a stalled handshake, a
 * handshake without a request, under short knobs and under the defaults; a client that keeps moving is never cut.
 */
import { once } from "node:events";
import { connectH2, connectTls, h2Exchange, heldOpenMs } from "./clients";
import { CHECK_INTERVAL_MS, get, TIMING_SLACK_MS, useEdgeSuite } from "./edgeSuite";
import { ALLOWED_CLIENT } from "./loopback";

const edge = useEdgeSuite();
/** The longest a silent client may hold a connection with the default knobs (docs/edge.md). */
const SILENT_CLIENT_BOUND_MS = 30_000;
/** A TLS record header announcing a 512-byte handshake, then one byte of a ClientHello: a handshake that stalls. */
const PARTIAL_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]);

function probeSilentClients(listenPort: number): Promise<number[]> {
  const limitMs = SILENT_CLIENT_BOUND_MS + 15_000;
  return Promise.all([
    heldOpenMs(listenPort, undefined, limitMs),
    heldOpenMs(listenPort, PARTIAL_CLIENT_HELLO, limitMs),
  ]);
}

/** How long an edge with the default timeouts held a silent and a stalled-handshake connection; see the last test. */
let defaultBoundProbes: Promise<number[]>;

beforeAll(async () => {
  // Opened now and judged by the last test, so the default bound is waited out while the other tests run.
  defaultBoundProbes = probeSilentClients((await edge.launch("default-bound.cfg")).listenPort);
});

describe("a client that stays silent", () => {
  const CLIENT_MS = 1000;
  const HTTP_REQUEST_MS = 2000;
  let listenPort: number;

  beforeAll(async () => {
    ({ listenPort } = await edge.launch("silent-clients.cfg", {
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
    const socket = connectTls(listenPort, edge.pki.caPem, ALLOWED_CLIENT, { ALPNProtocols: [alpn] });
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
    const session = connectH2(listenPort, edge.pki.caPem);
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

describe("the default bound on silent clients", () => {
  it("disconnected a silent connection and a stalled handshake within clientMs (opened when the edge started)", async () => {
    const heldMs = await defaultBoundProbes;
    for (const held of heldMs) expect(held).toBeLessThanOrEqual(SILENT_CLIENT_BOUND_MS + TIMING_SLACK_MS);
  });
});
