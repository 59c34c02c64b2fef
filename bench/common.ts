/** What every benchmark of bench/run.ts shares: the figure it reports, timing, and the local-default world. */
import { runPulumi, type PulumiRun } from "../ops/pulumiCli";
import { createStackWorld, type StackWorld } from "../harness/stackWorld";

export const STACK = "dev-demo";
export const RUNS = Number(process.env.BENCH_RUNS ?? 5);
export const LATENCY_MS = 100;

export interface Figure {
  name: string;
  /** The absolute figures behind the value, as the table shows them. */
  absolute: string;
  value: number;
  target: string;
  met: boolean;
  detail: Record<string, unknown>;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The local default with the pulumi CLI run as a user would, from the shell. */
export interface World extends StackWorld {
  /** Runs `pulumi <args> --stack <stack>`; rejects when it exits non-zero. */
  pulumi(args: string[], stack?: string, cwd?: string): Promise<PulumiRun>;
}

export async function createWorld(): Promise<World> {
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
