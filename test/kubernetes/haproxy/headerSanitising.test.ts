/**
 * What a client cannot slip past the edge in headers: control bytes in a header value (refused, 400), a forged
 * access-log field through the tracking ID (logged URL-encoded, one field), a client address in any header a node
 * might trust, however spelled (dropped), or in a trailer (never reaches a node: HAProxy 2.6 cannot drop trailers,
 * so a request whose body has no declared length and ends with trailers is refused, 400).
 */
import {
  connectH2,
  frontAuthority,
  h1ChunkedPost,
  h2Exchange,
  h2Request,
  rawH1Exchange,
  repeatedChunks,
} from "./clients";
import { get, logLine, loggedStatus, useEdgeSuite, expectAnsweredOrReset } from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";
import { ALLOWED_CLIENT } from "./loopback";

const edge = useEdgeSuite();
const SPOOFED_ADDRESS = "203.0.113.66";
/** Headers that claim a client address, as proxies, CDNs and frameworks spell them. */
const CLIENT_ADDRESS_HEADERS = [
  "x-forwarded-for",
  "forwarded",
  "x-real-ip",
  "true-client-ip",
  "x-client-ip",
  "client-ip",
  "cf-connecting-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
  "x-original-forwarded-for",
  "x-originating-ip",
  "x-remote-addr",
  "x-forwarded-host",
  "x-forwarded-port",
  "x_forwarded_for",
  "x_real_ip",
  "true_client_ip",
  "x-forwarded_for",
];

describe("header values and names a client sends", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await edge.launchHealthy("headers.cfg"));
  });

  it.each([
    ["a NUL byte", "a\x00b", 400],
    ["an escape byte", "a\x1b[2Jb", 400],
    ["a DEL byte", "a\x7fb", 400],
    ["a tab, which HTTP allows", "a\tb", 200],
  ])("refuses a header value with %s, before any node sees it", async (_case, value, expected) => {
    const url = `/api/control-bytes/${JSON.stringify(value).length}-${expected}-${value.charCodeAt(1)}`;
    const request = `GET ${url} HTTP/1.1\r\nHost: ${frontAuthority(listenPort)}\r\nX-Note: ${value}\r\nConnection: close\r\n\r\n`;
    expect(await rawH1Exchange(listenPort, edge.pki.caPem, request, 10_000)).toMatchObject({
      status: expected,
    });
    expect(await loggedStatus(proxy, url)).toBe(String(expected));
    const received = edge.receivedAt(url);
    expect(received.map((seen) => seen.headers["x-note"])).toEqual(expected === 200 ? [value] : []);
  });

  it("logs the tracking ID as one URL-encoded field, so it cannot forge other fields", async () => {
    const forged = 'real-id 200 trackingid=forged "GET /forged HTTP/2.0"';
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      expect((await h2Request(session, get("/api/forged-log", { trackingid: forged }))).status).toBe(200);
    } finally {
      session.close();
    }
    const line = (await logLine(proxy, "/api/forged-log")) ?? "";
    const fields = line.split(" ").filter((field) => field.startsWith("trackingid="));
    expect(fields.map((field) => decodeURIComponent(field.slice("trackingid=".length)))).toEqual([forged]);
    expect(line.match(/"/g)).toHaveLength(2);
  });

  it("drops every client-address header, however spelled, and keeps the others", async () => {
    const trackingId = `spoofed-${process.pid}`;
    const spoofed = Object.fromEntries(CLIENT_ADDRESS_HEADERS.map((name) => [name, SPOOFED_ADDRESS]));
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const response = await h2Request(
        session,
        get("/api/client-address-headers", { trackingid: trackingId, "x-request-note": "kept", ...spoofed }),
      );
      expect(response.status).toBe(200);
    } finally {
      session.close();
    }
    const headers = edge.receivedWith(trackingId)?.headers ?? {};
    const claimed = Object.keys(headers).filter((name) => String(headers[name]).includes(SPOOFED_ADDRESS));
    expect(claimed).toEqual([]);
    expect(headers["x-forwarded-for"]).toBe(ALLOWED_CLIENT);
    expect(headers["x-forwarded-host"]).toBe(frontAuthority(listenPort));
    expect(headers["x-request-note"]).toBe("kept");
  });

  it("refuses an HTTP/1.1 chunked request with a trailer, before a node has it all", async () => {
    const url = "/api/trailer-h1";
    const outcome = await h1ChunkedPost(
      listenPort,
      edge.pki.caPem,
      url,
      repeatedChunks(Buffer.from("{}"), 1),
      {
        trailers: { "X-Forwarded-For": SPOOFED_ADDRESS },
      },
    );
    expectAnsweredOrReset(outcome, 400);
    expect(await loggedStatus(proxy, url)).toBe("400");
    expect(edge.receivedAt(url)).toEqual([]);
  });

  /** An HTTP/2 POST of "{}" ending with a trailer that claims a client address. */
  async function h2PostWithTrailer(url: string, headers: Record<string, string>) {
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      return await h2Exchange(
        session,
        { ":method": "POST", ":path": url, ...headers },
        10_000,
        repeatedChunks(Buffer.from("{}"), 1),
        { "true-client-ip": SPOOFED_ADDRESS },
      );
    } finally {
      session.destroy();
    }
  }

  it("refuses an HTTP/2 request without Content-Length that ends with a trailer, before a node has it all", async () => {
    const url = "/api/trailer-h2";
    expect(await h2PostWithTrailer(url, {})).toMatchObject({ status: 400 });
    expect(await loggedStatus(proxy, url)).toBe("400");
    expect(edge.receivedAt(url)).toEqual([]);
  });

  it("passes an HTTP/2 request with Content-Length on without its trailer", async () => {
    // The relay hop speaks HTTP/1.1, which has no place for trailers after a body of declared length.
    const url = "/api/trailer-h2-with-length";
    expect(await h2PostWithTrailer(url, { "content-length": "2" })).toMatchObject({ status: 200 });
    const received = edge.receivedAt(url);
    expect(received.map((seen) => [seen.bodyBytes, seen.trailers])).toEqual([[2, {}]]);
  });

  it("passes a chunked HTTP/1.1 request without trailers", async () => {
    const url = "/api/chunked-without-trailers";
    const outcome = await h1ChunkedPost(
      listenPort,
      edge.pki.caPem,
      url,
      repeatedChunks(Buffer.from("{}"), 3),
    );
    expect(outcome).toMatchObject({ status: 200 });
    expect(edge.receivedAt(url).map((seen) => seen.bodyBytes)).toEqual([6]);
  });
});
