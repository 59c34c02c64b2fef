/**
 * The kill -9 experiment (issue 13.5): a fresh `pulumi up` killed with SIGKILL at a point spread over the run, then
 * the documented recovery (docs/operations.md): `scripts/reconcile.ts --recover` (here its library), then
 * `pulumi up`, then `pulumi destroy`. Each run counts what an operator cares about: duplicates, Webex Connect objects
 * the state does not know, pending operations and locks after recovery, a clean destroy that gives the AMB asset its
 * original Engage and Data Stream settings back, and which engine plugins outlived the killed engine.
 *
 * The stack is test/fixtures/reconcile-project (a service, an adopted AMB asset, a live flow): the smallest real
 * stack with every kind of Webex Connect object, on the emulator and a throw-away file backend.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../emulator/server";
import { seededRandom } from "../emulator/faults";
import { runPulumi, type PulumiRun } from "../ops/pulumiCli";
import { reconcile } from "../ops/reconcile";
import { pendingOperationsOf } from "../ops/recovery";
import { damagedCheckpointFiles, fileBackendLockDir, readLockDir } from "../ops/backendLocks";
import { SETTINGS_ENV } from "../lib/facts";
import { descendantsOf, isRunning, pluginRole, type PluginRole, type ProcessInfo } from "./processes";
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

function pulumi(world: KillWorld, args: string[]): Promise<PulumiRun> {
  return runPulumi([...args, "--stack", KILL_STACK], { cwd: world.projectDir, env: world.env });
}

async function must(world: KillWorld, args: string[]): Promise<PulumiRun> {
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
  /** Seconds until the last language host and program of the killed engine were gone (undefined: never). */
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
  const child = spawn(
    "pulumi",
    ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", KILL_STACK],
    {
      cwd: world.projectDir,
      env: world.env,
      stdio: "ignore",
    },
  );
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code) => {
      exitCode = code;
      resolve();
    }),
  );
  let tree: ProcessInfo[] = [];
  let ended = false;
  void exited.then(() => (ended = true));
  const due = async () =>
    typeof trigger === "number"
      ? Date.now() - started >= trigger
      : trigger !== undefined && (await trigger());
  while (!ended && !(await due())) {
    tree = descendantsOf(child.pid!);
    await Promise.race([sleep(100), exited]);
  }
  const seconds = (Date.now() - started) / 1000;
  if (ended) {
    await world.emulator.control.clearFaults();
    if (trigger === undefined && exitCode !== 0) throw new Error(`pulumi up exited ${exitCode}`);
    return { killed: false, seconds, running: {}, survivors: {} };
  }
  tree = descendantsOf(child.pid!);
  child.kill("SIGKILL");
  await exited;
  const killedAt = Date.now();
  await world.emulator.control.clearFaults();
  const watched = tree.filter((info) => ["language host", "program"].includes(pluginRole(info.command)));
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
  for (const info of alive) {
    try {
      process.kill(info.pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
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
async function objectsAndState(world: KillWorld) {
  const state = await world.emulator.control.dumpState();
  const exported = JSON.parse((await must(world, ["stack", "export"])).stdout) as {
    deployment?: { resources?: Array<{ id?: string }> };
  };
  const inState = new Set((exported.deployment?.resources ?? []).map((resource) => resource.id));
  return { state, inState };
}

export interface RunRecord {
  run: number;
  killAtSeconds: number;
  up: KilledUp;
  afterKill: StackMarks;
  /** Exit of the report-only reconcile right after the kill (3: needs recovery). */
  reportExit: number;
  /** Exit of reconcile --recover. */
  recoverExit: number;
  afterRecovery: StackMarks;
  upExit: number;
  duplicates: number;
  outsideState: number;
  afterUp: StackMarks;
  destroyExit: number;
  /** Services and flows left in Webex Connect after destroy. */
  leftAfterDestroy: number;
  settingsRestored: boolean;
}

export interface KillRecoveryOptions {
  runs: number;
  seed: number;
  onProgress?: (line: string) => void;
}

export interface KillRecoveryResult {
  calibrationSeconds: number;
  records: RunRecord[];
  counts: Record<string, number>;
}

export function countRecords(records: readonly RunRecord[]): Record<string, number> {
  const count = (predicate: (record: RunRecord) => boolean) => records.filter(predicate).length;
  const sum = (value: (record: RunRecord) => number) => records.reduce((total, r) => total + value(r), 0);
  const left = (marks: StackMarks) => marks.locks + marks.pendingCreates + marks.pendingOther + marks.damaged;
  return {
    runs: records.length,
    "killed before the run ended": count((r) => r.up.killed),
    "left the stack locked": count((r) => r.afterKill.locks > 0),
    "left pending creates": count((r) => r.afterKill.pendingCreates > 0),
    "left a damaged checkpoint metadata file": count((r) => r.afterKill.damaged > 0),
    "reconcile said 'needs recovery' (exit 3) exactly when locked, pending or damaged": count(
      (r) => (r.reportExit === 3) === left(r.afterKill) > 0,
    ),
    "recovered (reconcile --recover exit 0 or 7)": count((r) => [0, 7].includes(r.recoverExit)),
    "locks, pending operations or damaged files after recovery": sum((r) => left(r.afterRecovery)),
    "up after recovery succeeded": count((r) => r.upExit === 0),
    "duplicate objects": sum((r) => r.duplicates),
    "Webex objects outside state": sum((r) => r.outsideState),
    "pending operations after up": sum((r) => r.afterUp.pendingCreates + r.afterUp.pendingOther),
    "clean destroys (exit 0, nothing left)": count((r) => r.destroyExit === 0 && r.leftAfterDestroy === 0),
    "destroys that restored Engage and Data Stream": count((r) => r.settingsRestored),
    "language hosts alive 10 s after the kill": sum((r) => r.up.survivors["language host"] ?? 0),
    "programs alive 10 s after the kill": sum((r) => r.up.survivors.program ?? 0),
    "dynamic providers alive 10 s after the kill": sum((r) => r.up.survivors["dynamic provider"] ?? 0),
  };
}

/** One kill at `killAtMs`, the documented recovery, the checks, and a destroy back to the asset's first state. */
async function oneRun(world: KillWorld, run: number, killAtMs: number): Promise<RunRecord> {
  const original = (await world.emulator.control.dumpState()).assets[world.assetId];
  const up = await killedUp(world, killAtMs);
  const afterKill = await stackMarks(world);
  const reconcileOptions = { projectDir: world.projectDir, stacks: [KILL_STACK], env: world.env };
  const reportExit = (await reconcile(reconcileOptions)).exitCode;
  const recoverExit = (await reconcile({ ...reconcileOptions, recover: true })).exitCode;
  const afterRecovery = await stackMarks(world);
  const upExit = (await pulumi(world, ["up", "--yes", "--skip-preview"])).exitCode;
  const { state, inState } = await objectsAndState(world);
  const objects = [...Object.values(state.services), ...Object.values(state.flows)];
  const names = objects.map((object) => `${object.name}`);
  const duplicates = names.length - new Set(names).size;
  const outsideState = objects.filter((object) => !inState.has(object.id)).length;
  const afterUp = await stackMarks(world);
  const destroyExit = (await pulumi(world, ["destroy", "--yes", "--skip-preview"])).exitCode;
  const after = await world.emulator.control.dumpState();
  const asset = after.assets[world.assetId];
  return {
    run,
    killAtSeconds: killAtMs / 1000,
    up,
    afterKill,
    reportExit,
    recoverExit,
    afterRecovery,
    upExit,
    duplicates,
    outsideState,
    afterUp,
    destroyExit,
    leftAfterDestroy: Object.keys(after.services).length + Object.keys(after.flows).length,
    settingsRestored:
      asset.engageServiceId === original.engageServiceId &&
      asset.dataStreamEnabled === original.dataStreamEnabled,
  };
}

function describeRun(record: RunRecord): string {
  const marks = (m: StackMarks) =>
    `lock ${m.locks}, pending creates ${m.pendingCreates}, other ${m.pendingOther}, damaged ${m.damaged}`;
  const roles = (counts: KilledUp["running"]) =>
    Object.entries(counts)
      .map(([role, n]) => `${n} ${role}`)
      .join(", ");
  const survivors = roles(record.up.survivors);
  return [
    `run ${record.run}: kill at ${record.killAtSeconds.toFixed(1)} s${record.up.killed ? "" : " (the run ended first)"}`,
    `after kill: ${marks(record.afterKill)}`,
    `running at the kill: ${roles(record.up.running) || "none"}; host+program gone after ${record.up.hostGoneAfterSeconds?.toFixed(1) ?? "-"} s${survivors ? `; alive 10 s later: ${survivors}` : ""}`,
    `reconcile exit ${record.reportExit}, --recover exit ${record.recoverExit} → ${marks(record.afterRecovery)}`,
    `up exit ${record.upExit}: duplicates ${record.duplicates}, outside state ${record.outsideState}`,
    `destroy exit ${record.destroyExit}, left ${record.leftAfterDestroy}, settings restored ${record.settingsRestored}`,
  ].join("; ");
}

/**
 * Measures a fresh `up` (the second of two, each destroyed), then runs `runs` kills, the i-th at a random point of
 * the i-th of `runs` equal slices of that duration, so the kills cover the whole run. A run that ends before its
 * kill is counted as such, and its duration becomes the span of the later slices.
 */
export async function killRecoveryExperiment(options: KillRecoveryOptions): Promise<KillRecoveryResult> {
  const say = options.onProgress ?? (() => undefined);
  const random = seededRandom(options.seed);
  const world = await createKillWorld(options.seed);
  try {
    // The first up also fills caches (ts-node's, the CLI's plugin lookups): the second one is what later runs take.
    const destroy = ["destroy", "--yes", "--skip-preview"];
    await killedUp(world);
    await must(world, destroy);
    const calibration = await killedUp(world);
    await must(world, destroy);
    say(`a fresh up takes ${calibration.seconds.toFixed(1)} s; ${options.runs} kills spread over it`);
    const records: RunRecord[] = [];
    // How long a fresh up takes varies with the machine's load: a run that ends before its kill shortens the span.
    let span = calibration.seconds;
    for (let run = 1; run <= options.runs; run++) {
      const killAtMs = ((run - 1 + random()) / options.runs) * span * 1000;
      const record = await oneRun(world, run, killAtMs);
      records.push(record);
      say(describeRun(record));
      if (!record.up.killed) span = Math.min(span, record.up.seconds);
    }
    return { calibrationSeconds: calibration.seconds, records, counts: countRecords(records) };
  } finally {
    await world.close();
  }
}
