/**
 * Loopback fixtures for proving the generated haproxy.cfg with the real binary: an openssl-made PKI, fake Cloud
 * Connect nodes that demand client certificates, a haproxy process, and small HTTP/2 client helpers.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as http from "node:http";
import * as http2 from "node:http2";
import * as https from "node:https";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";

export const LOOPBACK = "127.0.0.1";
/** The address the test clients bind to when they must pass the allow-list. */
export const ALLOWED_CLIENT = "127.0.0.2";
export const HEALTH_PATH = "/health";

export function requireHaproxy(): void {
  const probe = spawnSync("haproxy", ["-v"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "haproxy is not on PATH. Fix: run `bash scripts/ensure-haproxy.sh` as root, then re-run the tests.",
    );
  }
}

/** Paths in HAProxy's split layout (`x.pem` + `x.pem.key`), the same layout the container mounts. */
export interface TestPki {
  caPem: string;
  frontCertificate: string;
  clientCertificate: string;
  nodeCertificate(node: string): string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function issue(dir: string, file: string, subject: string, extensions: string[]): void {
  // prettier-ignore
  openssl(dir, [
    "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", `${file}.key`, "-out", `${file}.csr`, "-subj", subject,
    ...extensions.flatMap((extension) => ["-addext", extension]),
  ]);
  // prettier-ignore
  openssl(dir, [
    "x509", "-req", "-in", `${file}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-days", "2", "-copy_extensions", "copyall", "-out", file,
  ]);
}

/** One CA signs the front certificate, the nodes' server certificates and the proxy's client certificate. */
export function createPki(dir: string, frontHost: string, nodeNames: string[]): TestPki {
  // prettier-ignore
  openssl(dir, [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test Cloud Connect CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  issue(dir, "front.pem", `/CN=${frontHost}`, [
    `subjectAltName=DNS:${frontHost},IP:${LOOPBACK}`,
    "extendedKeyUsage=serverAuth",
  ]);
  issue(dir, "client.pem", "/CN=cloud-connect-edge", ["extendedKeyUsage=clientAuth"]);
  for (const node of nodeNames) {
    issue(dir, `${node}.pem`, `/CN=${nodeServerName(node)}`, [
      `subjectAltName=DNS:${nodeServerName(node)}`,
      "extendedKeyUsage=serverAuth",
    ]);
  }
  return {
    caPem: path.join(dir, "ca.pem"),
    frontCertificate: path.join(dir, "front.pem"),
    clientCertificate: path.join(dir, "client.pem"),
    nodeCertificate: (node) => path.join(dir, `${node}.pem`),
  };
}

export function nodeServerName(node: string): string {
  return `${node}.cloud-connect.test`;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, LOOPBACK);
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/** What a fake node saw of one proxied request. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
  clientCertificateSubject: string;
}

export interface FakeNode {
  name: string;
  port: number;
  requests: ReceivedRequest[];
  /** Body bytes of requests whose body never ended: the proxy cut them. */
  cutBodies: Array<{ url: string; bodyBytes: number }>;
  healthChecks: number;
  kill(): Promise<void>;
}

/** A Cloud Connect stand-in: HTTPS on loopback that rejects any client without a certificate from the test CA. */
export async function startFakeNode(name: string, pki: TestPki): Promise<FakeNode> {
  const certificate = pki.nodeCertificate(name);
  const node: FakeNode = {
    name,
    port: 0,
    requests: [],
    cutBodies: [],
    healthChecks: 0,
    kill: async () => undefined,
  };
  const server = https.createServer(
    {
      cert: fs.readFileSync(certificate),
      key: fs.readFileSync(`${certificate}.key`),
      ca: fs.readFileSync(pki.caPem),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (request, response) => {
      if (request.url === HEALTH_PATH) {
        node.healthChecks += 1;
        response.end("ok");
        return;
      }
      // `/slow/<ms>/…` answers after <ms> milliseconds: a Cloud Connect node that takes its time.
      const delayMs = Number(/^\/slow\/(\d+)\//.exec(request.url ?? "")?.[1] ?? 0);
      let bodyBytes = 0;
      request.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
      request.on("close", () => {
        if (!request.complete) node.cutBodies.push({ url: request.url ?? "", bodyBytes });
      });
      request.on("end", () => {
        const peer = (request.socket as tls.TLSSocket).getPeerCertificate();
        const received: ReceivedRequest = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          bodyBytes,
          clientCertificateSubject: String(peer.subject?.CN ?? ""),
        };
        node.requests.push(received);
        response.setHeader("content-type", "application/json");
        setTimeout(() => response.end(JSON.stringify({ node: name, bodyBytes })), delayMs);
      });
    },
  );
  server.listen(0, LOOPBACK);
  await once(server, "listening");
  node.port = (server.address() as net.AddressInfo).port;
  node.kill = async () => {
    const closed = once(server, "close");
    server.close();
    server.closeAllConnections();
    await closed;
  };
  return node;
}

export interface RunningHaproxy {
  /** Everything haproxy wrote so far (its log goes to stdout). */
  output(): string;
  stop(): Promise<void>;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every `intervalMs`, at most `attempts` times; true as soon as it holds. */
export async function eventually(
  condition: () => boolean,
  attempts: number,
  intervalMs: number,
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (condition()) return true;
    await sleep(intervalMs);
  }
  return condition();
}

async function monitorAnswers(monitorPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: LOOPBACK, port: monitorPort, path: "/healthz", timeout: 500 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on("error", () => resolve(false));
    request.on("timeout", () => request.destroy());
  });
}

/** Starts `haproxy -db -f <configPath>` and waits until its monitor endpoint answers. */
export async function startHaproxy(configPath: string, monitorPort: number): Promise<RunningHaproxy> {
  const child: ChildProcess = spawn("haproxy", ["-db", "-f", configPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    if (await monitorAnswers(monitorPort)) return { output: () => output, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`haproxy did not answer on its monitor port within 5 s:\n${output}`);
}

export interface H2Response {
  status: number;
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
  return http2.connect(`https://${LOOPBACK}:${port}`, {
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
    let status = 0;
    let text = "";
    stream.on("response", (responseHeaders) => (status = Number(responseHeaders[":status"])));
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (text += chunk));
    stream.on("end", () => resolve({ status, body: text }));
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

/** One HTTP/2 request that is given up after `deadlineMs`; a response that arrives before an error still counts. */
export async function h2Exchange(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  deadlineMs: number,
  body?: AsyncIterable<Buffer>,
): Promise<Outcome> {
  const started = Date.now();
  const stream = session.request(headers, { endStream: body === undefined });
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

/** An HTTP/1.1 POST whose body Node sends chunked (no Content-Length), from the allowed client address. */
export async function h1ChunkedPost(
  port: number,
  caPem: string,
  pathName: string,
  body: AsyncIterable<Buffer>,
): Promise<Outcome> {
  const started = Date.now();
  const request = https.request({
    host: LOOPBACK,
    port,
    localAddress: ALLOWED_CLIENT,
    ca: fs.readFileSync(caPem),
    method: "POST",
    path: pathName,
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
  if (!request.destroyed) request.end();
  return ended;
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

/** A Cloud Connect stand-in in its own process, so the test can stop it (SIGSTOP) while its socket stays open. */
export interface FakeNodeProcess {
  name: string;
  port: number;
  /** Stops the process: the kernel still accepts connections, nothing answers them. */
  hang(): void;
  resume(): void;
  kill(): Promise<void>;
}

const NODE_PROCESS_SCRIPT = `
const https = require("node:https");
const fs = require("node:fs");
const [certificate, caPem, name, healthPath] = process.argv.slice(1);
const server = https.createServer(
  {
    cert: fs.readFileSync(certificate),
    key: fs.readFileSync(certificate + ".key"),
    ca: fs.readFileSync(caPem),
    requestCert: true,
    rejectUnauthorized: true,
  },
  (request, response) => {
    request.resume();
    request.on("end", () => response.end(request.url === healthPath ? "ok" : JSON.stringify({ node: name })));
  },
);
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

export async function startFakeNodeProcess(name: string, pki: TestPki): Promise<FakeNodeProcess> {
  const child = spawn(
    process.execPath,
    ["-e", NODE_PROCESS_SCRIPT, pki.nodeCertificate(name), pki.caPem, name, HEALTH_PATH],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(child, "exit");
  const [firstOutput] = (await Promise.race([
    once(child.stdout!, "data"),
    exited.then(() => [Buffer.from("")]),
  ])) as Buffer[];
  const port = Number(firstOutput.toString().trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`fake node ${name} did not start`);
  return {
    name,
    port,
    hang: () => child.kill("SIGSTOP"),
    resume: () => child.kill("SIGCONT"),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT");
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
