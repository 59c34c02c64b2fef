/**
 * What happens when Webex Connect misbehaves or the run dies: the real program against the emulator, under 30%
 * injected faults, and killed in the middle of creating flows. Both converge with no duplicate object.
 */
import { refreshExcludes } from "../../config/refreshScope";
import type { EmulatorState } from "../../emulator/state";
import { killTree } from "../../harness/processes";
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACK = "dev-retail";

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
  let world: StackWorld;

  beforeEach(async () => {
    world = await createStackWorld([STACK], { seed: 5 });
  });
  afterEach(async () => {
    await world.close();
  });

  test("an up under 30% injected 429/5xx/dropped connections converges with no duplicate", async () => {
    for (const rule of [
      { action: { type: "status" as const, status: 429, retryAfterSeconds: 0 }, probability: 0.1 },
      { action: { type: "status" as const, status: 503 }, probability: 0.1 },
      // Processed, then the answer is lost: the client cannot know whether its write happened.
      { action: { type: "status" as const, status: 502 }, phase: "after" as const, probability: 0.05 },
      { action: { type: "drop" as const }, phase: "after" as const, probability: 0.05 },
    ]) {
      await world.emulator.control.addFault(rule);
    }
    const stack = await world.openStack(STACK);
    await stack.up();
    const fired = (await world.emulator.control.listFaults()).reduce((sum, rule) => sum + rule.fired, 0);
    expect(fired).toBeGreaterThan(0);
    await world.emulator.control.clearFaults();

    const state = await world.emulator.control.dumpState();
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
    await world.emulator.control.addFault({ route: "flow.publish", action: { type: "latency", ms: 1500 } });
    const stack = await world.openStack(STACK); // creates the stack in the backend
    let pid = 0;
    const killed = stack.run(["up", "--yes", "--skip-preview"], { onSpawn: (child) => (pid = child.pid!) });
    for (let i = 0; i < 600; i++) {
      const state = await world.emulator.control.dumpState();
      if (Object.keys(state.flows).length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    killTree(pid); // the engine and its plugins
    await killed;
    await world.emulator.control.clearFaults();
    const orphaned = await world.emulator.control.dumpState();
    // Killed mid-create: flows exist in Webex Connect that the run never got to make live or record.
    expect(Object.keys(orphaned.flows).length).toBeGreaterThanOrEqual(2);
    expect(Object.values(orphaned.flows).some((flow) => flow.status !== "live")).toBe(true);

    await stack.cancel(); // the killed run may have left its lock behind (its exit code does not matter)
    await stack.refresh({ clearPendingCreates: true, exclude: refreshExcludes(true) });
    await stack.up();
    const state = await world.emulator.control.dumpState();
    expectNoDuplicates(state);
    // The flows the killed run had started were taken over, not created again.
    for (const flowId of Object.keys(orphaned.flows)) expect(state.flows[flowId]).toBeDefined();
    await stack.preview({ expectNoChanges: true });
    await stack.destroy();
    expect((await world.emulator.control.dumpState()).flows).toEqual({});
  });
});
