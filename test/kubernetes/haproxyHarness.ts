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
  healthChecks: number;
  kill(): Promise<void>;
}

/** A Cloud Connect stand-in: HTTPS on loopback that rejects any client without a certificate from the test CA. */
export async function startFakeNode(name: string, pki: TestPki): Promise<FakeNode> {
  const certificate = pki.nodeCertificate(name);
  const node: FakeNode = { name, port: 0, requests: [], healthChecks: 0, kill: async () => undefined };
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
      let bodyBytes = 0;
      request.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
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
        response.end(JSON.stringify({ node: name, bodyBytes }));
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
