/**
 * The world of the kill -9 experiment (harness/killRecovery.ts): test/fixtures/reconcile-project (a service, an
 * adopted AMB asset, a live flow: the smallest real stack with every kind of Webex Connect object) on the emulator and
 * a throw-away file backend, a `pulumi up` killed with SIGKILL on a trigger, and the marks a kill leaves on the stack.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../emulator/server";
import { runPulumi, type PulumiRun } from "../ops/pulumiCli";
import { pendingOperationsOf } from "../ops/recovery";
import { damagedCheckpointFiles, fileBackendLockDir, readLockDir } from "../ops/backendLocks";
import { SETTINGS_ENV } from "../lib/facts";
import {
  descendantsOf,
  isRunning,
  killAll,
  pluginRole,
  type PluginRole,
  type ProcessInfo,
} from "./processes";
import { engineEnv, repoRoot, scratchDir } from "./pulumiEngine";

const FIXTURE = path.join(repoRoot, "test", "fixtures", "reconcile-project");
const PROJECT = "reconcile-fixture";
export const KILL_STACK = "dev-kill";
const ASSET = {
  appId: "app-kill",
  ambAccountId: "00000000-0000-4000-8000-00000000000k",
  name: "Account_kill",
};
/** Each Webex Connect write waits this long, as on a real tenant, so that kills land inside API calls too. */
const WRITE_LATENCY_MS = 500;
/** How long the plugins of a killed engine get to notice and exit. */
const ORPHAN_GRACE_MS = 10_000;

export interface KillWorld {
  emulator: RunningEmulator;
  projectDir: string;
  backendDir: string;
  env: NodeJS.ProcessEnv;
  assetId: string;
  close(): Promise<void>;
}

