/** The locks and damaged checkpoint files a killed run leaves on a file backend (ops/backendLocks.ts). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  damagedCheckpointFiles,
  fileBackendLockDir,
  lockVerdict,
  parseLockError,
  processAlive,
  readLockDir,
  type StaleLockRules,
} from "../../ops/backendLocks";

describe("locks", () => {
  test("a file backend keeps a stack's locks under .pulumi/locks/organization/<project>/<stack>", () => {
    expect(fileBackendLockDir("file:///srv/state", "amb-cce-connect", "dev-retail")).toBe(
      "/srv/state/.pulumi/locks/organization/amb-cce-connect/dev-retail",
    );
    expect(fileBackendLockDir("file://~", "p", "acme/p/s")).toBe(
      path.join(os.homedir(), ".pulumi/locks/acme/p/s"),
    );
    expect(fileBackendLockDir("s3://bucket", "p", "s")).toBeUndefined();
  });

  test("lock files are read with their holder; no folder means no lock", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
    fs.writeFileSync(
      path.join(dir, "a1.json"),
      JSON.stringify({ pid: 4242, username: "ci", hostname: "runner-7", timestamp: "2026-12-01T03:00:00Z" }),
    );
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a lock");
    expect(readLockDir(dir)).toEqual([
      {
        location: path.join(dir, "a1.json"),
        pid: 4242,
        username: "ci",
        hostname: "runner-7",
        timestamp: "2026-12-01T03:00:00Z",
      },
    ]);
    expect(readLockDir(path.join(dir, "missing"))).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  test("the CLI's 'currently locked' error is read back into holders", () => {
    const text = [
      "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
      "  s3://state/.pulumi/locks/organization/p/s/1.json: created by ci@runner-7 (pid 4242) at 2026-12-01T03:00:00Z",
      "  s3://state/.pulumi/locks/organization/p/s/2.json: created by Jane Doe@laptop.local (pid 7) at 2026-12-01T04:00:00+01:00",
    ].join("\n");
    expect(parseLockError(text)).toEqual([
      {
        location: "s3://state/.pulumi/locks/organization/p/s/1.json",
        username: "ci",
        hostname: "runner-7",
        pid: 4242,
        timestamp: "2026-12-01T03:00:00Z",
      },
      {
        location: "s3://state/.pulumi/locks/organization/p/s/2.json",
        username: "Jane Doe",
        hostname: "laptop.local",
        pid: 7,
        timestamp: "2026-12-01T04:00:00+01:00",
      },
    ]);
    expect(parseLockError("error: update failed")).toBeUndefined();
  });

  describe("which locks --recover may remove", () => {
    const rules = (alive: number[], staleAfterMinutes = 60): StaleLockRules => ({
      hostname: "here",
      isProcessAlive: (pid) => alive.includes(pid),
      staleAfterMinutes,
      now: new Date("2026-12-01T04:00:00Z"),
    });
    const lock = (hostname: string, pid: number, timestamp = "2026-12-01T03:59:00Z") => ({
      location: "x.json",
      username: "ci",
      hostname,
      pid,
      timestamp,
    });

    test("one taken on this machine by a process that is gone: at once", () => {
      expect(lockVerdict(lock("here", 10), rules([]))).toEqual({
        stale: true,
        reason: "ci@here (pid 10) is no longer running on this machine",
      });
    });

    test("one whose process still runs here: never, whatever its age", () => {
      expect(lockVerdict(lock("here", 10, "2026-11-01T00:00:00Z"), rules([10])).stale).toBe(false);
    });

    test("one taken on another machine: only once older than the limit", () => {
      expect(lockVerdict(lock("runner-7", 10), rules([])).stale).toBe(false);
      expect(lockVerdict(lock("runner-7", 10, "2026-12-01T02:59:00Z"), rules([])).stale).toBe(true);
      expect(lockVerdict(lock("runner-7", 10, "2026-12-01T03:59:00Z"), rules([], 0)).stale).toBe(true);
      expect(lockVerdict({ location: "x.json", hostname: "runner-7" }, rules([])).stale).toBe(false);
    });
  });

  test("processAlive tells this process from one that does not exist", () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 1)).toBe(false); // above Linux's pid_max
  });
});

describe("checkpoint metadata a kill left empty", () => {
  test("are the empty <stack>.json….attrs files beside the stack's checkpoint on a file backend", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "state-"));
    const dir = path.join(root, ".pulumi", "stacks", "amb-cce-connect");
    fs.mkdirSync(dir, { recursive: true });
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    write("dev-a.json", "{}");
    write("dev-a.json.attrs", ""); // truncated, never written: the run was killed in between
    write("dev-a.json.bak.attrs", '{"user.content_type":"application/octet-stream"}\n');
    write("dev-ab.json.attrs", ""); // another stack's
    expect(damagedCheckpointFiles(`file://${root}`, "amb-cce-connect", "dev-a")).toEqual([
      path.join(dir, "dev-a.json.attrs"),
    ]);
    expect(damagedCheckpointFiles(`file://${root}`, "amb-cce-connect", "dev-c")).toEqual([]);
    expect(damagedCheckpointFiles(`file://${root}`, "other", "dev-a")).toEqual([]);
    expect(damagedCheckpointFiles("s3://bucket", "amb-cce-connect", "dev-a")).toEqual([]);
    fs.rmSync(root, { recursive: true });
  });
});
