/**
 * `npm run bench`: what users feel, on the local default (emulator, file backend, rendered manifests). Every figure
 * is a ratio against a baseline measured in the same run, so a busy machine does not mislead; targets are reported,
 * never asserted. Writes a table to the terminal and JSON to .work/bench/results.json.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseDocument } from "yaml";
import { refreshExcludes } from "../config/refreshScope";
import { DEFAULT_ORGANIZATION_ID } from "../emulator/server";
import { reconcile } from "../ops/reconcile";
import type { RequestReport } from "../emulator/controlApi";
import { repoRoot } from "../harness/pulumiEngine";
import { createStackWorld, type StackWorld } from "../harness/stackWorld";

const run = promisify(execFile);
const STACK = "dev-demo";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = 100;

interface Figure {
  name: string;
  value: number;
  target: string;
  met: boolean;
  detail: Record<string, unknown>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The local default with the pulumi CLI run as a user would, from the shell. */
interface World extends StackWorld {
  pulumi(args: string[], stack?: string, cwd?: string): Promise<{ stdout: string; stderr: string }>;
}

async function createWorld(): Promise<World> {
  const world = await createStackWorld([STACK], {
    seed: 3,
    // The benchmark measures the engine and the providers, not the emulator's rate limit.
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  });
  const env = { ...process.env, ...world.env };
  const pulumi = (args: string[], stack = STACK, cwd = world.project.dir) =>
    run("pulumi", [...args, "--stack", stack, "--non-interactive"], { cwd, env, maxBuffer: 64 << 20 });
  await pulumi(["stack", "init"]);
  return { ...world, pulumi };
}

/** 1. A no-op preview of the full stack against the engine's floor: a preview of an empty program. */
async function noOpPreviewOverhead(world: World): Promise<Figure> {
  await world.pulumi(["up", "--yes", "--skip-preview"]);
  const empty = path.join(world.project.dir, "empty");
  fs.mkdirSync(empty);
  fs.writeFileSync(path.join(empty, "index.ts"), "export {};\n");
  fs.writeFileSync(path.join(empty, "Pulumi.yaml"), "name: empty\nruntime: nodejs\nmain: index.ts\n");
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
    detail: {
      freshUpMs: freshMs,
      chainCalls: chain,
      callsPerResource: { service, asset, perFlow },
      noOpUpMs: noOpMs,
    },
  };
}

/** 4. Drift checks of 12 stacks at concurrency 4 against the same checks one stack at a time. */
async function fleetReconcile(): Promise<Figure> {
  const world = await createWorld();
  try {
    const template = fs.readFileSync(path.join(world.project.dir, "stacks", `Pulumi.${STACK}.yaml`), "utf8");
    const stacks = Array.from({ length: 12 }, (_, i) => `dev-fleet${String(i + 1).padStart(2, "0")}`);
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
    const check = (concurrency: number) =>
      timed(async () => {
        const report = await reconcile({ projectDir: world.project.dir, stacks, concurrency, env });
        const unclean = report.stacks.filter((result) => result.outcome !== "clean");
        if (unclean.length > 0)
          throw new Error(`fleet drift check was not clean: ${JSON.stringify(unclean)}`);
      });
    const sequentialMs = await check(1);
    const parallelMs = await check(4);
    const value = parallelMs / sequentialMs;
    return {
      name: "fleet drift check, 12 stacks at concurrency 4 ÷ one at a time",
      value,
      target: "≤ 0.35",
      met: value <= 0.35,
      detail: { stacks: stacks.length, concurrency4Ms: parallelMs, sequentialMs },
    };
  } finally {
    await world.close();
  }
}

/** 5. Peak resident memory of the program, language host and provider processes during a full up. */
async function memory(): Promise<Figure> {
  const world = await createWorld();
  const kinds: Array<[string, RegExp]> = [
    ["program (node cmd/run)", /@pulumi\/pulumi\/cmd\/run\b/],
    ["dynamic providers", /cmd\/dynamic-provider/],
    ["kubernetes provider", /pulumi-resource-kubernetes/],
    ["language host", /pulumi-language-nodejs/],
    ["pulumi engine", /(^|\/)pulumi up\b/],
  ];
  const peaks: Record<string, number> = {};
  let peakTotal = 0;
  let rootPid = 0;
  const sample = async () => {
    const { stdout } = await run("ps", ["-eo", "pid=,ppid=,rss=,args="], { maxBuffer: 16 << 20 });
    const rows = stdout
      .split("\n")
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({
        pid: Number(match[1]),
        ppid: Number(match[2]),
        mib: Number(match[3]) / 1024,
        args: match[4],
      }));
    // Only the processes of this run: the pulumi process and its descendants.
    const tree = new Set([rootPid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const row of rows)
        if (tree.has(row.ppid) && !tree.has(row.pid)) grew = tree.add(row.pid) !== undefined;
    }
    const totals: Record<string, number> = {};
    for (const row of rows.filter((r) => tree.has(r.pid))) {
      const kind = kinds.find(([, pattern]) => pattern.test(row.args))?.[0] ?? "other";
      totals[kind] = (totals[kind] ?? 0) + row.mib;
    }
    for (const [kind, mib] of Object.entries(totals)) peaks[kind] = Math.max(peaks[kind] ?? 0, mib);
    peakTotal = Math.max(
      peakTotal,
      Object.values(totals).reduce((a, b) => a + b, 0),
    );
  };
  const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], {
    cwd: world.project.dir,
    env: { ...process.env, ...world.env },
    stdio: "ignore",
  });
  rootPid = child.pid!;
  const done = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await sample();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const code = await done;
  await world.close();
  if (code !== 0) throw new Error(`pulumi up for the memory figure exited with ${code}`);
  return {
    name: "peak memory during a full up (MiB)",
    value: peakTotal,
    target: "reported",
    met: true,
    detail: { peakMiBByProcessKind: peaks },
  };
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
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
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), figures }, null, 2));
  console.log("| figure | value | target | met |\n| --- | --- | --- | --- |");
  for (const figure of figures) {
    console.log(
      `| ${figure.name} | ${figure.value.toFixed(2)} | ${figure.target} | ${figure.met ? "yes" : "no"} |`,
    );
  }
  console.log(`\nDetails: ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
