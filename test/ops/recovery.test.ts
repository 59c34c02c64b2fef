import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES, reconcileExitCode } from "../../ops/reconcile";
import { renderReconcileMarkdown, summaryRows, type StackResult } from "../../ops/reconcileReport";
import {
  clearPendingArgs,
  pendingOperationsOf,
  pendingOperationsOfCheckpoint,
  recoveryCommands,
} from "../../ops/recovery";
import { fileBackendCheckpoint } from "../../ops/backendLocks";

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

  test("are read from a file backend's checkpoint file itself, without a CLI run", () => {
    const checkpoint = JSON.stringify({
      version: 3,
      checkpoint: {
        stack: "organization/amb-cce-connect/dev-retail",
        latest: {
          resources: [],
          pending_operations: [{ resource: { urn: URN }, type: "creating" }],
        },
      },
    });
    expect(pendingOperationsOfCheckpoint(checkpoint)).toEqual([{ urn: URN, type: "creating" }]);
    expect(pendingOperationsOfCheckpoint(JSON.stringify({ version: 3, checkpoint: { latest: {} } }))).toEqual(
      [],
    );
  });

  test("a file backend's checkpoint is .pulumi/stacks/<project>/<stack>.json, when it is there as plain JSON", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "state-"));
    const dir = path.join(root, ".pulumi", "stacks", "amb-cce-connect");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "dev-a.json"), "{}");
    fs.writeFileSync(path.join(dir, "dev-z.json.gz"), "");
    expect(fileBackendCheckpoint(`file://${root}`, "amb-cce-connect", "dev-a")).toBe(
      path.join(dir, "dev-a.json"),
    );
    // Gzipped state, a stack not there, other backends: the caller asks the CLI (`pulumi stack export`).
    expect(fileBackendCheckpoint(`file://${root}`, "amb-cce-connect", "dev-z")).toBeUndefined();
    expect(fileBackendCheckpoint(`file://${root}`, "amb-cce-connect", "dev-b")).toBeUndefined();
    expect(fileBackendCheckpoint("s3://bucket", "amb-cce-connect", "dev-a")).toBeUndefined();
    fs.rmSync(root, { recursive: true });
  });
});

describe("recovery commands", () => {
  test("remove damaged checkpoint metadata first, before the lock and the pending creates", () => {
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
