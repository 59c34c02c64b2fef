/**
 * `npm run bench`: what users feel, on the local default (emulator, file backend, rendered manifests). Every figure
 * is a ratio against a baseline measured in the same run, so a busy machine does not mislead, with the absolute
 * times beside it; targets are reported, never asserted. Writes a table to the terminal and JSON to
 * .work/bench/results.json. Pulumi runs through ops/pulumiCli.ts, as operations run it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { refreshExcludes } from "../config/refreshScope";
import type { RequestReport } from "../emulator/controlApi";
import { descendantsOf } from "../harness/processes";
import { repoRoot } from "../harness/pulumiEngine";
import { runPulumi } from "../ops/pulumiCli";
import { cpuRole, residentMiB } from "../harness/processUsage";
import { createWorld, LATENCY_MS, round, seconds, STACK, timed, type Figure, type World } from "./common";
import { fleetReconcile, FLEET_SIZE, type FleetRun } from "./fleet";
import { noOpPreviewOverhead, PREVIEW_FIGURE } from "./preview";

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

/** The figures by the name BENCH_ONLY takes, in the order they run. */
const BENCHMARKS = ["preview", "api", "critical-path", "fleet", "memory"] as const;
type Benchmark = (typeof BENCHMARKS)[number];

/** BENCH_ONLY=fleet,preview runs only those figures (all when unset); an unknown name stops the bench before it starts. */
function selectedBenchmarks(only = process.env.BENCH_ONLY ?? ""): Set<Benchmark> {
  const names = only
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_ONLY=${only}: unknown ${unknown.join(", ")}; the figures are ${BENCHMARKS.join(", ")}`,
    );
  return new Set(names.length > 0 ? (names as Benchmark[]) : BENCHMARKS);
}

async function main(): Promise<void> {
  const selected = selectedBenchmarks();
  const figures: Figure[] = [];
  const loadBefore = os.loadavg()[0];
  const step = (benchmark: Benchmark, title: string) => {
    console.error(`==> [bench] ${BENCHMARKS.indexOf(benchmark) + 1}/${BENCHMARKS.length} ${title}`);
  };
  if (selected.has("preview") || selected.has("api")) {
    const world = await createWorld();
    try {
      // Both figures start from the stack as it is after an up: the preview and the up they time are no-ops.
      await world.pulumi(["up", "--yes", "--skip-preview"]);
      if (selected.has("preview")) {
        step("preview", "no-op preview overhead");
        figures.push(await noOpPreviewOverhead(world));
      }
      if (selected.has("api")) {
        step("api", "API frugality");
        figures.push(await apiFrugality(world));
      }
    } finally {
      await world.close();
    }
  }
  if (selected.has("critical-path")) {
    step("critical-path", "critical path with 100 ms latency per call");
    figures.push(await criticalPath());
  }
  if (selected.has("fleet")) {
    step("fleet", "fleet drift check");
    figures.push(await fleetReconcile());
  }
  if (selected.has("memory")) {
    step("memory", "peak memory");
    figures.push(await memory());
  }

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
  const preview = figures.find((figure) => figure.name === PREVIEW_FIGURE)?.detail as
    | { productFloorMs: number; productFloorOverEmptyProgram: number; fullStackOverProductFloor: number }
    | undefined;
  if (preview)
    console.log(
      `\nThe product's floor (one idle dynamic-provider resource and one Kubernetes object, bench/floors.ts): ` +
        `${seconds(preview.productFloorMs)}, ${preview.productFloorOverEmptyProgram}× the empty program's preview; ` +
        `the full stack is ${preview.fullStackOverProductFloor}× the product's floor.`,
    );
  const fleet = figures.find((figure) => figure.name.startsWith("fleet"))?.detail as
    | {
        scaling: Array<FleetRun & { ratioToSerial: number }>;
        oneCheck: Record<string, unknown>;
      }
    | undefined;
  if (fleet) {
    console.log(
      `\n| fleet: ${FLEET_SIZE} stacks at concurrency | wall | ÷ one at a time | CPU of the runs | ` +
        "CPU of bench + emulator | cores busy |",
    );
    console.log("| --- | --- | --- | --- | --- | --- |");
    for (const r of fleet.scaling)
      console.log(
        `| ${r.concurrency} | ${seconds(r.wallMs)} | ${r.ratioToSerial} | ${r.cpuSeconds} s | ` +
          `${r.benchProcessCpuSeconds} s | ${r.coresBusy} |`,
      );
    // No concurrency finishes the serial run's work sooner than all cores kept busy with it would.
    const serial = fleet.scaling.find((r) => r.concurrency === 1)!;
    console.log(
      `\nThe lowest ratio to one at a time that the serial run's work allows on ${os.cpus().length} cores, ` +
        `spread over all of them without a gap (its cores busy): ${serial.coresBusy}`,
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
