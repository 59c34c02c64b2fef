/**
 * The set-up every edge test file shares: a PKI, two fake Cloud Connect nodes, and edges launched from the generated
 * haproxy.cfg with short health checks, all on loopback and torn down after the file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BODY_LIMIT_SCRIPT, BODY_LIMIT_SCRIPT_FILE } from "../../../edge/bodyLimitFilter";
import { renderHaproxyConfig } from "../../../edge/haproxyConfig";
import { EdgeProxyConfigInput, MIN_BODY_LIMIT_BYTES } from "../../../edge/types";
import { FRONT_HOST, Outcome } from "./clients";
import { FakeNode, HEALTH_PATH, ReceivedRequest, startFakeNode } from "./fakeNodes";
import { requireHaproxy, RunningHaproxy, startHaproxy } from "./haproxyProcess";
import { ALLOWED_CLIENT, eventually, freePort, LOOPBACK, OTHER_CLIENT } from "./loopback";
import { createPki, nodeServerName, TestPki } from "./pki";

export const NODE_NAMES = ["publisher", "subscriber"];
/** A node in its own process, stopped mid-test. */
export const HANGING_NODE = "hanging";
/** A node in its own process that kills itself once it received a request. */
export const DYING_NODE = "dying";
export const MEBIBYTE = 1024 * 1024;
export const CHECK_INTERVAL_MS = 500;
export const CHECK_FALL = 2;
/** Slack for timings on a loaded two-core machine; every bound below still fails on the old defaults. */
export const TIMING_SLACK_MS = 1500;

/** A node on loopback, verified by the name in its test certificate. */
export function loopbackNode(name: string, port: number) {
  return { name, host: LOOPBACK, port, tlsServerName: nodeServerName(name) };
}

export const get = (pathName: string, extra: Record<string, string> = {}) => ({
  ":method": "GET",
  ":path": pathName,
  ...extra,
});

export interface LaunchedEdge {
  listenPort: number;
  proxy: RunningHaproxy;
}

/** The edge's log line for the request to `url` (it ends with the quoted request line), once it is written. */
export async function logLine(proxy: RunningHaproxy, url: string): Promise<string | undefined> {
  const line = () =>
    proxy
      .output()
      .split("\n")
      .find((text) => text.includes(`${url} HTTP/`));
  await eventually(() => line() !== undefined, 50, 100);
  return line();
}

/** A log line's timers (%TR/%Tw/%Tc/%Tr/%Ta: receive, queue, connect, response, total) and status. */
export function logTimersAndStatus(line: string | undefined): { timers: number[]; status?: string } {
  const match = / (-?\d+\/-?\d+\/-?\d+\/-?\d+\/-?\d+) (\d{3}) /.exec(line ?? "");
  return { timers: match?.[1].split("/").map(Number) ?? [], status: match?.[2] };
}

/** The status the edge logged for the request to `url`. */
export async function loggedStatus(proxy: RunningHaproxy, url: string): Promise<string | undefined> {
  return logTimersAndStatus(await logLine(proxy, url)).status;
}

/**
 * The edge answered `status` and closed; a client still sending its body may see the reset before it reads the
 * answer, so a reset counts too.
 */
export function expectAnsweredOrReset(outcome: Outcome, status: number): void {
  expect([outcome.status, outcome.error]).toEqual(
    outcome.status === undefined
      ? [undefined, expect.stringMatching(/^(ECONNRESET|EPIPE)$/)]
      : [status, undefined],
  );
}

/** The Cloud Connect nodes the edge has marked DOWN so far. */
export function nodesMarkedDown(proxy: RunningHaproxy): string[] {
  return [...proxy.output().matchAll(/Server cloud_connect\/([a-z0-9-]+) is DOWN/g)].map((match) => match[1]);
}

export interface EdgeSuite {
  readonly workDir: string;
  readonly pki: TestPki;
  /** One of NODE_NAMES, running in this process. */
  node(name: string): FakeNode;
  /**
   * The edge config the tests run: short health checks so failover shows within seconds, both test clients allowed.
   * `runtimeDirectory` holds the edge's sockets, one per running edge.
   */
  edgeConfig(
    listenPort: number,
    monitorPort: number,
    overrides?: Partial<EdgeProxyConfigInput>,
    runtimeDirectory?: string,
  ): EdgeProxyConfigInput;
  launch(fileName: string, overrides?: Partial<EdgeProxyConfigInput>): Promise<LaunchedEdge>;
  /** Launches an edge in front of both nodes and waits until its checks passed on both over mTLS. */
  launchHealthy(fileName: string, overrides?: Partial<EdgeProxyConfigInput>): Promise<LaunchedEdge>;
  /** Every request the nodes got the whole of. */
  allReceived(): ReceivedRequest[];
  /** The requests to `url` the nodes got the whole of. */
  receivedAt(url: string): ReceivedRequest[];
  receivedWith(trackingId: string): ReceivedRequest | undefined;
}

