/** The real haproxy binary, run in the foreground on a generated config until the test stops it. */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import * as http from "node:http";
import { LOOPBACK, sleep } from "./loopback";

export function requireHaproxy(): void {
  const probe = spawnSync("haproxy", ["-v"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "haproxy is not on PATH. Fix: run `bash scripts/ensure-haproxy.sh` as root, then re-run the tests.",
    );
  }
}

export interface RunningHaproxy {
  /** Everything haproxy wrote so far (its log goes to stdout). */
  output(): string;
  stop(): Promise<void>;
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