export async function createKillWorld(seed: number): Promise<KillWorld> {
  const root = scratchDir("kill-recovery");
  // Three folders below the repo root, like the fixture itself, so its relative imports resolve.
  const projectDir = path.join(root, "project");
  const backendDir = path.join(root, "state");
  fs.cpSync(FIXTURE, projectDir, { recursive: true });
  fs.mkdirSync(backendDir);
  const env: NodeJS.ProcessEnv = { ...process.env, ...engineEnv(backendDir) };
  for (const variable of Object.values(SETTINGS_ENV)) delete env[variable];
  const emulator = await startEmulator({ dataDir: path.join(root, "emulator"), seed });
  const asset = await emulator.control.seedAsset({
    organizationId: DEFAULT_ORGANIZATION_ID,
    name: ASSET.name,
    appId: ASSET.appId,
    ambAccountId: ASSET.ambAccountId,
    status: "Online",
  });
  const world = {
    emulator,
    projectDir,
    backendDir,
    env,
    assetId: asset.id,
    async close() {
      await emulator.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  await must(world, ["stack", "init"]);
  const settings = {
    [`${PROJECT}:accountName`]: ASSET.name,
    [`${PROJECT}:appId`]: ASSET.appId,
    [`${PROJECT}:ambAccountId`]: ASSET.ambAccountId,
    [`${PROJECT}:fqdn`]: "cc-kill.example.com",
    "webexconnect:orgId": DEFAULT_ORGANIZATION_ID,
    "webexconnect:baseUrl": emulator.url,
  };
  await must(world, [
    "config",
    "set-all",
    ...Object.entries(settings).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
    "--secret",
    `webexconnect:token=${DEFAULT_TOKEN}`,
  ]);
  return world;
}

export function pulumi(
  world: KillWorld,
  args: string[],
  onSpawn?: (child: ChildProcess) => void,
): Promise<PulumiRun> {
  return runPulumi([...args, "--stack", KILL_STACK], { cwd: world.projectDir, env: world.env, onSpawn });
}

export async function must(world: KillWorld, args: string[]): Promise<PulumiRun> {
  const run = await pulumi(world, args);
  if (run.exitCode !== 0)
    throw new Error(`pulumi ${args.join(" ")} exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function slowWrites(world: KillWorld): Promise<void> {
  for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const)
    await world.emulator.control.addFault({ method, action: { type: "latency", ms: WRITE_LATENCY_MS } });
}

export interface KilledUp {
  /** False when the run ended by itself before the kill time. */
  killed: boolean;
  seconds: number;
  /** The engine's plugins (and the program) running at the kill, by role. */
  running: Partial<Record<PluginRole, number>>;
  /** Those that still ran ORPHAN_GRACE_MS after the kill, by role. */
  survivors: Partial<Record<PluginRole, number>>;
  /**
   * Seconds until the last language host, program and dynamic provider of the killed engine were gone (undefined:
   * never).
   */
  hostGoneAfterSeconds?: number;
}

/** When to kill: after so many milliseconds, once a condition holds, or never (undefined). */
export type KillTrigger = number | (() => Promise<boolean>) | undefined;

/**
 * A fresh `pulumi up` from a shell, its engine (only the engine, as `kill -9 <pid>` does) killed at `trigger`.
 * Plugins left running after the grace period are counted, then ended so runs stay apart.
 */
export async function killedUp(world: KillWorld, trigger?: KillTrigger): Promise<KilledUp> {
  await slowWrites(world);
  const started = Date.now();
  let child: ChildProcess | undefined;
  let exitCode: number | null = null;
  const exited = pulumi(world, ["up", "--yes", "--skip-preview"], (spawned) => (child = spawned)).then(
    (run) => {
      exitCode = run.exitCode;
    },
  );
  let tree: ProcessInfo[] = [];
  let ended = false;
  void exited.then(() => (ended = true));
  const due = async () =>
    typeof trigger === "number"
      ? Date.now() - started >= trigger
      : trigger !== undefined && (await trigger());
  while (!ended && !(await due())) {
    tree = descendantsOf(child!.pid!);
    await Promise.race([sleep(100), exited]);
  }
  const seconds = (Date.now() - started) / 1000;
  if (ended) {
    await world.emulator.control.clearFaults();
    if (trigger === undefined && exitCode !== 0) throw new Error(`pulumi up exited ${exitCode}`);
    return { killed: false, seconds, running: {}, survivors: {} };
  }
  tree = descendantsOf(child!.pid!);
  child!.kill("SIGKILL");
  await exited;
  const killedAt = Date.now();
  await world.emulator.control.clearFaults();
  const watched = tree.filter((info) =>
    ["language host", "program", "dynamic provider"].includes(pluginRole(info.command)),
  );
  let hostGoneAfterSeconds: number | undefined;
  while (Date.now() - killedAt < ORPHAN_GRACE_MS) {
    if (!watched.some((info) => isRunning(info.pid))) {
      hostGoneAfterSeconds = (Date.now() - killedAt) / 1000;
      break;
    }
    await sleep(100);
  }
  const byRole = (infos: ProcessInfo[]) => {
    const counts: Partial<Record<PluginRole, number>> = {};
    for (const info of infos) counts[pluginRole(info.command)] = (counts[pluginRole(info.command)] ?? 0) + 1;
    return counts;
  };
  const alive = tree.filter((candidate) => isRunning(candidate.pid));
  killAll(alive.map((info) => info.pid));
  return { killed: true, seconds, running: byRole(tree), survivors: byRole(alive), hostGoneAfterSeconds };
}

export interface StackMarks {
  locks: number;
  pendingCreates: number;
  pendingOther: number;
  /** Empty checkpoint metadata files; while there is one, the state (and its pending operations) cannot be read. */
  damaged: number;
}

export async function stackMarks(world: KillWorld): Promise<StackMarks> {
  const backend = `file://${world.backendDir}`;
  const locks = readLockDir(fileBackendLockDir(backend, PROJECT, KILL_STACK)!).length;
  const damaged = damagedCheckpointFiles(backend, PROJECT, KILL_STACK).length;
  if (damaged > 0) return { locks, pendingCreates: 0, pendingOther: 0, damaged };
  const pending = pendingOperationsOf((await must(world, ["stack", "export"])).stdout);
  const creates = pending.filter((op) => op.type === "creating").length;
  return { locks, pendingCreates: creates, pendingOther: pending.length - creates, damaged };
}

/** Webex Connect objects (services, flows) by id, and the ids the state records. */
export async function objectsAndState(world: KillWorld) {
  const state = await world.emulator.control.dumpState();
  const exported = JSON.parse((await must(world, ["stack", "export"])).stdout) as {
    deployment?: { resources?: Array<{ id?: string }> };
  };
  const inState = new Set((exported.deployment?.resources ?? []).map((resource) => resource.id));
  return { state, inState };
}
