/**
 * The kill -9 experiment (issue 13.5): a fresh `pulumi up` killed with SIGKILL at a point spread over the run, then
 * the documented recovery (docs/operations.md): `scripts/reconcile.ts --recover` (here its library), then
 * `pulumi up`, then `pulumi destroy`. Each run counts what an operator cares about: duplicates, Webex Connect objects
 * the state does not know, pending operations and locks after recovery, a clean destroy that gives the AMB asset its
 * original Engage and Data Stream settings back, and which engine plugins outlived the killed engine.
 *
 * The stack and the kill itself are harness/killWorld.ts.
 */
import { seededRandom } from "../emulator/faults";
import { reconcile } from "../ops/reconcile";
import {
  createKillWorld,
  killedUp,
  KILL_STACK,
  must,
  objectsAndState,
  pulumi,
  stackMarks,
  type KilledUp,
  type KillWorld,
  type StackMarks,
} from "./killWorld";

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
    // The first up also fills caches (the compiled build, the CLI's plugin lookups): the second one is what later runs take.
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
