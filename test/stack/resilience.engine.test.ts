/**
 * What happens when Webex Connect misbehaves or the run dies: the real program against the emulator, under 30%
 * injected faults, and killed in the middle of creating flows. Both converge with no duplicate object.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { refreshExcludes } from "../../config/refreshScope";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import type { EmulatorState } from "../../emulator/state";
import { copyProject, type ProjectCopy } from "../support/projectCopy";
import { engineEnv, repoRoot, scratchDir } from "../support/pulumiEngine";

jest.setTimeout(20 * 60 * 1000);

const STACK = "dev-retail";
const asset = parse(fs.readFileSync(path.join(repoRoot, "stacks", `Pulumi.${STACK}.yaml`), "utf8")).config[
  "amb-cce-connect:asset"
];

/** Every object name appears once: no service or flow was created twice. */
function expectNoDuplicates(state: EmulatorState): void {
  const serviceNames = Object.values(state.services).map((service) => service.name);
  const flowNames = Object.values(state.flows).map((flow) => flow.name);
  expect(new Set(serviceNames).size).toBe(serviceNames.length);
  expect(new Set(flowNames).size).toBe(flowNames.length);
  expect(serviceNames).toHaveLength(1);
  expect(flowNames).toHaveLength(7);
}

describe("resilience of the stack program", () => {
  let emulator: RunningEmulator;
  let emulatorDir: string;
  let backendDir: string;
  let project: ProjectCopy;
  let env: Record<string, string>;

  beforeEach(async () => {
    emulatorDir = scratchDir("emulator");
    backendDir = scratchDir("backend");
    emulator = await startEmulator({ dataDir: emulatorDir, seed: 5 });
    project = copyProject([STACK], emulator.url);
    env = {
      ...engineEnv(backendDir),
      PULUMI_CONFIG_PASSPHRASE: "resilience-test",
      WEBEX_CONNECT_TOKEN: DEFAULT_TOKEN,
      WEBEX_CONNECT_ORG_ID: DEFAULT_ORGANIZATION_ID,
    };
    await emulator.control.seedAsset({
      organizationId: DEFAULT_ORGANIZATION_ID,
      name: asset.accountName,
      accountName: asset.accountName,
      appId: asset.appId,
      ambAccountId: asset.ambAccountId,
      status: "Online",
    });
  });
  afterEach(async () => {
    await emulator.close();
    project.remove();
    for (const dir of [emulatorDir, backendDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const openStack = (): Promise<Stack> =>
    LocalWorkspace.createOrSelectStack({ stackName: STACK, workDir: project.dir }, { envVars: env });

  test("an up under 30% injected 429/5xx/dropped connections converges with no duplicate", async () => {
    for (const rule of [
      { action: { type: "status" as const, status: 429, retryAfterSeconds: 0 }, probability: 0.1 },
      { action: { type: "status" as const, status: 503 }, probability: 0.1 },
      // Processed, then the answer is lost: the client cannot know whether its write happened.
      { action: { type: "status" as const, status: 502 }, phase: "after" as const, probability: 0.05 },
      { action: { type: "drop" as const }, phase: "after" as const, probability: 0.05 },
    ]) {
      await emulator.control.addFault(rule);
    }
    const stack = await openStack();
    await stack.up();
    const fired = (await emulator.control.listFaults()).reduce((sum, rule) => sum + rule.fired, 0);
    expect(fired).toBeGreaterThan(0);
    await emulator.control.clearFaults();

    const state = await emulator.control.dumpState();
    expectNoDuplicates(state);
    // Each flow was published exactly once: a retried publish never minted a second version.
    const versionsPerFlow = Object.values(state.versions).reduce<Record<string, number>>(
      (counts, version) => ({ ...counts, [version.flowId]: (counts[version.flowId] ?? 0) + 1 }),
      {},
    );
    expect(Object.values(versionsPerFlow)).toEqual(Array(7).fill(1));
    await stack.preview({ expectNoChanges: true });
    await stack.destroy();
  });

  test("an up killed while creating flows, then refresh and up, converges with no duplicate", async () => {
    // Slow publishes keep the run inside the flow creations long enough to kill it there.
    await emulator.control.addFault({ route: "flow.publish", action: { type: "latency", ms: 1500 } });
    const stack = await openStack(); // creates the stack in the backend
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", STACK, "--non-interactive"], {
      cwd: project.dir,
      env: { ...process.env, ...env },
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    for (let i = 0; i < 600; i++) {
      const state = await emulator.control.dumpState();
      if (Object.keys(state.flows).length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    await emulator.control.clearFaults();
    const orphaned = await emulator.control.dumpState();
    // Killed mid-create: flows exist in Webex Connect that the run never got to make live or record.
    expect(Object.keys(orphaned.flows).length).toBeGreaterThanOrEqual(2);
    expect(Object.values(orphaned.flows).some((flow) => flow.status !== "live")).toBe(true);

    await stack.cancel().catch(() => undefined); // the killed run may have left its lock behind
    await stack.refresh({ clearPendingCreates: true, exclude: refreshExcludes(true) });
    await stack.up();
    const state = await emulator.control.dumpState();
    expectNoDuplicates(state);
    // The flows the killed run had started were taken over, not created again.
    for (const flowId of Object.keys(orphaned.flows)) expect(state.flows[flowId]).toBeDefined();
    await stack.preview({ expectNoChanges: true });
    await stack.destroy();
    expect((await emulator.control.dumpState()).flows).toEqual({});
  });
});
