/**
 * `npm run bench:kill-recovery`: the kill -9 experiment of issue 13.5 (harness/killRecovery.ts). A fresh
 * `pulumi up` is measured, then KILL_RUNS (default 20) fresh ups are killed with SIGKILL at random points spread over
 * that duration, each followed by the recovery docs/operations.md gives (reconcile --recover, pulumi up) and a
 * destroy. Prints a line per run and the counts; writes them to .work/bench/kill-recovery.json. Exit 1 when a count
 * that must be zero is not (duplicates, objects outside state, pending operations or locks left, a failed step).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { killRecoveryExperiment } from "../harness/killRecovery";
import { repoRoot } from "../harness/pulumiEngine";

const RUNS = Number(process.env.KILL_RUNS ?? 20);
const SEED = Number(process.env.KILL_SEED ?? 20261201);

async function main(): Promise<number> {
  if (!Number.isInteger(RUNS) || RUNS < 1)
    throw new Error(`KILL_RUNS must be a whole number ≥ 1, got ${RUNS}`);
  const started = Date.now();
  const log = (line: string) =>
    process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
  const result = await killRecoveryExperiment({ runs: RUNS, seed: SEED, onProgress: log });
  const width = Math.max(...Object.keys(result.counts).map((name) => name.length));
  process.stdout.write(
    `\n${Object.entries(result.counts)
      .map(([name, value]) => `${name.padEnd(width)}  ${value}`)
      .join("\n")}\n`,
  );
  const file = path.join(repoRoot, ".work", "bench", "kill-recovery.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), seed: SEED, ...result }, null, 2));
  process.stdout.write(`\n${file}\n`);
  const c = result.counts;
  const failed =
    c["duplicate objects"] +
      c["Webex objects outside state"] +
      c["locks, pending operations or damaged files after recovery"] +
      c["pending operations after up"] >
      0 ||
    [
      "recovered (reconcile --recover exit 0 or 7)",
      "up after recovery succeeded",
      "clean destroys (exit 0, nothing left)",
      "destroys that restored Engage and Data Stream",
    ].some((name) => c[name] !== RUNS);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`kill-recovery: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
