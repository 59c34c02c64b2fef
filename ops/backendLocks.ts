/**
 * The locks and damaged checkpoint files a killed run leaves on a stack's backend, and when a lock may be removed
 * (ops/recovery.ts decides what to do with them).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";

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

/** The folder of a stack's checkpoint on a file:// backend (`.pulumi/stacks/<project>/`) and the stack's name in it. */
function checkpointPlace(backendUrl: string, project: string, stack: string): [string, string] | undefined {
  const root = fileBackendRoot(backendUrl);
  if (root === undefined) return undefined;
  return stack.includes("/")
    ? [path.join(root, ".pulumi", "stacks", stack.split("/")[1]), stack.split("/")[2]]
    : [path.join(root, ".pulumi", "stacks", project), stack];
}

/**
 * A stack's checkpoint file on a file:// backend (`.pulumi/stacks/<project>/<stack>.json`), readable without a CLI
 * run; undefined when it is not there as plain JSON (gzipped state, another backend): then `pulumi stack export`.
 */
export function fileBackendCheckpoint(
  backendUrl: string,
  project: string,
  stack: string,
): string | undefined {
  const place = checkpointPlace(backendUrl, project, stack);
  if (place === undefined) return undefined;
  const file = path.join(place[0], `${place[1]}.json`);
  return fs.existsSync(file) ? file : undefined;
}

/**
 * The empty metadata files (`<stack>.json….attrs`) beside a stack's checkpoint and its backup on a file:// backend,
 * in `.pulumi/stacks/<project>/`; none for other backends.
 */
export function damagedCheckpointFiles(backendUrl: string, project: string, stack: string): string[] {
  const place = checkpointPlace(backendUrl, project, stack);
  if (place === undefined) return [];
  const [dir, name] = place;
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
