/**
 * What a killed `pulumi up` leaves behind, and how to get out of it. A run killed with SIGKILL (or by the OOM killer,
 * or with its CI job) cannot release the stack's lock nor finish the operations it had started: the lock makes every
 * later update fail, and pending CREATE operations survive a non-interactive `refresh` (the engine asks for an
 * interactive one). Recovery is `pulumi cancel` (only for a lock whose run is gone), then
 * `pulumi refresh --clear-pending-creates`, then `pulumi up`. Clearing pending creates is safe here because every
 * Webex Connect provider searches before it creates: the next `up` adopts what the killed run had created instead of
 * creating it twice.
 */
import * as fs from "node:fs";
import { z } from "zod";
import { failureOf, runPulumi, type PulumiRunOptions } from "./pulumiCli";
import {
  type LockHolder,
  fileBackendLockDir,
  damagedCheckpointFiles,
  fileBackendCheckpoint,
  readLockDir,
  parseLockError,
  type StaleLockRules,
  lockVerdict,
} from "./backendLocks";

export interface PendingOperation {
  urn: string;
  /** What the killed run was doing: creating, updating, deleting, reading, importing. */
  type: string;
}

export interface Interruption {
  locks: LockHolder[];
  pendingOperations: PendingOperation[];
  /**
   * Empty metadata files beside the stack's checkpoint on a file:// backend. The backend's file store writes them in
   * place (truncate, then write), so a kill in between leaves one empty, and every command then fails with
   * "failed to load checkpoint: EOF". They hold only a content type and a checksum: removing one is safe.
   */
  damaged?: string[];
  /** Why locks could not be looked for, when they could not (backends other than file://). */
  lockCheck?: string;
}

export const isInterrupted = (interruption: Interruption): boolean =>
  interruption.locks.length > 0 ||
  interruption.pendingOperations.length > 0 ||
  (interruption.damaged ?? []).length > 0;

/** The state's deployment: the same shape in `pulumi stack export` output and in a file backend's checkpoint. */
const deploymentSchema = z
  .object({
    pending_operations: z
      .array(z.object({ resource: z.object({ urn: z.string() }), type: z.string() }))
      .nullish(),
  })
  .nullish();

type Deployment = z.infer<typeof deploymentSchema>;

const pendingOf = (deployment: Deployment): PendingOperation[] =>
  (deployment?.pending_operations ?? []).map((op) => ({ urn: op.resource.urn, type: op.type }));

/** The pending operations recorded in the state, from `pulumi stack export` output. */
export function pendingOperationsOf(exportJson: string): PendingOperation[] {
  return pendingOf(z.object({ deployment: deploymentSchema }).parse(JSON.parse(exportJson)).deployment);
}

/** The pending operations recorded in a file backend's checkpoint file (`{ checkpoint: { latest: … } }`). */
export function pendingOperationsOfCheckpoint(checkpointJson: string): PendingOperation[] {
  const schema = z.object({ checkpoint: z.object({ latest: deploymentSchema }).nullish() });
  return pendingOf(schema.parse(JSON.parse(checkpointJson)).checkpoint?.latest);
}

/** The refresh that clears pending creates and reads every other interrupted operation back from Webex Connect. */
export function clearPendingArgs(stack: string, excludes: readonly string[] = []): string[] {
  return [
    "refresh",
    "--clear-pending-creates",
    "--run-program",
    "--yes",
    "--skip-preview",
    ...excludes.flatMap((pattern) => ["--exclude", pattern]),
    "--stack",
    stack,
  ];
}

