/**
 * Clients of the edge as Apple and hostile clients reach it: TLS from a chosen source address, HTTP/2 requests and
 * exchanges with a deadline, a chunked HTTP/1.1 upload, an HTTP/1.1 request written byte for byte, and raw TCP
 * connections that send nothing.
 */
import { once } from "node:events";
import * as fs from "node:fs";
import * as http2 from "node:http2";
import * as https from "node:https";
import * as net from "node:net";
import * as tls from "node:tls";
import { ALLOWED_CLIENT, LOOPBACK } from "./loopback";

/** The edge's FQDN in the tests: the Host (HTTP/1.1) and :authority (HTTP/2) the edge accepts. */
export const FRONT_HOST = "edge.cce.test";

/** The Host header of a request to the edge on `port`. */
export function frontAuthority(port: number): string {
  return `${FRONT_HOST}:${port}`;
}

export interface H2Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

/** A TLS connection to the edge from `localAddress` (the source address the allow-list judges), trusting the test CA. */
export function connectTls(
  port: number,
  caPem: string,
  localAddress: string,
  options: tls.ConnectionOptions = {},
): tls.TLSSocket {
  const socket = net.connect({ host: LOOPBACK, port, localAddress });
  return tls.connect({ ...options, socket, host: LOOPBACK, ca: fs.readFileSync(caPem) });
}

/** An HTTP/2 session to the edge; `localAddress` picks the client's source address. */
export function connectH2(
  port: number,
  caPem: string,
  localAddress = ALLOWED_CLIENT,
): http2.ClientHttp2Session {
  return http2.connect(`https://${frontAuthority(port)}`, {
    createConnection: () => connectTls(port, caPem, localAddress, { ALPNProtocols: ["h2"] }),
  });
}

/** Sends one request on `session`; `body` chunks are written with back-pressure, so large bodies stream. */
export async function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: AsyncIterable<Buffer>,
): Promise<H2Response> {
  const stream = session.request(headers, { endStream: body === undefined });
  const response = new Promise<H2Response>((resolve, reject) => {
    let headers: http2.IncomingHttpHeaders = {};
    let text = "";
    stream.on("response", (responseHeaders) => (headers = responseHeaders));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (text += chunk));
    stream.on("end", () => resolve({ status: Number(headers[":status"] ?? 0), headers, body: text }));
    stream.on("error", reject);
  });
  if (body !== undefined) {
    for await (const chunk of body) {
      if (!stream.write(chunk)) await once(stream, "drain");
    }
    stream.end();
  }
  return response;
}

/** `count` chunks of one reused buffer: a large body without holding it in memory. */
export async function* repeatedChunks(chunk: Buffer, count: number): AsyncIterable<Buffer> {
  for (let index = 0; index < count; index += 1) yield chunk;
}

/** What a client saw of one request: the status if a response came, else the error that ended it. */
export interface Outcome {
  status?: number;
  error?: string;
  /** Milliseconds from sending to the end of the exchange. */
  elapsedMs: number;
}

/** Resolves when `stream` drains or ends, whichever comes first; an error ends the wait too, never rejects it. */
async function writable(stream: NodeJS.EventEmitter): Promise<void> {
  await new Promise<void>((resolve) => {
    for (const event of ["drain", "close", "error"]) stream.once(event, () => resolve());
  });
}

/**
 * One HTTP/2 request that is given up after `deadlineMs`; a response that arrives before an error still counts.
 * `trailers` are sent after the body.
 */
export async function h2Exchange(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  deadlineMs: number,
  body?: AsyncIterable<Buffer>,
  trailers?: http2.OutgoingHttpHeaders,
): Promise<Outcome> {
  const started = Date.now();
  const stream = session.request(headers, {
    endStream: body === undefined,
    waitForTrailers: trailers !== undefined,
  });
  if (trailers !== undefined) stream.on("wantTrailers", () => stream.sendTrailers(trailers));
  let status: number | undefined;
  const ended = new Promise<Outcome>((resolve) => {
    const finish = (error?: string) =>
      resolve({ status, error: status === undefined ? error : undefined, elapsedMs: Date.now() - started });
    const timer = setTimeout(() => {
      finish("deadline");
      stream.close(http2.constants.NGHTTP2_CANCEL);
    }, deadlineMs);
    stream.on("response", (responseHeaders) => (status = Number(responseHeaders[":status"])));
    stream.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    stream.on("close", () => {
      clearTimeout(timer);
      finish("closed");
    });
    stream.resume();
  });
  if (body !== undefined) {
    for await (const chunk of body) {
      if (stream.destroyed || status !== undefined) break;
      if (!stream.write(chunk)) await writable(stream);
    }
    if (!stream.destroyed) stream.end();
  }
  return ended;
}

