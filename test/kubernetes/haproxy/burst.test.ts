/**
 * Bursts of concurrent requests under the rate limit. From one source: the edge admits the source's share
 * (perSource.maxConcurrentRequests) and answers the rest 429 at once; a request from another source is answered
 * within 1 s meanwhile. From several: past nodeMaxConnections a node gets no more connections, the rest wait in
 * the edge's queue and are served in turn. Either way both nodes stay UP.
 */
import { once } from "node:events";
import { connectH2, h2Exchange, Outcome } from "./clients";
import { get, logLine, logTimersAndStatus, NODE_NAMES, nodesMarkedDown, useEdgeSuite } from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";
import { ALLOWED_CLIENT, OTHER_CLIENT } from "./loopback";

const edge = useEdgeSuite();
const BURST = 1000;
/** HAProxy's default tune.h2.max-concurrent-streams: the burst spreads over this many streams per connection. */
const STREAMS_PER_CONNECTION = 100;
const CONCURRENT_PER_SOURCE = 20;
const NODE_MAX_CONNECTIONS = 25;
/** Sources that together send more than the two nodes take at once: CONCURRENT_PER_SOURCE each. */
const SOURCES = ["127.0.0.2", "127.0.0.4", "127.0.0.5"];
/** Each burst request keeps its node busy this long, so the burst is in flight all at once. */
const NODE_WORK_MS = 300;
/** What "answered within 1 s" means for the other source: its client gives up after this. */
const LEGITIMATE_DEADLINE_MS = 1000;

/** `count` concurrent GETs to a slow node path from `source`, over as few HTTP/2 connections as the edge allows. */
async function burstFrom(listenPort: number, source: string, count: number, label: string) {
  const sessions = Array.from({ length: Math.ceil(count / STREAMS_PER_CONNECTION) }, () =>
    connectH2(listenPort, edge.pki.caPem, source),
  );
  await Promise.all(sessions.map((session) => once(session, "connect")));
  const outcomes = Promise.all(
    Array.from({ length: count }, (_, index) =>
      h2Exchange(sessions[index % sessions.length], get(`/slow/${NODE_WORK_MS}/${label}/${index}`), 30_000),
    ),
  ).finally(() => sessions.forEach((session) => session.destroy()));
  return { outcomes };
}

function countBy(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = String(outcome.status ?? outcome.error);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe("a burst of concurrent requests", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await edge.launchHealthy("burst.cfg", {
      allowedClientCidrs: [...SOURCES, OTHER_CLIENT].map((address) => `${address}/32`),
      perSource: { maxConcurrentRequests: CONCURRENT_PER_SOURCE },
      nodeMaxConnections: NODE_MAX_CONNECTIONS,
      rateLimit: { maxRequests: 10 * BURST, periodSeconds: 10 },
    }));
  });

  beforeEach(() => NODE_NAMES.forEach((name) => edge.node(name).resetPeak()));

  it(`from one source is answered 429 past ${CONCURRENT_PER_SOURCE} in flight, and delays no other source`, async () => {
    const legitimate = connectH2(listenPort, edge.pki.caPem, OTHER_CLIENT);
    try {
      await once(legitimate, "connect");
      const burst = await burstFrom(listenPort, ALLOWED_CLIENT, BURST, "one-source");
      // Sent once every burst request is on its way to the edge.
      const during = await h2Exchange(legitimate, get("/api/during-the-burst"), LEGITIMATE_DEADLINE_MS);
      expect(during).toMatchObject({ status: 200 });
      const counts = countBy(await burst.outcomes);
      expect(Object.keys(counts).sort()).toEqual(["200", "429"]);
      expect(counts["200"]).toBeGreaterThanOrEqual(CONCURRENT_PER_SOURCE);
    } finally {
      legitimate.destroy();
    }
    for (const name of NODE_NAMES)
      expect(edge.node(name).peakInFlight).toBeLessThanOrEqual(CONCURRENT_PER_SOURCE);
    expect(nodesMarkedDown(proxy)).toEqual([]);
  });

  it(`from several sources queues past ${NODE_MAX_CONNECTIONS} per node and serves every request`, async () => {
    const bursts = await Promise.all(
      SOURCES.map((source) => burstFrom(listenPort, source, CONCURRENT_PER_SOURCE, `source-${source}`)),
    );
    const outcomes = (await Promise.all(bursts.map((burst) => burst.outcomes))).flat();
    expect(countBy(outcomes)).toEqual({ "200": SOURCES.length * CONCURRENT_PER_SOURCE });
    // The requests past the nodes' connections waited in the queue (%Tw, the log's second timer, above 0).
    const queued = await Promise.all(
      SOURCES.flatMap((source) =>
        Array.from({ length: CONCURRENT_PER_SOURCE }, (_, index) =>
          logLine(proxy, `/slow/${NODE_WORK_MS}/source-${source}/${index}`),
        ),
      ),
    );
    const waited = queued.filter((line) => (logTimersAndStatus(line).timers[1] ?? 0) > 0);
    expect(waited.length).toBeGreaterThan(0);
    for (const name of NODE_NAMES)
      expect(edge.node(name).peakInFlight).toBeLessThanOrEqual(NODE_MAX_CONNECTIONS);
    expect(nodesMarkedDown(proxy)).toEqual([]);
  });
});
