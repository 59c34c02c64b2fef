/**
 * The Host check: a request reaches Cloud Connect only if it names the edge's FQDN (any case, with a port or
 * without) in exactly one Host; a foreign Host gets 421, an empty one 421, none or two 400, and X-Forwarded-Host is
 * the checked Host. HAProxy's HTTP/1.1 parser itself refuses two different Hosts (logged as <BADREQ>) and keeps one
 * of two identical ones.
 */
import { connectH2, FRONT_HOST, frontAuthority, h2Request, rawH1Exchange } from "./clients";
import { get, loggedStatus, useEdgeSuite } from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";

const edge = useEdgeSuite();

describe("the Host check", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await edge.launchHealthy("host.cfg"));
  });

  /** [case, Host lines, status, whether the log line carries the request line]. */
  const hostLines = (port: number): Array<[string, string, number, boolean]> => [
    ["a foreign Host", "Host: cloud-connect.attacker.example\r\n", 421, true],
    ["the FQDN as a prefix of a foreign name", `Host: ${FRONT_HOST}.attacker.example\r\n`, 421, true],
    ["an empty Host", "Host:\r\n", 421, true],
    ["no Host", "", 400, true],
    ["two Hosts", `Host: ${frontAuthority(port)}\r\nHost: cloud-connect.attacker.example\r\n`, 400, false],
    // HAProxy's parser keeps one of two identical Hosts.
    ["the FQDN twice", `Host: ${FRONT_HOST}\r\nHost: ${FRONT_HOST}\r\n`, 200, true],
    ["the FQDN", `Host: ${FRONT_HOST}\r\n`, 200, true],
    ["the FQDN with its port, upper-case", `Host: ${frontAuthority(port).toUpperCase()}\r\n`, 200, true],
  ];

  it.each(hostLines(0).map(([label], index) => [label, index]))("HTTP/1.1 with %s", async (_label, index) => {
    const [, hostLine, expected, requestLineLogged] = hostLines(listenPort)[index as number];
    const url = `/api/host/${index}`;
    const request = `GET ${url} HTTP/1.1\r\n${hostLine}Connection: close\r\n\r\n`;
    const outcome = await rawH1Exchange(listenPort, edge.pki.caPem, request, 10_000);
    expect(outcome).toMatchObject({ status: expected });
    if (requestLineLogged) expect(await loggedStatus(proxy, url)).toBe(String(expected));
    const received = edge.receivedAt(url);
    const host = /^Host: (.*)\r\n/i.exec(hostLine)?.[1];
    expect(received.map((seen) => seen.headers["x-forwarded-host"])).toEqual(expected === 200 ? [host] : []);
  });

  it("HTTP/2 with a foreign :authority", async () => {
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const response = await h2Request(
        session,
        get("/api/host/h2-foreign", { ":authority": "attacker.example" }),
      );
      expect(response.status).toBe(421);
    } finally {
      session.close();
    }
    expect(edge.allReceived().filter((seen) => seen.url === "/api/host/h2-foreign")).toEqual([]);
  });
});
