/**
 * A real Kubernetes API server on loopback: etcd plus kube-apiserver (built by scripts/kube-toolchain.sh), with a
 * token in `system:masters`, a serving certificate and service-account keys from openssl, and a kubeconfig for the
 * Pulumi Kubernetes provider. No kubelet, scheduler or controller-manager: objects are validated and stored, a
 * Deployment never gets pods or status. State (etcd data, keys, logs) lives in one folder, so a second start finds
 * the objects of the first.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { stringify } from "yaml";
import { KubeApi } from "./api";
import { LOCAL_CONTEXT } from "./context";

export interface LocalApiServerOptions {
  /** Folder for etcd data, keys, the kubeconfig and logs; created when missing, reused when present. */
  stateDir: string;
  /** The API server's HTTPS port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** How long to wait for /readyz (default 120 s: start-up is slower on a loaded machine). */
  readyTimeoutMs?: number;
}

export interface LocalApiServer {
  url: string;
  /** A kubeconfig whose current context (LOCAL_CONTEXT) is this server, written once it is ready. */
  kubeconfigPath: string;
  api: KubeApi;
  stop(): Promise<void>;
}

const BINARIES = ["etcd", "kube-apiserver"] as const;

/** The folder holding etcd and kube-apiserver: AMB_KUBE_BIN, else the first PATH entry with both. */
export function kubeBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.AMB_KUBE_BIN ? [env.AMB_KUBE_BIN] : (env.PATH ?? "").split(path.delimiter);
  const found = candidates.find((dir) =>
    BINARIES.every((binary) => {
      try {
        fs.accessSync(path.join(dir, binary), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
  if (found === undefined) {
    throw new Error(
      `etcd and kube-apiserver were not found ${env.AMB_KUBE_BIN ? `in AMB_KUBE_BIN=${env.AMB_KUBE_BIN}` : "on PATH"}. ` +
        "Fix: run `bash scripts/kube-toolchain.sh` (it builds both from Go modules and prints their folder) and put " +
        "that folder on PATH or in AMB_KUBE_BIN; `source scripts/setup.sh` does both.",
    );
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Pki {
  token: string;
  tokenFile: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

function openssl(args: string[]): void {
  try {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    throw new Error(
      `openssl ${args[0]} failed (openssl is needed for the local API server's keys): ${error}`,
    );
  }
}

/** Keys and the admin token, made once per state folder. */
function ensurePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  const pki: Pki = {
    token: "",
    tokenFile: file("tokens.csv"),
    servingCert: file("serving.crt"),
    servingKey: file("serving.key"),
    serviceAccountKey: file("service-account.key"),
    serviceAccountPub: file("service-account.pub"),
  };
  if (!fs.existsSync(pki.servingCert)) {
    openssl(
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=localhost"]
        .concat(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        .concat(["-keyout", pki.servingKey, "-out", pki.servingCert]),
    );
  }
  if (!fs.existsSync(pki.serviceAccountPub)) {
    openssl(["genrsa", "-out", pki.serviceAccountKey, "2048"]);
    openssl(["rsa", "-in", pki.serviceAccountKey, "-pubout", "-out", pki.serviceAccountPub]);
  }
  if (!fs.existsSync(pki.tokenFile)) {
    fs.writeFileSync(
      pki.tokenFile,
      `${randomBytes(24).toString("hex")},local-admin,local-admin,"system:masters"\n`,
      {
        mode: 0o600,
      },
    );
  }
  pki.token = fs.readFileSync(pki.tokenFile, "utf8").split(",")[0];
  return pki;
}

function kubeconfig(url: string, pki: Pki): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": LOCAL_CONTEXT,
    clusters: [
      {
        name: LOCAL_CONTEXT,
        cluster: {
          server: url,
          "certificate-authority-data": fs.readFileSync(pki.servingCert).toString("base64"),
        },
      },
    ],
    users: [{ name: LOCAL_CONTEXT, user: { token: pki.token } }],
    contexts: [{ name: LOCAL_CONTEXT, context: { cluster: LOCAL_CONTEXT, user: LOCAL_CONTEXT } }],
  });
}

interface Started {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

function startProcess(name: string, binary: string, args: string[], logDir: string): Started {
  const log = path.join(logDir, `${name}.log`);
  const out = fs.openSync(log, "w");
  const child = spawn(binary, args, { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { name, child, log, exited };
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function stopProcess(started: Started): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill("SIGTERM");
  const timer = setTimeout(() => started.child.kill("SIGKILL"), 10_000);
  await started.exited;
  clearTimeout(timer);
}

/** Waits until `check` resolves true, failing early when a process exits and naming its log. */
async function waitFor(what: string, check: () => Promise<boolean>, processes: Started[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = processes.find(
      (started) => started.child.exitCode !== null || started.child.signalCode !== null,
    );
    if (dead)
      throw new Error(
        `${dead.name} exited while waiting for ${what}; last lines of ${dead.log}:\n${tail(dead.log)}`,
      );
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const logs = processes.map((started) => `${started.log}:\n${tail(started.log)}`).join("\n");
      throw new Error(`${what} did not happen within ${timeoutMs / 1000} s; last log lines:\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startLocalApiServer(options: LocalApiServerOptions): Promise<LocalApiServer> {
  const bin = kubeBinDir();
  const stateDir = path.resolve(options.stateDir);
  const pki = ensurePki(path.join(stateDir, "pki"));
  const logDir = path.join(stateDir, "logs");
  fs.mkdirSync(logDir, { recursive: true });
  const kubeconfigPath = path.join(stateDir, "kubeconfig");
  fs.rmSync(kubeconfigPath, { force: true });
  const timeoutMs = options.readyTimeoutMs ?? 120_000;

  const [etcdClientPort, etcdPeerPort] = [await freePort(), await freePort()];
  const port = options.port || (await freePort());
  const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = startProcess(
    "etcd",
    path.join(bin, "etcd"),
    [
      `--data-dir=${path.join(stateDir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      "--log-level=warn",
      // A throw-away local store: no fsync per write (on a busy disk each one costs tens of milliseconds).
      "--unsafe-no-fsync",
    ],
    logDir,
  );
  const processes = [etcd];
  const url = `https://127.0.0.1:${port}`;
  const api = new KubeApi(url, pki.token, fs.readFileSync(pki.servingCert, "utf8"));
  try {
    await waitFor("etcd to serve", async () => (await fetch(`${etcdUrl}/health`)).ok, processes, timeoutMs);
    processes.push(
      startProcess(
        "kube-apiserver",
        path.join(bin, "kube-apiserver"),
        [
          `--etcd-servers=${etcdUrl}`,
          "--bind-address=127.0.0.1",
          `--secure-port=${port}`,
          // The default reconciler refuses a loopback address as the API server's public IP.
          "--endpoint-reconciler-type=none",
          `--token-auth-file=${pki.tokenFile}`,
          "--authorization-mode=RBAC",
          `--tls-cert-file=${pki.servingCert}`,
          `--tls-private-key-file=${pki.servingKey}`,
          `--cert-dir=${path.join(stateDir, "apiserver-certs")}`,
          `--service-account-key-file=${pki.serviceAccountPub}`,
          `--service-account-signing-key-file=${pki.serviceAccountKey}`,
          "--service-account-issuer=https://kubernetes.default.svc",
          // No controller-manager mints tokens for service accounts here.
          "--disable-admission-plugins=ServiceAccount",
          "--service-cluster-ip-range=10.96.0.0/16",
        ],
        logDir,
      ),
    );
    await waitFor(
      "kube-apiserver /readyz",
      async () => (await api.request("GET", "/readyz")).status === 200,
      processes,
      timeoutMs,
    );
  } catch (error) {
    await Promise.all(processes.reverse().map(stopProcess));
    throw error;
  }
  fs.writeFileSync(kubeconfigPath, kubeconfig(url, pki), { mode: 0o600 });
  return {
    url,
    kubeconfigPath,
    api,
    async stop() {
      await Promise.all(processes.slice(1).map(stopProcess));
      await stopProcess(etcd);
    },
  };
}
