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
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { runPulumi, type PulumiRunOptions } from "./pulumiCli";

/** A lock on the stack: who took it, from the lock file (DIY backends) or the CLI's "currently locked" message. */
export interface LockHolder {
  /** Where the lock is (a file path or the backend URL of the lock object). */
  location: string;
  username?: string;
  hostname?: string;
  pid?: number;
  /** ISO time the lock was taken. */
  timestamp?: string;
}

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

const deploymentSchema = z.object({
  deployment: z
    .object({
      pending_operations: z
        .array(z.object({ resource: z.object({ urn: z.string() }), type: z.string() }))
        .nullish(),
    })
    .nullish(),
});

/** The pending operations recorded in the state, from `pulumi stack export` output. */
export function pendingOperationsOf(exportJson: string): PendingOperation[] {
  const parsed = deploymentSchema.parse(JSON.parse(exportJson));
  return (parsed.deployment?.pending_operations ?? []).map((op) => ({ urn: op.resource.urn, type: op.type }));
}

/**
 * The folder that holds a stack's lock files on a `file://` backend: `.pulumi/locks/<org>/<project>/<stack>/`
 * (DIY backends name every project-scoped stack `organization/<project>/<stack>`). Undefined for other backends,
 * whose locks the CLI alone can reach.
 */
export function fileBackendLockDir(backendUrl: string, project: string, stack: string): string | undefined {
  const root = fileBackendRoot(backendUrl);
  if (root === undefined) return undefined;
  const qualified = stack.includes("/") ? stack.split("/") : ["organization", project, stack];
  return path.join(root, ".pulumi", "locks", ...qualified);
}

function fileBackendRoot(backendUrl: string): string | undefined {
  if (!backendUrl.startsWith("file://")) return undefined;
  return backendUrl.slice("file://".length).replace(/^~(?=\/|$)/, os.homedir());
}

/**
 * The empty metadata files (`<stack>.json….attrs`) beside a stack's checkpoint and its backup on a file:// backend,
 * in `.pulumi/stacks/<project>/`; none for other backends.
 */
export function damagedCheckpointFiles(backendUrl: string, project: string, stack: string): string[] {
  const root = fileBackendRoot(backendUrl);
  if (root === undefined) return [];
  const [dir, name] = stack.includes("/")
    ? [path.join(root, ".pulumi", "stacks", stack.split("/")[1]), stack.split("/")[2]]
    : [path.join(root, ".pulumi", "stacks", project), stack];
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.startsWith(`${name}.json`) && file.endsWith(".attrs"))
    .map((file) => path.join(dir, file))
    .filter((file) => fs.statSync(file).size === 0)
    .sort();
}

const lockFileSchema = z.object({
  pid: z.number().optional(),
  username: z.string().optional(),
  hostname: z.string().optional(),
  timestamp: z.string().optional(),
});

/** The lock files in a stack's lock folder (none when it does not exist). */
export function readLockDir(dir: string): LockHolder[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const location = path.join(dir, name);
      const content = lockFileSchema.safeParse(JSON.parse(fs.readFileSync(location, "utf8")));
      return { location, ...(content.success ? content.data : {}) };
    });
}

/**
 * The holders listed by the CLI when an operation finds the stack locked (DIY backends):
 *   error: the stack is currently locked by 1 lock(s). Either wait … or delete the lock file with `pulumi cancel`.
 *     s3://bucket/.pulumi/locks/…/<id>.json: created by alice@runner-7 (pid 4242) at 2026-12-01T03:00:00Z
 */
export function parseLockError(text: string): LockHolder[] | undefined {
  if (!/the stack is currently locked by \d+ lock\(s\)/.test(text)) return undefined;
  const holder = /^\s*(\S+): created by (.*)@(\S+) \(pid (\d+)\) at (\S+)\s*$/;
  return text.split("\n").flatMap((line) => {
    const match = holder.exec(line);
    if (!match) return [];
    const [, location, username, hostname, pid, timestamp] = match;
    return [{ location, username, hostname, pid: Number(pid), timestamp }];
  });
}

