/**
 * Slow uploads (a byte now and then, never silent long enough for the client timeout): each is cut with 408 once its
 * body has taken requestBodyMs, over HTTP/2 and HTTP/1.1 chunked alike; one source holds at most
 * perSource.maxConcurrentRequests connections to the nodes meanwhile, so another source is served within 1 s and
 * the nodes stay UP. The 1 byte every 20 s is 1 byte every 500 ms here, under a client timeout of 3 s.
 */
import { connectH2, h1ChunkedPost, h2Exchange } from "./clients";
import {
  get,
  loggedStatus,
  NODE_NAMES,
  nodesMarkedDown,
  useEdgeSuite,
  expectAnsweredOrReset,
} from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";
import { eventually, OTHER_CLIENT, sleep } from "./loopback";

const edge = useEdgeSuite();
const BYTE_EVERY_MS = 500;
const CLIENT_MS = 3000;
const REQUEST_BODY_MS = 2000;
/** Long enough that, uncut, the upload would outlast REQUEST_BODY_MS by far (6 s). */
const BODY_BYTES = 12;
const CONCURRENT_PER_SOURCE = 5;
const SLOW_UPLOADS = 10;
/** What "answered within 1 s" means for the other source: its client gives up after this. */
const LEGITIMATE_DEADLINE_MS = 1000;

/** BODY_BYTES single bytes, one every BYTE_EVERY_MS. */
async function* trickle(): AsyncIterable<Buffer> {
  for (let index = 0; index < BODY_BYTES; index += 1) {
    await sleep(BYTE_EVERY_MS);
    yield Buffer.from("x");
  }
}

const inFlightAtNodes = () => NODE_NAMES.reduce((sum, name) => sum + edge.node(name).inFlight, 0);
const uploadUrl = (index: number) => `/api/slow-upload/${index}`;

describe("slow uploads", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await edge.launchHealthy("slow-uploads.cfg", {
      timeouts: { connectMs: 500, clientMs: CLIENT_MS, requestBodyMs: REQUEST_BODY_MS },
      perSource: { maxConcurrentRequests: CONCURRENT_PER_SOURCE },
      nodeMaxConnections: CONCURRENT_PER_SOURCE + 1,
    }));
  });

  it(`are cut with 408 after ${REQUEST_BODY_MS} ms over HTTP/2, holding no more than their share of the nodes`, async () => {
    NODE_NAMES.forEach((name) => edge.node(name).resetPeak());
    const attacker = connectH2(listenPort, edge.pki.caPem);
    const legitimate = connectH2(listenPort, edge.pki.caPem, OTHER_CLIENT);
    try {
      const uploads = Array.from({ length: SLOW_UPLOADS }, (_, index) =>
        h2Exchange(
          attacker,
          { ":method": "POST", ":path": uploadUrl(index), "content-length": String(BODY_BYTES) },
          3 * BODY_BYTES * BYTE_EVERY_MS,
          trickle(),
        ),
      );
      // Once the admitted uploads hold their connections to the nodes (waited for, at most 2 s).
      await eventually(() => inFlightAtNodes() >= CONCURRENT_PER_SOURCE, 40, 50);
      const during = await h2Exchange(legitimate, get("/api/during-slow-uploads"), LEGITIMATE_DEADLINE_MS);
      expect(during).toMatchObject({ status: 200 });
      const statuses = (await Promise.all(uploads)).map((outcome) => outcome.status ?? outcome.error);
      expect(statuses.filter((status) => status === 408)).toHaveLength(CONCURRENT_PER_SOURCE);
      expect(statuses.filter((status) => status === 429)).toHaveLength(SLOW_UPLOADS - CONCURRENT_PER_SOURCE);
      const logged = await Promise.all(statuses.map((_, index) => loggedStatus(proxy, uploadUrl(index))));
      expect(logged).toEqual(statuses.map(String));
    } finally {
      attacker.destroy();
      legitimate.destroy();
    }
    const peak = NODE_NAMES.reduce((sum, name) => sum + edge.node(name).peakInFlight, 0);
    expect(peak).toBeLessThanOrEqual(CONCURRENT_PER_SOURCE + 1);
    expect(edge.allReceived().filter((request) => request.url.startsWith("/api/slow-upload/"))).toEqual([]);
    expect(nodesMarkedDown(proxy)).toEqual([]);
  });

  it(`are cut with 408 after ${REQUEST_BODY_MS} ms over HTTP/1.1 chunked`, async () => {
    const url = "/api/slow-chunked-upload";
    const outcome = await h1ChunkedPost(listenPort, edge.pki.caPem, url, trickle());
    expectAnsweredOrReset(outcome, 408);
    expect(await loggedStatus(proxy, url)).toBe("408");
    expect(edge.receivedAt(url)).toEqual([]);
  });
});
