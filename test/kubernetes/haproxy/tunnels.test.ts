/**
 * No tunnel past the edge: CONNECT gets 405 and any upgrade (HTTP/1.1 Upgrade or Connection: upgrade, HTTP/2
 * extended CONNECT) 400, before a node sees it, so no node can answer 101 and turn the connection into a pipe past
 * header stripping, the limits and the log. The fake nodes accept every tunnel they are asked for.
 */
import * as http2 from "node:http2";
import { connectH2, FRONT_HOST, frontAuthority, h2Exchange, rawH1Exchange } from "./clients";
import { logLine, loggedStatus, NODE_NAMES, useEdgeSuite } from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";

const edge = useEdgeSuite();
const CONNECT_TARGET = "cloud-connect.example:443";

describe("tunnels", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await edge.launchHealthy("tunnels.cfg"));
  });

  afterEach(() => {
    expect(NODE_NAMES.flatMap((name) => edge.node(name).tunnels)).toEqual([]);
  });

  it.each([
    [
      "a websocket Upgrade",
      "/ws/upgrade",
      "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
    ],
    ["Connection: upgrade alone", "/ws/connection-upgrade", "Connection: upgrade\r\n"],
  ])("refuses an HTTP/1.1 request with %s", async (_case, url, headers) => {
    const request = `GET ${url} HTTP/1.1\r\nHost: ${frontAuthority(listenPort)}\r\n${headers}\r\n`;
    expect(await rawH1Exchange(listenPort, edge.pki.caPem, request, 10_000)).toMatchObject({ status: 400 });
    expect(await loggedStatus(proxy, url)).toBe("400");
  });

  it("refuses an HTTP/1.1 CONNECT", async () => {
    const request = `CONNECT ${CONNECT_TARGET} HTTP/1.1\r\nHost: ${CONNECT_TARGET}\r\n\r\n`;
    expect(await rawH1Exchange(listenPort, edge.pki.caPem, request, 10_000)).toMatchObject({ status: 405 });
    expect(await logLine(proxy, `CONNECT ${CONNECT_TARGET}`)).toMatch(/ 405 /);
  });

  it.each<[string, http2.OutgoingHttpHeaders, number]>([
    ["a CONNECT", { ":method": "CONNECT", ":authority": CONNECT_TARGET }, 405],
    [
      "an extended CONNECT (websocket over HTTP/2)",
      {
        ":method": "CONNECT",
        ":protocol": "websocket",
        ":scheme": "https",
        ":path": "/ws/extended-connect",
        ":authority": `${FRONT_HOST}`,
      },
      400,
    ],
  ])("refuses an HTTP/2 %s", async (_case, headers, expected) => {
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      expect(await h2Exchange(session, headers, 10_000)).toMatchObject({ status: expected });
    } finally {
      session.destroy();
    }
  });
});