/** An HTTP/1.1 POST whose body Node sends chunked (no Content-Length), optionally ending with trailers. */
export async function h1ChunkedPost(
  port: number,
  caPem: string,
  pathName: string,
  body: AsyncIterable<Buffer>,
  {
    localAddress = ALLOWED_CLIENT,
    trailers,
  }: { localAddress?: string; trailers?: Record<string, string> } = {},
): Promise<Outcome> {
  const started = Date.now();
  const request = https.request({
    host: LOOPBACK,
    port,
    localAddress,
    ca: fs.readFileSync(caPem),
    method: "POST",
    path: pathName,
    headers: { host: frontAuthority(port) },
    agent: false,
  });
  let status: number | undefined;
  const ended = new Promise<Outcome>((resolve) => {
    const finish = (error?: string) =>
      resolve({ status, error: status === undefined ? error : undefined, elapsedMs: Date.now() - started });
    request.on("response", (response) => {
      status = response.statusCode;
      response.resume();
      response.on("end", () => finish());
      response.on("error", (error: NodeJS.ErrnoException) => finish(error.code));
    });
    request.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    request.on("close", () => finish("closed"));
  });
  for await (const chunk of body) {
    if (request.destroyed || status !== undefined) break;
    if (!request.write(chunk)) await writable(request);
  }
  if (!request.destroyed) {
    if (trailers !== undefined) request.addTrailers(trailers);
    request.end();
  }
  return ended;
}

/**
 * Writes `request` as it is over TLS (header bytes Node's own client refuses to send) and reads the status of the
 * answer; given up after `deadlineMs`.
 */
export async function rawH1Exchange(
  port: number,
  caPem: string,
  request: string,
  deadlineMs: number,
): Promise<Outcome> {
  const started = Date.now();
  const socket = connectTls(port, caPem, ALLOWED_CLIENT, { ALPNProtocols: ["http/1.1"] });
  let received = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => (received += chunk));
  socket.once("secureConnect", () => socket.write(Buffer.from(request, "latin1")));
  const error = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve("deadline"), deadlineMs);
    const done = (reason?: string) => {
      clearTimeout(timer);
      resolve(reason);
    };
    socket.on("data", () => received.includes("\r\n\r\n") && done());
    socket.on("error", (failure: NodeJS.ErrnoException) => done(failure.code ?? failure.message));
    socket.on("close", () => done("closed"));
  });
  socket.destroy();
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(received)?.[1];
  return status === undefined
    ? { error, elapsedMs: Date.now() - started }
    : { status: Number(status), elapsedMs: Date.now() - started };
}

/**
 * `count` TCP connections from `localAddress` that send nothing; `closedByEdge()` counts those the edge has closed.
 * The caller destroys `sockets` when done.
 */
export async function silentConnections(
  port: number,
  localAddress: string,
  count: number,
): Promise<{ sockets: net.Socket[]; closedByEdge: () => number }> {
  let closed = 0;
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = net.connect({ host: LOOPBACK, port, localAddress });
      socket.on("error", () => undefined);
      socket.on("close", () => (closed += 1));
      socket.resume();
      // A connection the edge refuses may be reset before Node reports it connected.
      await new Promise((resolve) => {
        socket.once("connect", resolve);
        socket.once("close", resolve);
      });
      return socket;
    }),
  );
  return { sockets, closedByEdge: () => closed };
}

/** A raw TCP connection from the allowed client address; resolves with how long the edge kept it open. */
export async function heldOpenMs(
  port: number,
  firstBytes: Buffer | undefined,
  limitMs: number,
): Promise<number> {
  const socket = net.connect({ host: LOOPBACK, port, localAddress: ALLOWED_CLIENT });
  await once(socket, "connect");
  const opened = Date.now();
  if (firstBytes !== undefined) socket.write(firstBytes);
  socket.resume();
  socket.on("error", () => undefined);
  const timer = setTimeout(() => socket.destroy(), limitMs);
  await once(socket, "close");
  clearTimeout(timer);
  return Date.now() - opened;
}