/** Registers the file's beforeAll/afterAll; the suite's fields are there once beforeAll has run. */
export function useEdgeSuite(): EdgeSuite {
  // The real binary, 100 MiB bodies and health-check windows on a shared machine.
  jest.setTimeout(120_000);
  let workDir: string | undefined;
  let pki: TestPki | undefined;
  const nodes = new Map<string, FakeNode>();
  const proxies: RunningHaproxy[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the edge suite is used before its beforeAll ran");
    return value;
  };

  beforeAll(async () => {
    requireHaproxy();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-haproxy-"));
    pki = createPki(workDir, FRONT_HOST, [...NODE_NAMES, HANGING_NODE, DYING_NODE]);
    fs.writeFileSync(path.join(workDir, BODY_LIMIT_SCRIPT_FILE), BODY_LIMIT_SCRIPT);
    for (const name of NODE_NAMES) nodes.set(name, await startFakeNode(name, pki));
  });

  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await Promise.all([...nodes.values()].map((node) => node.kill()));
    if (workDir !== undefined) fs.rmSync(workDir, { recursive: true, force: true });
  });

  const suite: EdgeSuite = {
    get workDir() {
      return ready(workDir);
    },
    get pki() {
      return ready(pki);
    },
    node: (name) => {
      const node = nodes.get(name);
      if (node === undefined) {
        throw new Error(
          `no fake node "${name}": the suite starts ${NODE_NAMES.join(" and ")} in its beforeAll`,
        );
      }
      return node;
    },
    edgeConfig: (listenPort, monitorPort, overrides = {}, runtimeDirectory = suite.workDir) => ({
      publicHostname: FRONT_HOST,
      listenAddress: LOOPBACK,
      listenPort,
      monitorPort,
      cloudConnectNodes: NODE_NAMES.map((name) => loopbackNode(name, nodes.get(name)?.port ?? 443)),
      allowedClientCidrs: [`${ALLOWED_CLIENT}/32`, `${OTHER_CLIENT}/32`],
      // The smallest limit allowed, so the over-limit uploads stay near 100 MiB.
      maxBodyBytes: MIN_BODY_LIMIT_BYTES,
      // A request to a node that does not answer goes to the other one within a check interval.
      timeouts: { connectMs: CHECK_INTERVAL_MS },
      healthCheck: {
        path: HEALTH_PATH,
        intervalMs: CHECK_INTERVAL_MS,
        timeoutMs: CHECK_INTERVAL_MS,
        fall: CHECK_FALL,
        rise: 1,
      },
      paths: {
        frontCertificate: suite.pki.frontCertificate,
        cloudConnectClientCertificate: suite.pki.clientCertificate,
        cloudConnectCa: suite.pki.caPem,
        runtimeDirectory,
        bodyLimitScript: path.join(suite.workDir, BODY_LIMIT_SCRIPT_FILE),
      },
      ...overrides,
    }),
    launch: async (fileName, overrides = {}) => {
      const listenPort = await freePort();
      const monitorPort = await freePort();
      const configPath = path.join(suite.workDir, fileName);
      const runtimeDirectory = fs.mkdtempSync(path.join(suite.workDir, "run-"));
      const config = suite.edgeConfig(listenPort, monitorPort, overrides, runtimeDirectory);
      fs.writeFileSync(configPath, renderHaproxyConfig(config));
      const proxy = await startHaproxy(configPath, monitorPort);
      proxies.push(proxy);
      return { listenPort, proxy };
    },
    launchHealthy: async (fileName, overrides) => {
      const checksBefore = NODE_NAMES.map((name) => suite.node(name).healthChecks);
      const launched = await suite.launch(fileName, overrides);
      const healthy = await eventually(
        () => NODE_NAMES.every((name, index) => suite.node(name).healthChecks > checksBefore[index]),
        50,
        100,
      );
      expect(healthy).toBe(true);
      return launched;
    },
    allReceived: () => NODE_NAMES.flatMap((name) => suite.node(name).requests),
    receivedAt: (url) => suite.allReceived().filter((request) => request.url === url),
    receivedWith: (trackingId) =>
      suite.allReceived().find((request) => request.headers.trackingid === trackingId),
  };
  return suite;
}
