/** A Cloud Connect node that hangs (process stopped, socket open) costs a request at most one health-check interval. */
import { EdgeProxyConfig, parseEdgeProxyConfig } from "../../../edge/types";
import { connectH2, FRONT_HOST, h2Exchange, h2Request } from "./clients";
import { get, HANGING_NODE, loopbackNode, nodesMarkedDown, TIMING_SLACK_MS, useEdgeSuite } from "./edgeSuite";
import { FakeNodeProcess, HEALTH_PATH, startFakeNodeProcess } from "./fakeNodes";
import { ALLOWED_CLIENT, eventually } from "./loopback";

const edge = useEdgeSuite();
/** The edge's defaults, for the figures the test holds the defaults to. */
const DEFAULTS: EdgeProxyConfig = parseEdgeProxyConfig({
  publicHostname: FRONT_HOST,
  cloudConnectNodes: [{ name: "publisher", host: "cc-pub.example.com" }],
  allowedClientCidrs: [`${ALLOWED_CLIENT}/32`],
});

describe("a Cloud Connect node that hangs (process stopped, socket open)", () => {
  let hanging: FakeNodeProcess;

  afterAll(async () => {
    await hanging?.kill();
  });

  it("costs each request at most one health-check interval and is taken out within one", async () => {
    hanging = await startFakeNodeProcess(HANGING_NODE, edge.pki);
    // The default timing knobs: they are what this test holds to its promise.
    const { listenPort, proxy } = await edge.launch("hanging-node.cfg", {
      healthCheck: { path: HEALTH_PATH },
      cloudConnectNodes: [
        loopbackNode(HANGING_NODE, hanging.port),
        loopbackNode("subscriber", edge.node("subscriber").port),
      ],
    });
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      // Both nodes serve before the hang, so connections to the hanging one exist.
      const warmUp = [];
      for (let index = 0; index < 6; index += 1)
        warmUp.push(await h2Request(session, get(`/api/warm/${index}`)));
      expect(new Set(warmUp.map((response) => JSON.parse(response.body).node))).toEqual(
        new Set([HANGING_NODE, "subscriber"]),
      );

      hanging.hang();
      // Each request is given up by its client after the bound, so one answer later than that fails the test, and
      // the DOWN event is polled for the bound at most.
      const bound = DEFAULTS.healthCheck.intervalMs + TIMING_SLACK_MS;
      const markedDown = eventually(
        () => nodesMarkedDown(proxy).includes(HANGING_NODE),
        Math.ceil(bound / 50),
        50,
      );
      const outcomes = [];
      for (let wave = 0; wave < 4; wave += 1) {
        const requests = Array.from({ length: 5 }, (_, index) =>
          h2Exchange(session, get(`/api/during-hang/${wave}/${index}`), bound),
        );
        outcomes.push(...(await Promise.all(requests)));
      }
      expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
      expect(await markedDown).toBe(true);
    } finally {
      session.destroy();
    }
  });
});
