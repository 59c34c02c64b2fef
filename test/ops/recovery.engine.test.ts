/**
 * Recovery after an interrupted run, for real (issue 13.5): `pulumi up` of test/fixtures/reconcile-project on the
 * emulator, its engine killed with SIGKILL while it publishes the live flow. The language host and the program it
 * ran must end within seconds; `scripts/reconcile.ts` must report the lock and the pending create with the exact
 * commands (exit 3), and with --recover bring the stack back so that `pulumi up` finishes it without a duplicate.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recoverStack } from "../../ops/recovery";
import { fileBackendLockDir, thisMachine } from "../../ops/backendLocks";
import { createKillWorld, KILL_STACK, killedUp, stackMarks, type KillWorld } from "../../harness/killWorld";
import { repoRoot } from "../../harness/pulumiEngine";
import { runPulumi } from "../../ops/pulumiCli";

jest.setTimeout(15 * 60 * 1000);

let world: KillWorld;
let reports = 0;

beforeAll(async () => {
  world = await createKillWorld(13);
});
afterAll(async () => {
  await world?.close();
});

/** scripts/reconcile.ts as a person on call runs it (asynchronously: the emulator serves from this process). */
function reconcileCommand(args: string[]): Promise<{ exitCode: number; stdout: string; markdown: string }> {
  const reportDir = path.join(world.projectDir, "..", `reports-${++reports}`);
  const argv = ["-r", "ts-node/register/transpile-only", "scripts/reconcile.ts"];
  argv.push("--project", world.projectDir, "--report-dir", reportDir, "--stack", KILL_STACK, ...args);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: repoRoot, env: world.env });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("close", (code) => {
      if (code === null || code === 2) return reject(new Error(`reconcile crashed (${code}): ${stdout}`));
      const markdown = fs.readFileSync(path.join(reportDir, "drift-report.md"), "utf8");
      resolve({ exitCode: code, stdout, markdown });
    });
  });
}

const pulumi = (args: string[]) =>
  runPulumi([...args, "--stack", KILL_STACK], { cwd: world.projectDir, env: world.env });

test("kill -9 mid-create: the host exits, reconcile reports and recovers, up finishes with no duplicate", async () => {
  const original = (await world.emulator.control.dumpState()).assets[world.assetId];
  // A slow publish keeps the engine inside the live flow's create: kill it there.
  await world.emulator.control.addFault({ route: "flow.publish", action: { type: "latency", ms: 8000 } });
  const flowExists = async () => Object.keys((await world.emulator.control.dumpState()).flows).length > 0;
  const up = await killedUp(world, flowExists);

  expect(up.killed).toBe(true);
  expect(up.running).toMatchObject({ "language host": 1, program: 1, "dynamic provider": 1 });
  // Our language host and dynamic-provider host notice within seconds that their engine is gone: the host ends the
  // program it ran, and neither lives on.
  expect(up.hostGoneAfterSeconds).toBeLessThan(5);
  expect(up.survivors["language host"] ?? 0).toBe(0);
  expect(up.survivors.program ?? 0).toBe(0);
  expect(up.survivors["dynamic provider"] ?? 0).toBe(0);
  const orphan = Object.values((await world.emulator.control.dumpState()).flows);
  expect(orphan).toHaveLength(1);
  expect(await stackMarks(world)).toEqual({ locks: 1, pendingCreates: 1, pendingOther: 0, damaged: 0 });

  const report = await reconcileCommand([]);
  expect(report.exitCode).toBe(3);
  expect(report.stdout).toMatch(
    /dev-kill\s+interrupted\s+0\s+needs recovery \(--recover\)\s+1 lock\(s\), 1 pending/,
  );
  expect(report.markdown).toMatch(/- lock `.*\.json`: taken by .*@.* \(pid \d+\) at /);
  expect(report.markdown).toMatch(
    /- pending operation: creating `urn:pulumi:dev-kill::reconcile-fixture::.*LiveFlow::inbound`/,
  );
  expect(report.markdown).toContain(
    [
      "```sh",
      "pulumi cancel --yes --stack dev-kill",
      "pulumi refresh --clear-pending-creates --run-program --yes --skip-preview --stack dev-kill",
      "pulumi up --stack dev-kill",
      "```",
    ].join("\n"),
  );
  expect(await stackMarks(world)).toEqual({ locks: 1, pendingCreates: 1, pendingOther: 0, damaged: 0 }); // report only

  const recovered = await reconcileCommand(["--recover"]);
  // Recovered; the flow the killed run never recorded is still to create, which the drift check reports.
  expect(recovered.exitCode).toBe(7);
  expect(recovered.markdown).toContain("Recovered:");
  expect(recovered.markdown).toMatch(/- pulumi cancel: removed .* is no longer running on this machine/);
  expect(recovered.markdown).toContain(
    "- pulumi refresh --clear-pending-creates: cleared 1 pending create(s)",
  );
  expect(await stackMarks(world)).toEqual({ locks: 0, pendingCreates: 0, pendingOther: 0, damaged: 0 });

  expect((await pulumi(["up", "--yes", "--skip-preview"])).exitCode).toBe(0);
  const state = await world.emulator.control.dumpState();
  // The killed run's flow was adopted (search before create), not created a second time.
  expect(Object.keys(state.flows)).toEqual([orphan[0].id]);
  expect(Object.keys(state.services)).toHaveLength(1);
  expect((await reconcileCommand([])).exitCode).toBe(0);

  expect((await pulumi(["destroy", "--yes", "--skip-preview"])).exitCode).toBe(0);
  const after = await world.emulator.control.dumpState();
  expect([Object.keys(after.flows), Object.keys(after.services)]).toEqual([[], []]);
  expect(after.assets[world.assetId]).toMatchObject({
    engageServiceId: original.engageServiceId,
    dataStreamEnabled: original.dataStreamEnabled,
  });
});

