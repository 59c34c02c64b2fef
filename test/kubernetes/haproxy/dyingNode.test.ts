/**
 * A Cloud Connect node killed after it received a whole request: the client is told 502, never "not processed, safe
 * to retry" (HTTP/2 REFUSED_STREAM, or a closed keep-alive connection), the edge logs the request, and no other node
 * gets it. A retry the client takes for safe would be a second Create Task.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import { connectH2, frontAuthority, h2Exchange, Outcome, repeatedChunks } from "./clients";
import { DYING_NODE, logLine, loggedStatus, loopbackNode, useEdgeSuite } from "./edgeSuite";
import { DIE_PATH, FakeNodeProcess, startFakeNodeProcess } from "./fakeNodes";
import { RunningHaproxy } from "./haproxyProcess";
import { ALLOWED_CLIENT, LOOPBACK } from "./loopback";

const edge = useEdgeSuite();
const BODY = JSON.stringify({ createTask: "one chat, one task" });

interface EdgeBeforeDyingNode {
  listenPort: number;
  proxy: RunningHaproxy;
  dying: FakeNodeProcess;
}

const started: FakeNodeProcess[] = [];

afterAll(async () => {
  await Promise.all(started.map((node) => node.kill()));
});

/** An edge whose only active node is a process that dies on DIE_PATH; the subscriber is its backup. */
async function edgeBeforeDyingNode(fileName: string): Promise<EdgeBeforeDyingNode> {
  const dying = await startFakeNodeProcess(DYING_NODE, edge.pki);
  started.push(dying);
  const { listenPort, proxy } = await edge.launch(fileName, {
    cloudConnectNodes: [
      loopbackNode(DYING_NODE, dying.port),
      { ...loopbackNode("subscriber", edge.node("subscriber").port), backup: true },
    ],
  });
  return { listenPort, proxy, dying };
}

/** The dying node got `url` whole, died, and no other node ever got it. */
async function expectReceivedOnceByTheDeadNode(dying: FakeNodeProcess, url: string): Promise<void> {
  await dying.exited;
  expect(dying.receivedBeforeDeath()).toEqual([`POST ${url} ${Buffer.byteLength(BODY)}`]);
  expect(edge.receivedAt(url)).toEqual([]);
}

describe("a node killed after it received a whole request", () => {
  it("is answered 502 over HTTP/2, not REFUSED_STREAM, and logged", async () => {
    const { listenPort, proxy, dying } = await edgeBeforeDyingNode("dying-h2.cfg");
    const url = `${DIE_PATH}h2-create-task`;
    const session = connectH2(listenPort, edge.pki.caPem);
    let outcome: Outcome;
    try {
      outcome = await h2Exchange(
        session,
        { ":method": "POST", ":path": url, "content-length": String(Buffer.byteLength(BODY)) },
        10_000,
        repeatedChunks(Buffer.from(BODY), 1),
      );
    } finally {
      session.destroy();
    }
    expect([outcome.status, outcome.error]).toEqual([502, undefined]);
    expect(await loggedStatus(proxy, url)).toBe("502");
    expect(await logLine(proxy, url)).toContain(`node=${DYING_NODE} `);
    await expectReceivedOnceByTheDeadNode(dying, url);
  });

  it("is answered 502 on a kept-alive HTTP/1.1 connection's second request, and logged", async () => {
    const { listenPort, proxy, dying } = await edgeBeforeDyingNode("dying-h1.cfg");
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${DIE_PATH}h1-create-task`;
    const send = (method: string, pathName: string, body?: string) =>
      new Promise<Outcome & { reusedSocket: boolean }>((resolve) => {
        const request = https.request({
          host: LOOPBACK,
          port: listenPort,
          localAddress: ALLOWED_CLIENT,
          ca: fs.readFileSync(edge.pki.caPem),
          agent,
          method,
          path: pathName,
          headers: { host: frontAuthority(listenPort) },
        });
        const finish = (outcome: Outcome) => resolve({ ...outcome, reusedSocket: request.reusedSocket });
        request.on("response", (response) => {
          response.resume();
          response.on("end", () => finish({ status: response.statusCode, elapsedMs: 0 }));
        });
        request.on("error", (error: NodeJS.ErrnoException) =>
          finish({ error: error.code ?? error.message, elapsedMs: 0 }),
        );
        request.end(body);
      });
    try {
      expect(await send("GET", "/api/first-on-the-connection")).toMatchObject({ status: 200 });
      const second = await send("POST", url, BODY);
      expect([second.status, second.error, second.reusedSocket]).toEqual([502, undefined, true]);
    } finally {
      agent.destroy();
    }
    expect(await loggedStatus(proxy, url)).toBe("502");
    await expectReceivedOnceByTheDeadNode(dying, url);
  });
});
