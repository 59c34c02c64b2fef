/**
 * Cloud Connect stand-ins that demand a client certificate from the test CA: one in this process that records what
 * it was sent, and one in a process of its own that the test can stop while its socket stays open.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import * as tls from "node:tls";
import { LOOPBACK } from "./loopback";
import { TestPki } from "./pki";

/** The path the nodes answer health checks on. */
export const HEALTH_PATH = "/health";

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
