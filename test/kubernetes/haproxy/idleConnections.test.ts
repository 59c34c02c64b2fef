/**
 * Idle connections from one allowed source (TCP open, no byte sent) hold at most perSource.maxConnections of the
 * edge's connections; the rest are closed at once, before any TLS handshake, so another source is still served
 * within 1 s and the nodes stay UP.
 */
import { connectH2, h2Exchange, silentConnections } from "./clients";
import { get, nodesMarkedDown, useEdgeSuite } from "./edgeSuite";
import { ALLOWED_CLIENT, eventually, OTHER_CLIENT } from "./loopback";

const edge = useEdgeSuite();
const EDGE_CONNECTIONS = 60;
const PER_SOURCE_CONNECTIONS = 20;
/** More idle connections than the edge holds in all. */
const IDLE_CONNECTIONS = 80;
/** What "answered within 1 s" means for the other source: its client gives up after this. */
const LEGITIMATE_DEADLINE_MS = 1000;

describe("idle connections from one source", () => {
  it(`are held to ${PER_SOURCE_CONNECTIONS}, so another source is still served`, async () => {
    const { listenPort, proxy } = await edge.launchHealthy("idle-connections.cfg", {
      maxConnections: EDGE_CONNECTIONS,
      perSource: { maxConnections: PER_SOURCE_CONNECTIONS },
    });
    const idle = await silentConnections(listenPort, ALLOWED_CLIENT, IDLE_CONNECTIONS);
    const legitimate = connectH2(listenPort, edge.pki.caPem, OTHER_CLIENT);
    try {
      // The edge closes the connections past the limit as it accepts them; waited for, at most 2 s.
      await eventually(() => idle.closedByEdge() >= IDLE_CONNECTIONS - PER_SOURCE_CONNECTIONS, 40, 50);
      const outcome = await h2Exchange(
        legitimate,
        get("/api/while-idle-connections-wait"),
        LEGITIMATE_DEADLINE_MS,
      );
      expect(outcome).toMatchObject({ status: 200 });
      expect(idle.closedByEdge()).toBe(IDLE_CONNECTIONS - PER_SOURCE_CONNECTIONS);
    } finally {
      legitimate.destroy();
      for (const socket of idle.sockets) socket.destroy();
    }
    expect(nodesMarkedDown(proxy)).toEqual([]);
  });
});
