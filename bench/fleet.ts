/** The fleet benchmark of bench/run.ts: 12 stacks drift-checked at concurrency 1, 2, 4 and 8, with CPU by process. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { DEFAULT_ORGANIZATION_ID } from "../emulator/server";
import { reconcile } from "../ops/reconcile";
import { cpuOfChildren, sampleTreeCpu, type TreeCpu } from "../harness/processUsage";
import { createWorld, round, seconds, STACK, type Figure } from "./common";

export const FLEET_SIZE = 12;
const CONCURRENCY_LEVELS = [1, 2, 4, 8];

/** One fleet drift check: wall time, CPU of every process it started, and of this process (emulator, orchestration). */
export interface FleetRun {
  concurrency: number;
  wallMs: number;
  cpuSeconds: number;
  benchProcessCpuSeconds: number;
  /** How many of the machine's cores the run kept busy on average, as a share of them all (1: no core ever idle). */
  coresBusy: number;
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

/** The CPU seconds spent over `wallMs` as a share of what all the machine's cores could have done meanwhile. */
const coresBusy = (cpuSeconds: number, wallMs: number) => cpuSeconds / (os.cpus().length * (wallMs / 1000));

/**
 * 4. Drift checks of 12 stacks at concurrency 1, 2, 4 and 8: how the fleet scales with the machine's cores, with the
 * wall time and the CPU seconds of each; and, for one check, where its CPU goes (pulumi CLI, language host, program,
 * providers).
 */
export async function fleetReconcile(): Promise<Figure> {
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
        coresBusy: round(coresBusy(measured.children + measured.own, measured.wallMs)),
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