const shellWord = (word: string) => (/^[\w./:=@-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The commands that bring the stack back, in order, as a person types them. */
export function recoveryCommands(
  stack: string,
  interruption: Interruption,
  excludes: readonly string[] = [],
): string[] {
  const commands = [
    ["pulumi", ...clearPendingArgs(stack, excludes)],
    ["pulumi", "up", "--stack", stack],
  ];
  if (interruption.locks.length > 0) commands.unshift(["pulumi", "cancel", "--yes", "--stack", stack]);
  if ((interruption.damaged ?? []).length > 0) commands.unshift(["rm", ...(interruption.damaged ?? [])]);
  return commands.map((words) => words.map(shellWord).join(" "));
}

interface CheckTarget {
  cli: PulumiRunOptions;
  project: string;
  stack: string;
  /** The backend's URL when the caller knows it (one `backendUrl` for many stacks); asked from the CLI otherwise. */
  backend?: Promise<string>;
}

/** The backend URL the CLI uses for this project (from `pulumi whoami --json`). */
export async function backendUrl(cli: PulumiRunOptions): Promise<string> {
  const run = await runPulumi(["whoami", "--json"], cli);
  if (run.exitCode !== 0) throw new Error(`pulumi whoami failed ${failureOf(run)}`);
  return z.object({ url: z.string() }).parse(JSON.parse(run.stdout)).url;
}

/** Looks for the marks of an interrupted run on one stack: its locks and the state's pending operations. */
export async function inspectInterruption({
  cli,
  project,
  stack,
  backend,
}: CheckTarget): Promise<Interruption> {
  const url = await (backend ?? backendUrl(cli));
  const damaged = damagedCheckpointFiles(url, project, stack);
  const lockDir = fileBackendLockDir(url, project, stack);
  // With damaged metadata the checkpoint cannot be read: its pending operations are known after the repair.
  if (damaged.length > 0)
    return { locks: lockDir ? readLockDir(lockDir) : [], pendingOperations: [], damaged };
  const pendingOperations = await readPendingOperations(cli, url, project, stack);
  if (lockDir === undefined)
    return {
      locks: [],
      pendingOperations,
      lockCheck: `locks are only looked for on file:// backends; a lock left on ${url.split(":")[0]}:// shows when an update runs ("the stack is currently locked")`,
    };
  return { locks: readLockDir(lockDir), pendingOperations };
}

/** From the checkpoint file on a file:// backend (a CLI run costs a process start per stack), else the CLI's export. */
async function readPendingOperations(
  cli: PulumiRunOptions,
  url: string,
  project: string,
  stack: string,
): Promise<PendingOperation[]> {
  const checkpoint = fileBackendCheckpoint(url, project, stack);
  if (checkpoint) return pendingOperationsOfCheckpoint(fs.readFileSync(checkpoint, "utf8"));
  const exported = await runPulumi(["stack", "export", "--stack", stack], cli);
  if (exported.exitCode !== 0) throw new Error(`pulumi stack export failed ${failureOf(exported)}`);
  return pendingOperationsOf(exported.stdout);
}

export interface RecoveryResult {
  ok: boolean;
  /** What was done, one line per step. */
  steps: string[];
  /** Why recovery stopped, when it did. */
  refused?: string;
}

/**
 * Removes the locks (only when every one is stale) and clears pending creates with a refresh. A lock the check could
 * not see (bucket backends) makes the refresh fail with its holders: it is judged the same way, then the refresh runs
 * again. The `pulumi up` that finishes the interrupted run is left to the caller (reconcile runs it only where
 * remediation is allowed).
 */
export async function recoverStack(
  { cli, stack }: CheckTarget,
  interruption: Interruption,
  rules: StaleLockRules,
  excludes: readonly string[] = [],
): Promise<RecoveryResult> {
  const steps: string[] = [];
  const refused = (reason: string): RecoveryResult => ({ ok: false, steps, refused: reason });
  /** Why the locks must stay, when one of them may belong to a run that is still going. */
  const keep = (locks: readonly LockHolder[]): string | undefined => {
    const live = locks.map((lock) => lockVerdict(lock, rules)).filter((verdict) => !verdict.stale);
    return live.length === 0
      ? undefined
      : `lock kept: ${live.map((verdict) => verdict.reason).join("; ")}. If that run is gone: pulumi cancel --yes --stack ${stack}`;
  };
  const cancel = async (locks: readonly LockHolder[]): Promise<string | undefined> => {
    const run = await runPulumi(["cancel", "--yes", "--stack", stack], cli);
    if (run.exitCode !== 0) return `pulumi cancel failed ${failureOf(run)}`;
    steps.push(`pulumi cancel: removed ${locks.map((lock) => lockVerdict(lock, rules).reason).join("; ")}`);
    return undefined;
  };

  const kept = keep(interruption.locks);
  if (kept) return refused(kept);
  // First: every later command reads the checkpoint, which fails while its metadata is damaged.
  for (const file of interruption.damaged ?? []) {
    fs.rmSync(file);
    steps.push(`removed the empty checkpoint metadata file ${file} (the killed run was writing it)`);
  }
  if (interruption.locks.length > 0) {
    const failed = await cancel(interruption.locks);
    if (failed) return refused(failed);
  }
  let refresh = await runPulumi(clearPendingArgs(stack, excludes), cli);
  const unseen = refresh.exitCode === 0 ? undefined : parseLockError(`${refresh.stdout}\n${refresh.stderr}`);
  if (unseen && interruption.locks.length === 0) {
    const reason = keep(unseen) ?? (await cancel(unseen));
    if (reason) return refused(reason);
    refresh = await runPulumi(clearPendingArgs(stack, excludes), cli);
  }
  if (refresh.exitCode !== 0)
    return refused(`pulumi refresh --clear-pending-creates failed ${failureOf(refresh)}`);
  const creates = interruption.pendingOperations.filter((op) => op.type === "creating").length;
  steps.push(
    `pulumi refresh --clear-pending-creates: cleared ${creates} pending create(s), read back ${interruption.pendingOperations.length - creates} other pending operation(s)`,
  );
  return { ok: true, steps };
}
