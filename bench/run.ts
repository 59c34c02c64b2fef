/**
 * `npm run bench`: what users feel, on the local default (emulator, file backend, rendered manifests). Every figure
 * is a ratio against a baseline measured in the same run, so a busy machine does not mislead, with the absolute
 * times beside it; targets are reported, never asserted. Writes a table to the terminal and JSON to
 * .work/bench/results.json. Pulumi runs through ops/pulumiCli.ts, as operations run it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { refreshExcludes } from "../config/refreshScope";
import { DEFAULT_ORGANIZATION_ID } from "../emulator/server";
import { reconcile } from "../ops/reconcile";
import { runPulumi, type PulumiRun } from "../ops/pulumiCli";
import type { RequestReport } from "../emulator/controlApi";
import { cpuOfChildren, cpuRole, residentMiB, sampleTreeCpu, type TreeCpu } from "../harness/processUsage";
import { descendantsOf } from "../harness/processes";
import { repoRoot } from "../harness/pulumiEngine";
import { createStackWorld, type StackWorld } from "../harness/stackWorld";

const STACK = "dev-demo";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = 100;

interface Figure {
  name: string;
  /** The absolute figures behind the value, as the table shows them. */
  absolute: string;
  value: number;
  target: string;
  met: boolean;
  detail: Record<string, unknown>;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The local default with the pulumi CLI run as a user would, from the shell. */
interface World extends StackWorld {
  /** Runs `pulumi <args> --stack <stack>`; rejects when it exits non-zero. */
  pulumi(args: string[], stack?: string, cwd?: string): Promise<PulumiRun>;
}

async function createWorld(): Promise<World> {
  const world = await createStackWorld([STACK], {
    seed: 3,
    // The benchmark measures the engine and the providers, not the emulator's rate limit.
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  });
  const env = { ...process.env, ...world.env };
  const pulumi = async (args: string[], stack = STACK, cwd = world.project.dir) => {
    const result = await runPulumi([...args, "--stack", stack], { cwd, env });
    if (result.exitCode !== 0)
      throw new Error(
        `pulumi ${args.join(" ")} exited with ${result.exitCode}:\n${result.stderr}${result.stdout}`,
      );
    return result;
  };
  await pulumi(["stack", "init"]);
  return { ...world, pulumi };
}

/** 1. A no-op preview of the full stack against the engine's floor: a preview of an empty program. */
async function noOpPreviewOverhead(world: World): Promise<Figure> {
  await world.pulumi(["up", "--yes", "--skip-preview"]);
  // The engine's floor: a JavaScript program that declares nothing, run as ours is (compiled, no TypeScript).
  const empty = path.join(world.project.dir, "empty");
  fs.mkdirSync(empty);
  fs.writeFileSync(path.join(empty, "index.js"), "module.exports = {};\n");
  fs.writeFileSync(
    path.join(empty, "Pulumi.yaml"),
    "name: empty\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
  );
  await world.pulumi(["stack", "init"], "floor", empty);
  await world.pulumi(["up", "--yes", "--skip-preview"], "floor", empty);
  const full: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(await timed(() => world.pulumi(["preview", "--expect-no-changes"], "floor", empty)));
    full.push(await timed(() => world.pulumi(["preview", "--expect-no-changes"])));
  }
  const value = median(full) / median(floor);
  return {
    name: "no-op preview overhead",
    value,
    target: "≤ 1.5",
    met: value <= 1.5,
    absolute: `${seconds(median(full))} ÷ ${seconds(median(floor))}`,
    detail: { fullStackMs: median(full), emptyProgramMs: median(floor), runs: RUNS },
  };
}

function countsOf(report: RequestReport) {
  const byRoute: Record<string, number> = {};
  let reads = 0;
  let writes = 0;
  for (const [route, methods] of Object.entries(report.counts)) {
    for (const [method, count] of Object.entries(methods ?? {})) {
      byRoute[`${method} ${route}`] = count ?? 0;
      if (method === "GET") reads += count ?? 0;
      else writes += count ?? 0;
    }
  }
  return { byRoute, reads, writes };
}

