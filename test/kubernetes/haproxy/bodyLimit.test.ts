/**
 * The body limit whatever the framing: a 100 MB upload streams through; a declared length over the maximum is
 * answered 413; a chunked HTTP/1.1 or length-less HTTP/2 upload is cut once past the maximum, before a node has it all.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import { MIN_BODY_LIMIT_BYTES } from "../../../edge/types";
import {
  connectH2,
  frontAuthority,
  h1ChunkedPost,
  h2Exchange,
  h2Request,
  Outcome,
  repeatedChunks,
} from "./clients";
import { loggedStatus, MEBIBYTE, NODE_NAMES, useEdgeSuite, expectAnsweredOrReset } from "./edgeSuite";
import { RunningHaproxy } from "./haproxyProcess";
import { ALLOWED_CLIENT, LOOPBACK } from "./loopback";

const edge = useEdgeSuite();

/** No node got the whole body of `url`; what a node got of it before the cut stayed within the limit. */
function expectCutAtLimit(url: string): void {
  expect(edge.receivedAt(url)).toEqual([]);
  const cut = NODE_NAMES.flatMap((name) => edge.node(name).cutBodies).filter((body) => body.url === url);
  for (const body of cut) expect(body.bodyBytes).toBeLessThanOrEqual(MIN_BODY_LIMIT_BYTES);
}

describe("the edge in front of two Cloud Connect nodes", () => {
  let listenPort: number;
  let proxy: RunningHaproxy;

  beforeAll(async () => {
    ({ listenPort, proxy } = await edge.launchHealthy("edge.cfg"));
  });

  it("passes a 100 MB request body, streamed", async () => {
    const chunk = Buffer.alloc(MEBIBYTE, 0x61);
    const chunks = 100;
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const response = await h2Request(
        session,
        { ":method": "POST", ":path": "/api/attachment", "content-length": String(chunks * MEBIBYTE) },
        repeatedChunks(chunk, chunks),
      );
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).bodyBytes).toBe(chunks * MEBIBYTE);
    } finally {
      session.close();
    }
  });

  it("answers 413 when the declared body exceeds the configured maximum", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = https.request({
        host: LOOPBACK,
        port: listenPort,
        localAddress: ALLOWED_CLIENT,
        ca: fs.readFileSync(edge.pki.caPem),
        method: "POST",
        path: "/api/too-large",
        headers: { host: frontAuthority(listenPort), "content-length": String(129 * MEBIBYTE) },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it("cuts an HTTP/1.1 chunked upload once it exceeds the maximum, before Cloud Connect has it all", async () => {
    const outcome = await h1ChunkedPost(
      listenPort,
      edge.pki.caPem,
      "/api/chunked-too-large",
      repeatedChunks(Buffer.alloc(MEBIBYTE, 0x62), MIN_BODY_LIMIT_BYTES / MEBIBYTE + 8),
    );
    expectAnsweredOrReset(outcome, 413);
    expect(await loggedStatus(proxy, "/api/chunked-too-large")).toBe("413");
    expectCutAtLimit("/api/chunked-too-large");
  });

  /** Streams `mebibytes` MiB to `url` over HTTP/2 without Content-Length, on a session of its own. */
  async function h2UploadWithoutLength(url: string, mebibytes: number): Promise<Outcome> {
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const body = repeatedChunks(Buffer.alloc(MEBIBYTE, 0x63), mebibytes);
      return await h2Exchange(session, { ":method": "POST", ":path": url }, 60_000, body);
    } finally {
      session.destroy();
    }
  }

  it("cuts an HTTP/2 upload without Content-Length once it exceeds the maximum", async () => {
    const outcome = await h2UploadWithoutLength("/api/h2-too-large", MIN_BODY_LIMIT_BYTES / MEBIBYTE + 8);
    expect(outcome.status).toBe(413);
    expect(await loggedStatus(proxy, "/api/h2-too-large")).toBe("413");
    expectCutAtLimit("/api/h2-too-large");
  });

  it("refuses an HTTP/2 body longer than the Content-Length it declared", async () => {
    const session = connectH2(listenPort, edge.pki.caPem);
    try {
      const outcome = await h2Exchange(
        session,
        { ":method": "POST", ":path": "/api/h2-longer-than-declared", "content-length": String(MEBIBYTE) },
        30_000,
        repeatedChunks(Buffer.alloc(MEBIBYTE, 0x66), 2),
      );
      // HAProxy's HTTP/2 parser resets the stream (PROTOCOL_ERROR) at the first byte past the declared length.
      expect(outcome).toMatchObject({ status: undefined, error: "ERR_HTTP2_STREAM_ERROR" });
    } finally {
      session.destroy();
    }
    const received = edge.allReceived().filter((request) => request.url === "/api/h2-longer-than-declared");
    expect(received.filter((request) => request.bodyBytes > MEBIBYTE)).toEqual([]);
  });

  it("passes an HTTP/2 upload without Content-Length of exactly the maximum, intact", async () => {
    const outcome = await h2UploadWithoutLength("/api/h2-at-limit", MIN_BODY_LIMIT_BYTES / MEBIBYTE);
    expect(outcome).toMatchObject({ status: 200 });
    const received = edge.allReceived().filter((request) => request.url === "/api/h2-at-limit");
    expect(received.map((request) => request.bodyBytes)).toEqual([MIN_BODY_LIMIT_BYTES]);
  });
});