test("--recover leaves a lock alone while the run that holds it is alive", async () => {
  const lockDir = fileBackendLockDir(`file://${world.backendDir}`, "reconcile-fixture", KILL_STACK)!;
  fs.mkdirSync(lockDir, { recursive: true });
  const lockFile = path.join(lockDir, "held-by-this-test.json");
  const lock = { pid: process.pid, username: "on-call", hostname: os.hostname(), timestamp: new Date() };
  fs.writeFileSync(lockFile, JSON.stringify(lock));
  try {
    const run = await reconcileCommand(["--recover"]);
    expect(run.exitCode).toBe(3);
    expect(run.markdown).toContain(
      `Recovery stopped: lock kept: on-call@${os.hostname()} (pid ${process.pid}) is still running on this machine. ` +
        "If that run is gone: pulumi cancel --yes --stack dev-kill",
    );
    expect(fs.existsSync(lockFile)).toBe(true);
  } finally {
    fs.rmSync(lockFile);
  }
  // Without the lock the stack is no longer interrupted: what is left is drift (the first test destroyed it).
  expect((await reconcileCommand([])).exitCode).toBe(7);
});

test("a lock the check could not see (as on bucket backends) is found by the refresh and removed once stale", async () => {
  const lockDir = fileBackendLockDir(`file://${world.backendDir}`, "reconcile-fixture", KILL_STACK)!;
  fs.mkdirSync(lockDir, { recursive: true });
  const lockFile = path.join(lockDir, "left-by-a-killed-run.json");
  const gonePid = 2 ** 22 + 1; // above Linux's pid_max: no such process
  const lock = { pid: gonePid, username: "ci", hostname: os.hostname(), timestamp: new Date() };
  fs.writeFileSync(lockFile, JSON.stringify(lock));
  const target = {
    cli: { cwd: world.projectDir, env: world.env },
    project: "reconcile-fixture",
    stack: KILL_STACK,
  };
  const result = await recoverStack(target, { locks: [], pendingOperations: [] }, thisMachine(60));
  expect(result).toEqual({
    ok: true,
    steps: [
      `pulumi cancel: removed ci@${os.hostname()} (pid ${gonePid}) is no longer running on this machine`,
      "pulumi refresh --clear-pending-creates: cleared 0 pending create(s), read back 0 other pending operation(s)",
    ],
  });
  expect(fs.existsSync(lockFile)).toBe(false);
});