/** 2. API requests per operation: none written on a no-op, one read per Webex Connect resource on refresh. */
async function apiFrugality(world: World): Promise<Figure> {
  const state = JSON.parse((await world.pulumi(["stack", "export"])).stdout);
  const webexResources = state.deployment.resources.filter((r: { type: string }) =>
    r.type.startsWith("pulumi-nodejs:dynamic/webexconnect:"),
  ).length;
  const measure = async (args: string[]) => {
    await world.emulator.control.clearRequests();
    await world.pulumi(args);
    return countsOf(await world.emulator.control.requests());
  };
  const exclude = refreshExcludes(true).flatMap((pattern) => ["--exclude", pattern]);
  const noOpUp = await measure(["up", "--yes", "--skip-preview"]);
  const previewRefresh = await measure(["preview", "--refresh", "--expect-no-changes", ...exclude]);
  const refresh = await measure(["refresh", "--yes", "--skip-preview", ...exclude]);
  const extraReads = refresh.reads - webexResources;
  return {
    name: "API frugality (extra reads on refresh)",
    value: extraReads,
    target: "0 writes on no-op; 0 extra reads",
    met: noOpUp.writes === 0 && extraReads <= 0,
    absolute: `no-op up: ${noOpUp.writes} writes; refresh: ${refresh.reads} reads for ${webexResources} resources`,
    detail: { webexResources, noOpUp, previewRefresh, refresh },
  };
}

/** 3. A fresh up with 100 ms per API call against its longest chain of dependent calls plus the no-op floor. */
async function criticalPath(): Promise<Figure> {
  // Count the calls each resource makes, without latency, to know the longest chain of dependent calls.
  const counting = await createWorld();
  await counting.pulumi(["up", "--yes", "--skip-preview"]);
  const { byRoute } = countsOf(await counting.emulator.control.requests());
  const noOpMs = await timed(() => counting.pulumi(["up", "--yes", "--skip-preview"]));
  await counting.close();
  const flows = byRoute["POST flow.import"] ?? 1;
  const perFlow =
    Object.entries(byRoute)
      .filter(([route]) => route.includes(" flow."))
      .reduce((sum, [, count]) => sum + count, 0) / flows;
  const service = Object.entries(byRoute)
    .filter(([route]) => route.includes(" service."))
    .reduce((s, [, c]) => s + c, 0);
  // Every call of the asset is one step of the chain: it reads its settings with the asset, in one request.
  const asset = Object.entries(byRoute)
    .filter(([route]) => / (asset|engage|dataStream)\./.test(route))
    .reduce((s, [, c]) => s + c, 0);
  const chain = service + asset + perFlow;

  const slow = await createWorld();
  await slow.emulator.control.addFault({ action: { type: "latency", ms: LATENCY_MS } });
  const freshMs = await timed(() => slow.pulumi(["up", "--yes", "--skip-preview"]));
  await slow.close();
  const value = freshMs / (chain * LATENCY_MS + noOpMs);
  return {
    name: "critical path (fresh up, 100 ms per call)",
    value,
    target: "≤ 1.3",
    met: value <= 1.3,
    absolute: `${seconds(freshMs)} ÷ (${chain} calls × ${LATENCY_MS} ms + ${seconds(noOpMs)})`,
    detail: {
      freshUpMs: freshMs,
      chainCalls: chain,
      callsPerResource: { service, asset, perFlow },
      noOpUpMs: noOpMs,
    },
  };
}

const FLEET_SIZE = 12;
const CONCURRENCY_LEVELS = [1, 2, 4, 8];

/** One fleet drift check: wall time, CPU of every process it started, and of this process (emulator, orchestration). */
interface FleetRun {
  concurrency: number;
  wallMs: number;
  cpuSeconds: number;
  benchProcessCpuSeconds: number;
}

/** The CPU seconds of everything under a measured span: reaped children and this process (the emulator runs here). */
async function withCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; wallMs: number; children: number; own: number }> {
  const children = cpuOfChildren();
  const own = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await work();
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const ownUsage = process.cpuUsage(own);
  return {
    result,
    wallMs,
    children: cpuOfChildren() - children,
    own: (ownUsage.user + ownUsage.system) / 1e6,
  };
}

/**
 * 4. Drift checks of 12 stacks at concurrency 1, 2, 4 and 8: how the fleet scales with the machine's cores, with the
 * wall time and the CPU seconds of each; and, for one check, where its CPU goes (pulumi CLI, language host, program,
 * providers).
 */
