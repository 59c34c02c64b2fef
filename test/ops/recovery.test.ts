import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  EXIT_CODES,
  reconcileExitCode,
  renderReconcileMarkdown,
  summaryRows,
  type StackResult,
} from "../../ops/reconcile";
import { clearPendingArgs, pendingOperationsOf, recoveryCommands } from "../../ops/recovery";
import {
  damagedCheckpointFiles,
  fileBackendLockDir,
  lockVerdict,
  parseLockError,
  processAlive,
  readLockDir,
  type StaleLockRules,
} from "../../ops/backendLocks";

const URN = "urn:pulumi:dev-retail::amb-cce-connect::pulumi-nodejs:dynamic/webexconnect:LiveFlow::inbound";

describe("pending operations", () => {
  test("are read from `pulumi stack export`", () => {
    const exported = JSON.stringify({
      version: 3,
      deployment: {
        resources: [],
        pending_operations: [
          { resource: { urn: URN, type: "pulumi-nodejs:dynamic:Resource" }, type: "creating" },
          { resource: { urn: `${URN}2` }, type: "updating" },
        ],
      },
    });
    expect(pendingOperationsOf(exported)).toEqual([
      { urn: URN, type: "creating" },
      { urn: `${URN}2`, type: "updating" },
    ]);
  });

  test("a stack that never ran, or ran cleanly, has none", () => {
    expect(pendingOperationsOf(JSON.stringify({ version: 3, deployment: {} }))).toEqual([]);
    expect(pendingOperationsOf(JSON.stringify({ version: 3 }))).toEqual([]);
  });
});

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

  test("are removed first, before the lock and the pending creates", () => {
    const interruption = {
      locks: [{ location: "l.json" }],
      pendingOperations: [],
      damaged: ["/state dir/.pulumi/stacks/p/dev-a.json.attrs"],
    };
    expect(recoveryCommands("dev-a", interruption)[0]).toBe(
      "rm '/state dir/.pulumi/stacks/p/dev-a.json.attrs'",
    );
    expect(recoveryCommands("dev-a", interruption)[1]).toBe("pulumi cancel --yes --stack dev-a");
  });
});

describe("recovery commands", () => {
  test("cancel only when locked; the refresh keeps the stack's refresh exclusions; then up", () => {
    const pending = { locks: [], pendingOperations: [{ urn: URN, type: "creating" }] };
    expect(recoveryCommands("dev-retail", pending, ["**kubernetes:**"])).toEqual([
      "pulumi refresh --clear-pending-creates --run-program --yes --skip-preview --exclude '**kubernetes:**' --stack dev-retail",
      "pulumi up --stack dev-retail",
    ]);
    expect(recoveryCommands("dev-a", { locks: [{ location: "l.json" }], pendingOperations: [] })).toEqual([
      "pulumi cancel --yes --stack dev-a",
      "pulumi refresh --clear-pending-creates --run-program --yes --skip-preview --stack dev-a",
      "pulumi up --stack dev-a",
    ]);
    expect(clearPendingArgs("dev-a", ["**kubernetes:**"])).toEqual([
      "refresh",
      "--clear-pending-creates",
      "--run-program",
      "--yes",
      "--skip-preview",
      "--exclude",
      "**kubernetes:**",
      "--stack",
      "dev-a",
    ]);
  });
});

describe("reconcile report of an interrupted stack", () => {
  const interrupted: StackResult = {
    stack: "dev-a",
    outcome: "interrupted",
    changes: [],
    remaining: [],
    remediation: { allowed: false, reason: "no drift", attempted: false },
    errors: [],
    durationSeconds: 2,
    interruption: {
      locks: [
        { location: "/s/l.json", username: "ci", hostname: "h", pid: 9, timestamp: "2026-12-01T03:00:00Z" },
      ],
      pendingOperations: [{ urn: URN, type: "creating" }],
      commands: ["pulumi cancel --yes --stack dev-a", "pulumi up --stack dev-a"],
    },
  };

  test("exit code 3 unless a stack failed; drift alone stays 7", () => {
    expect(EXIT_CODES.interrupted).toBe(3);
    expect(reconcileExitCode([{ outcome: "drifted" }, { outcome: "interrupted" }])).toBe(3);
    expect(reconcileExitCode([{ outcome: "failed" }, { outcome: "interrupted" }])).toBe(1);
  });

  test("the table and the section give what was found and the exact commands", () => {
    const [, row] = summaryRows([interrupted]);
    expect(row).toEqual([
      "dev-a",
      "interrupted",
      "0",
      "needs recovery (--recover)",
      "1 lock(s), 1 pending operation(s): pulumi cancel --yes --stack dev-a && pulumi up --stack dev-a",
    ]);
    const markdown = renderReconcileMarkdown({
      project: "p",
      generatedAt: "now",
      direction: "expected → live",
      remediateRequested: false,
      exitCode: 3,
      stacks: [interrupted],
    });
    expect(markdown).toContain("0 failed; 1 need recovery after an interrupted run.");
    expect(markdown).toContain("- lock `/s/l.json`: taken by ci@h (pid 9) at 2026-12-01T03:00:00Z");
    expect(markdown).toContain(`- pending operation: creating \`${URN}\``);
    expect(markdown).toContain("```sh\npulumi cancel --yes --stack dev-a\npulumi up --stack dev-a\n```");
  });

  test("a recovered stack says what was done and shows no commands", () => {
    const recovered: StackResult = {
      ...interrupted,
      outcome: "clean",
      interruption: {
        ...interrupted.interruption!,
        recovery: { ok: true, steps: ["pulumi cancel: removed 1 lock"] },
      },
    };
    expect(summaryRows([recovered])[1][4]).toBe("recovered from 1 lock(s), 1 pending operation(s)");
    const markdown = renderReconcileMarkdown({
      project: "p",
      generatedAt: "now",
      direction: "expected → live",
      remediateRequested: false,
      exitCode: 0,
      stacks: [recovered],
    });
    expect(markdown).toContain("Recovered:\n\n- pulumi cancel: removed 1 lock");
    expect(markdown).not.toContain("```sh");
  });
});
