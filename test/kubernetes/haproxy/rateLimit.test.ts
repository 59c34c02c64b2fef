/** The rate limit: past its requests per source address in the period, the edge answers 429. */
import { once } from "node:events";
import { connectH2, h2Request } from "./clients";
import { get, loopbackNode, useEdgeSuite } from "./edgeSuite";

const edge = useEdgeSuite();
const RATE_LIMIT = 5;

describe("the rate limit", () => {
  it(`answers 429 past ${RATE_LIMIT} requests per source address in the period`, async () => {
    const { listenPort } = await edge.launch("rate-limited.cfg", {
      rateLimit: { maxRequests: RATE_LIMIT, periodSeconds: 60 },
      cloudConnectNodes: [loopbackNode("subscriber", edge.node("subscriber").port)],
    });
    const session = connectH2(listenPort, edge.pki.caPem);
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