async function fleetReconcile(): Promise<Figure> {
  const world = await createWorld();
  try {
    const template = fs.readFileSync(path.join(world.project.dir, "stacks", `Pulumi.${STACK}.yaml`), "utf8");
    const stacks = Array.from({ length: FLEET_SIZE }, (_, i) => `dev-fleet${String(i + 1).padStart(2, "0")}`);
    for (const [index, stack] of stacks.entries()) {
      const key = stack.slice("dev-".length);
      const doc = parseDocument(template);
      const asset = { appId: `fleet-app-${index + 1}`, accountName: `Fleet_${index + 1}` };
      doc.setIn(["config", "amb-cce-connect:asset", "key"], key);
      doc.setIn(["config", "amb-cce-connect:asset", "appId"], asset.appId);
      doc.setIn(["config", "amb-cce-connect:asset", "accountName"], asset.accountName);
      doc.setIn(["config", "amb-cce-connect:service", "name"], `AMB ${asset.accountName}`);
      doc.setIn(["config", "amb-cce-connect:edge", "fqdn"], `amb-${key}.cc.example.com`);
      doc.setIn(["config", "amb-cce-connect:kubernetes", "namespace"], `amb-${key}`);
      doc.setIn(
        ["config", "amb-cce-connect:kubernetes", "renderYamlToDirectory"],
        world.project.renderDir(stack),
      );
      const ambAccountId = `00000000-0000-4000-8000-${String(index + 1).padStart(12, "0")}`;
      await world.emulator.control.seedAsset({
        organizationId: DEFAULT_ORGANIZATION_ID,
        name: asset.accountName,
        ...asset,
        ambAccountId,
        status: "Online",
      });
      doc.setIn(["config", "amb-cce-connect:asset", "ambAccountId"], ambAccountId);
      fs.writeFileSync(path.join(world.project.dir, "stacks", `Pulumi.${stack}.yaml`), doc.toString());
      await world.pulumi(["stack", "init"], stack);
      await world.pulumi(["up", "--yes", "--skip-preview"], stack);
    }
    const env = { ...process.env, ...world.env };
    const check = async (selected: string[], concurrency: number) => {
      const report = await reconcile({ projectDir: world.project.dir, stacks: selected, concurrency, env });
      const unclean = report.stacks.filter((result) => result.outcome !== "clean");
      if (unclean.length > 0) throw new Error(`fleet drift check was not clean: ${JSON.stringify(unclean)}`);
    };

    // Where one stack's drift check spends its CPU, by process.
    const sampler = sampleTreeCpu(process.pid);
    const one = await withCpu(() => check([stacks[0]], 1));
    const perProcess: TreeCpu = sampler.stop();

    const runs: FleetRun[] = [];
    for (const concurrency of CONCURRENCY_LEVELS) {
      console.error(`==> [bench]     ${FLEET_SIZE} stacks at concurrency ${concurrency}`);
      const measured = await withCpu(() => check(stacks, concurrency));
      runs.push({
        concurrency,
        wallMs: Math.round(measured.wallMs),
        cpuSeconds: round(measured.children, 1),
        benchProcessCpuSeconds: round(measured.own, 1),
      });
    }
    const serial = runs.find((r) => r.concurrency === 1)!;
    const four = runs.find((r) => r.concurrency === 4)!;
    const value = four.wallMs / serial.wallMs;
    return {
      name: `fleet drift check, ${FLEET_SIZE} stacks at concurrency 4 ÷ one at a time`,
      value,
      target: "≤ 0.5 on 2 cores",
      met: value <= 0.5,
      absolute: `${seconds(four.wallMs)} ÷ ${seconds(serial.wallMs)} (CPU ${four.cpuSeconds} s ÷ ${serial.cpuSeconds} s)`,
      detail: {
        stacks: FLEET_SIZE,
        cores: os.cpus().length,
        scaling: runs.map((r) => ({ ...r, ratioToSerial: round(r.wallMs / serial.wallMs) })),
        oneCheck: {
          wallMs: Math.round(one.wallMs),
          cpuSeconds: round(one.children),
          // Sampled every 50 ms: a process's last 50 ms and processes shorter than that are missed.
          cpuSecondsByProcess: Object.fromEntries(
            Object.entries(perProcess.byRole).map(([role, seconds]) => [role, round(seconds ?? 0)]),
          ),
          processes: perProcess.processes,
        },
      },
    };
  } finally {
    await world.close();
  }
}