export interface StaleLockRules {
  /** This machine's host name: a lock taken here can be checked against the process table. */
  hostname: string;
  isProcessAlive: (pid: number) => boolean;
  /** A lock taken elsewhere counts as abandoned only after this long. */
  staleAfterMinutes: number;
  now: Date;
}

export const DEFAULT_STALE_LOCK_MINUTES = 60;

/** Whether a lock may be removed: its run is provably gone (same machine, no such process), or it is old enough. */
export function lockVerdict(lock: LockHolder, rules: StaleLockRules): { stale: boolean; reason: string } {
  const holder = `${lock.username ?? "?"}@${lock.hostname ?? "?"} (pid ${lock.pid ?? "?"})`;
  if (lock.hostname === rules.hostname && lock.pid !== undefined) {
    return rules.isProcessAlive(lock.pid)
      ? { stale: false, reason: `${holder} is still running on this machine` }
      : { stale: true, reason: `${holder} is no longer running on this machine` };
  }
  const taken = lock.timestamp ? Date.parse(lock.timestamp) : NaN;
  if (Number.isNaN(taken)) return { stale: false, reason: `${holder} took it at an unknown time` };
  const minutes = Math.floor((rules.now.getTime() - taken) / 60_000);
  return minutes >= rules.staleAfterMinutes
    ? { stale: true, reason: `${holder} took it ${minutes} min ago (≥ ${rules.staleAfterMinutes})` }
    : {
        stale: false,
        reason: `${holder} took it ${minutes} min ago on another machine; it may still be running`,
      };
}

/** Whether a process with this id exists on this machine. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const thisMachine = (staleAfterMinutes: number, now = new Date()): StaleLockRules => ({
  hostname: os.hostname(),
  isProcessAlive: processAlive,
  staleAfterMinutes,
  now,
});

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
}

/** The backend URL the CLI uses for this project (from `pulumi whoami --json`). */
async function backendUrl(cli: PulumiRunOptions): Promise<string> {
  const run = await runPulumi(["whoami", "--json"], cli);
  if (run.exitCode !== 0)
    throw new Error(`pulumi whoami failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
  return z.object({ url: z.string() }).parse(JSON.parse(run.stdout)).url;
}

/** Looks for the marks of an interrupted run on one stack: its locks and the state's pending operations. */
export async function inspectInterruption({ cli, project, stack }: CheckTarget): Promise<Interruption> {
  const url = await backendUrl(cli);
  const damaged = damagedCheckpointFiles(url, project, stack);
  const lockDir = fileBackendLockDir(url, project, stack);
  // With damaged metadata the checkpoint cannot be read: its pending operations are known after the repair.
  if (damaged.length > 0)
    return { locks: lockDir ? readLockDir(lockDir) : [], pendingOperations: [], damaged };
  const exported = await runPulumi(["stack", "export", "--stack", stack], cli);
  if (exported.exitCode !== 0)
    throw new Error(`pulumi stack export failed (exit ${exported.exitCode}): ${exported.stderr.trim()}`);
  const pendingOperations = pendingOperationsOf(exported.stdout);
  if (lockDir === undefined)
    return {
      locks: [],
      pendingOperations,
      lockCheck: `locks are only looked for on file:// backends; a lock left on ${url.split(":")[0]}:// shows when an update runs ("the stack is currently locked")`,
    };
  return { locks: readLockDir(lockDir), pendingOperations };
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
    if (run.exitCode !== 0) return `pulumi cancel failed: ${run.stderr.trim()}`;
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
    return refused(
      `pulumi refresh --clear-pending-creates failed: ${refresh.stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
  const creates = interruption.pendingOperations.filter((op) => op.type === "creating").length;
  steps.push(
    `pulumi refresh --clear-pending-creates: cleared ${creates} pending create(s), read back ${interruption.pendingOperations.length - creates} other pending operation(s)`,
  );
  return { ok: true, steps };
}
