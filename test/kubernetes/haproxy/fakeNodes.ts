/**
 * Cloud Connect stand-ins that demand a client certificate from the test CA: one in this process that records what
 * it was sent (and accepts any tunnel a client asks for), and one in a process of its own that the test can stop
 * while its socket stays open, or that kills itself once it received a request.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { eventually, LOOPBACK } from "./loopback";
import { TestPki } from "./pki";

/** The path the nodes answer health checks on. */
export const HEALTH_PATH = "/health";

/** What a fake node saw of one proxied request. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
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
  /** Requests (health checks aside) the node is working on now, and the most it had at once since resetPeak. */
  inFlight: number;
  peakInFlight: number;
  resetPeak(): void;
  /** Upgrade and CONNECT requests the node accepted, turning their connections into tunnels: "<method> <url>". */
  tunnels: string[];
  kill(): Promise<void>;
}

/** Writes `statusLine` on a connection a client asked to turn into a tunnel, then echoes what comes through it. */
function acceptTunnel(socket: Duplex, statusLine: string): void {
  socket.write(`${statusLine}\r\n\r\n`);
  socket.pipe(socket);
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
    inFlight: 0,
    peakInFlight: 0,
    resetPeak: () => (node.peakInFlight = node.inFlight),
    tunnels: [],
    kill: async () => undefined,
  };
  const server = https.createServer(
    {
      cert: fs.readFileSync(certificate),
      key: fs.readFileSync(`${certificate}.key`),
      ca: fs.readFileSync(pki.caPem),
      requestCert: true,
      rejectUnauthorized: true,
      // Takes header values with control bytes, so a test sees whether the edge passed them on.
      insecureHTTPParser: true,
    },
    (request, response) => {
      if (request.url === HEALTH_PATH) {
        node.healthChecks += 1;
        response.end("ok");
        return;
      }
      node.inFlight += 1;
      node.peakInFlight = Math.max(node.peakInFlight, node.inFlight);
      response.on("close", () => (node.inFlight -= 1));
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
          trailers: request.trailers,
          bodyBytes,
          clientCertificateSubject: String(peer.subject?.CN ?? ""),
        };
        node.requests.push(received);
        response.setHeader("content-type", "application/json");
        setTimeout(() => response.end(JSON.stringify({ node: name, bodyBytes })), delayMs);
      });
    },
  );
  // Tunnels leave the server's connection tracking, so kill() closes them itself.
  const tunnelSockets = new Set<Duplex>();
  const tunnel = (request: http.IncomingMessage, socket: Duplex, statusLine: string) => {
    node.tunnels.push(`${request.method} ${request.url}`);
    tunnelSockets.add(socket);
    socket.on("close", () => tunnelSockets.delete(socket));
    acceptTunnel(socket, statusLine);
  };
  server.on("upgrade", (request: http.IncomingMessage, socket: Duplex) =>
    tunnel(
      request,
      socket,
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${request.headers.upgrade}`,
    ),
  );
  server.on("connect", (request: http.IncomingMessage, socket: Duplex) =>
    tunnel(request, socket, "HTTP/1.1 200 Connection Established"),
  );
  server.listen(0, LOOPBACK);
  await once(server, "listening");
  node.port = (server.address() as net.AddressInfo).port;
  node.kill = async () => {
    const closed = once(server, "close");
    server.close();
    server.closeAllConnections();
    for (const socket of tunnelSockets) socket.destroy();
    await closed;
  };
  return node;
}

/** The path prefix on which a node process kills itself (SIGKILL) once it received the whole request. */
export const DIE_PATH = "/die/";

/**
 * A Cloud Connect stand-in in its own process, so the test can stop it (SIGSTOP) while its socket stays open, or
 * have it killed after it received a request.
 */
export interface FakeNodeProcess {
  name: string;
  port: number;
  /** "<method> <url> <body bytes>" of each request under DIE_PATH the process received in full before it died. */
  receivedBeforeDeath(): string[];
  /** Resolves when the process has exited. */
  exited: Promise<unknown>;
  /** Stops the process: the kernel still accepts connections, nothing answers them. */
  hang(): void;
  resume(): void;
  kill(): Promise<void>;
}

const NODE_PROCESS_SCRIPT = `
const https = require("node:https");
const fs = require("node:fs");
const [certificate, caPem, name, healthPath, diePath] = process.argv.slice(1);
const server = https.createServer(
  {
    cert: fs.readFileSync(certificate),
    key: fs.readFileSync(certificate + ".key"),
    ca: fs.readFileSync(caPem),
    requestCert: true,
    rejectUnauthorized: true,
  },
  (request, response) => {
    let bodyBytes = 0;
    request.on("data", (chunk) => (bodyBytes += chunk.length));
    request.on("end", () => {
      if (!request.url.startsWith(diePath)) {
        response.end(request.url === healthPath ? "ok" : JSON.stringify({ node: name }));
        return;
      }
      // The whole request is here; say so, then die as a crashed or OOM-killed node does, without answering.
      process.stdout.write("received " + request.method + " " + request.url + " " + bodyBytes + "\\n", () =>
        process.kill(process.pid, "SIGKILL"),
      );
    });
  },
);
server.listen(0, "127.0.0.1", () => process.stdout.write("port " + server.address().port + "\\n"));
`;

export async function startFakeNodeProcess(name: string, pki: TestPki): Promise<FakeNodeProcess> {
  const child = spawn(
    process.execPath,
    ["-e", NODE_PROCESS_SCRIPT, pki.nodeCertificate(name), pki.caPem, name, HEALTH_PATH, DIE_PATH],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = once(child, "exit");
  const lines: string[] = [];
  let pending = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split("\n");
    pending = parts.pop() ?? "";
    lines.push(...parts);
  });
  const portLine = () => lines.find((line) => line.startsWith("port "));
  await Promise.race([exited, eventually(() => portLine() !== undefined, 100, 50)]);
  const port = Number(portLine()?.slice("port ".length));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`fake node ${name} did not start`);
  return {
    name,
    port,
    receivedBeforeDeath: () =>
      lines.filter((line) => line.startsWith("received ")).map((line) => line.slice("received ".length)),
    exited,
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