/** The peak memory of a full `up` before issue 17 (same measure: every process of the run, summed). */
const MEMORY_BEFORE_MIB = 674;

/** 5. Peak resident memory of a full up: every process of the run (the CLI and all it starts), summed, by kind. */
async function memory(): Promise<Figure> {
  const world = await createWorld();
  const peaks: Record<string, number> = {};
  let peakTotal = 0;
  // Every process under this one is the up's (the emulator runs inside this process, which is not counted).
  const sample = () => {
    const processes = descendantsOf(process.pid);
    const totals: Record<string, number> = {};
    for (const { pid, command } of processes) {
      const mib = residentMiB(pid);
      if (mib !== undefined) totals[cpuRole(command)] = (totals[cpuRole(command)] ?? 0) + mib;
    }
    for (const [kind, mib] of Object.entries(totals)) peaks[kind] = Math.max(peaks[kind] ?? 0, mib);
    peakTotal = Math.max(
      peakTotal,
      Object.values(totals).reduce((a, b) => a + b, 0),
    );
  };
  const timer = setInterval(sample, 100);
  const up = await runPulumi(["up", "--yes", "--skip-preview", "--stack", STACK], {
    cwd: world.project.dir,
    env: { ...process.env, ...world.env },
  });
  clearInterval(timer);
  await world.close();
  if (up.exitCode !== 0)
    throw new Error(`pulumi up for the memory figure exited with ${up.exitCode}: ${up.stderr}`);
  return {
    name: "peak memory during a full up, all processes (MiB)",
    value: peakTotal,
    target: `≤ ${MEMORY_BEFORE_MIB} (before issue 17)`,
    met: peakTotal <= MEMORY_BEFORE_MIB,
    absolute: Object.entries(peaks)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, mib]) => `${kind} ${Math.round(mib)}`)
      .join(", "),
    detail: {
      peakMiBByProcessKind: Object.fromEntries(
        Object.entries(peaks).map(([kind, mib]) => [kind, round(mib)]),
      ),
    },
  };
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const loadBefore = os.loadavg()[0];
  const world = await createWorld();
  try {
    console.error("==> [bench] 1/5 no-op preview overhead");
    figures.push(await noOpPreviewOverhead(world));
    console.error("==> [bench] 2/5 API frugality");
    figures.push(await apiFrugality(world));
  } finally {
    await world.close();
  }
  console.error("==> [bench] 3/5 critical path with 100 ms latency per call");
  figures.push(await criticalPath());
  console.error("==> [bench] 4/5 fleet drift check");
  figures.push(await fleetReconcile());
  console.error("==> [bench] 5/5 peak memory");
  figures.push(await memory());

  const out = path.join(repoRoot, ".work", "bench");
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, "results.json");
  // The machine's load says how far the wall times can be trusted (a shared machine runs other work meanwhile).
  const machine = {
    cores: os.cpus().length,
    loadAverage1m: { before: round(loadBefore, 1), after: round(os.loadavg()[0], 1) },
  };
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, figures }, null, 2));
  console.log("| figure | value | absolute | target | met |\n| --- | --- | --- | --- | --- |");
  for (const figure of figures) {
    console.log(
      `| ${figure.name} | ${figure.value.toFixed(2)} | ${figure.absolute} | ${figure.target} | ${figure.met ? "yes" : "no"} |`,
    );
  }
  const fleet = figures.find((figure) => figure.name.startsWith("fleet"))?.detail as
    | { scaling: Array<FleetRun & { ratioToSerial: number }>; oneCheck: Record<string, unknown> }
    | undefined;
  if (fleet) {
    console.log(
      `\n| fleet: ${FLEET_SIZE} stacks at concurrency | wall | ÷ one at a time | CPU of the runs | CPU of bench + emulator |`,
    );
    console.log("| --- | --- | --- | --- | --- |");
    for (const r of fleet.scaling)
      console.log(
        `| ${r.concurrency} | ${seconds(r.wallMs)} | ${r.ratioToSerial} | ${r.cpuSeconds} s | ${r.benchProcessCpuSeconds} s |`,
      );
    console.log(`\nOne stack's drift check: ${JSON.stringify(fleet.oneCheck)}`);
  }
  console.log(
    `\n${machine.cores} cores; 1-minute load average ${machine.loadAverage1m.before} before, ${machine.loadAverage1m.after} after.`,
  );
  console.log(`Details: ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
