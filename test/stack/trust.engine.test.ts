/**
 * What the preview says is what will happen, and reconciliation tells the truth: the real program under the real
 * engine against the emulator, for each way issue 13 found that promise broken.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_ORGANIZATION_ID } from "../../emulator/server";
import type { EmulatorState } from "../../emulator/state";
import { parsePreviewDigest } from "../../ops/previewDigest";
import { renderChanges, resourceChanges } from "../../ops/driftReport";
import { runPulumi } from "../../ops/pulumiCli";
import { driftPreviewArgs } from "../../ops/reconcile";
import { refreshExcludes } from "../../config/refreshScope";
import type { PulumiStack } from "../../ops/pulumiStack";
import { assetOfStack, createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACK = "dev-retail";
const EXCLUDE = refreshExcludes(true);

const assetIn = (state: EmulatorState) =>
  Object.values(state.assets).find((asset) => asset.appId === assetOfStack(STACK).appId)!;

/** Writes through the Webex Connect routes (not the emulator's control surface) since `since`. */
function writesSince(
  recent: Array<{ route: string; method: string }>,
  since: number,
): Array<{ route: string; method: string }> {
  return recent.slice(since).filter((request) => request.method !== "GET" && !request.route.startsWith("_"));
}

/**
 * A copy of the stack's file as a user makes one: a new asset key, service name and namespace, the same App ID.
 * `assetLine` adds a line to the asset section. Returns the new stack's name.
 */
function copyStackFile(world: StackWorld, key: string, assetLine?: string): string {
  const stacks = path.join(world.project.dir, "stacks");
  const text = fs
    .readFileSync(path.join(stacks, `Pulumi.${STACK}.yaml`), "utf8")
    .replace("key: retail", `key: ${key}${assetLine ? `\n    ${assetLine}` : ""}`)
    .replace("name: AMB Retail_Store (dev)", `name: AMB Retail_Store ${key} (dev)`)
    .replace("namespace: amb-retail", `namespace: amb-${key}`);
  const stack = `dev-${key}`;
  fs.writeFileSync(path.join(stacks, `Pulumi.${stack}.yaml`), text);
  return stack;
}

/** The CLI in the project copy, as a user runs it; `without` names environment variables the user does not have. */
async function cli(world: StackWorld, args: string[], without: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...world.env };
  for (const name of without) delete env[name];
  return runPulumi(args, { cwd: world.project.dir, env });
}

describe("trustworthy previews and reconciliation", () => {
  let world: StackWorld;
  let stack: PulumiStack;

  beforeEach(async () => {
    world = await createStackWorld([STACK], { seed: 13 });
    stack = await world.openStack(STACK);
  });
  afterEach(async () => {
    await world.close();
  });

  test("portal drift of the asset or the service never shows a flow replaced, and up --refresh does what preview said", async () => {
    await stack.up();
    const state = await world.emulator.control.dumpState();
    const asset = assetIn(state);
    const serviceId = Object.keys(state.services)[0];

    // A portal user turns Data Stream off, unregisters the asset from Engage and renames the service.
    await world.emulator.control.setDataStream(asset.id, false);
    await world.emulator.control.unregisterEngage(asset.id);
    const client = await import("../../webexconnect").then(({ createWebexConnectClient }) =>
      createWebexConnectClient({
        baseUrl: world.emulator.url,
        organizationId: DEFAULT_ORGANIZATION_ID,
        token: world.env.WEBEX_CONNECT_TOKEN,
      }),
    );
    const service = await client.getService(serviceId);
    await client.updateService(serviceId, {
      name: "renamed in the portal",
      description: service.description,
    });

    const preview = await stack.preview({ refresh: true, exclude: EXCLUDE });
    expect(preview.changes.replace ?? 0).toBe(0);
    expect(preview.changes.create ?? 0).toBe(0);
    expect(preview.changes.delete ?? 0).toBe(0);
    // The asset (Engage + Data Stream) and the service (name) are updated; nothing else.
    expect(preview.changes.update).toBe(2);

    const up = await stack.up({ refresh: true, exclude: EXCLUDE });
    expect(up.changes).toMatchObject({ update: 2 });
    expect(up.changes.replace ?? 0).toBe(0);
    const after = await world.emulator.control.dumpState();
    expect(assetIn(after)).toMatchObject({ engageServiceId: serviceId, dataStreamEnabled: true });
    expect(Object.keys(after.flows).sort()).toEqual(Object.keys(state.flows).sort());
    await stack.preview({ expectNoChanges: true });
  });

  test("a flow's changed domain is in the drift report whatever else drifted", async () => {
    await stack.up();
    const state = await world.emulator.control.dumpState();
    const inbound = Object.values(state.flows).find((flow) =>
      flow.name.startsWith("AppleMessages_inbound_flow"),
    )!;
    const definition = structuredClone(state.versions[inbound.liveVersionId!].definition) as {
      nodes: Array<{ id: string; type: string; config: Record<string, unknown> }>;
    };
    const createTask = definition.nodes.find((node) => node.type === "cceCreateTask")!;
    const declared = createTask.config.domain as string;
    createTask.config.domain = "rogue.example.net";
    await world.emulator.control.portalEditFlow(inbound.id, definition);
    await world.emulator.control.setDataStream(assetIn(state).id, false);

    const run = await cli(world, driftPreviewArgs(STACK, EXCLUDE));
    const digest = parsePreviewDigest(run.stdout);
    expect(digest).toBeDefined();
    const changes = resourceChanges(digest!, "drift");
    expect(changes.filter((change) => change.op === "replace")).toEqual([]);
    const flowChanges = changes.flatMap((change) =>
      change.fields.flatMap((field) => field.flowChanges ?? []),
    );
    expect(flowChanges).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^CCE Create Task \\(node ${createTask.id}\\): domain ${declared.replace(/\./g, "\\.")} → rogue\\.example\\.net$`,
        ),
      ),
    );
    const markdown = renderChanges(changes, "drift");
    expect(markdown).toContain("rogue.example.net");
    expect(markdown).toContain(declared);
    expect(markdown).not.toContain("known after update");
  });

  test("a second stack binding the same asset is refused before any write, naming the owning stack", async () => {
    await stack.up();
    const copy = copyStackFile(world, "retailcopy");
    const before = await world.emulator.control.dumpState();
    const requestsBefore = (await world.emulator.control.requests()).recent.length;

    const second = await world.openStack(copy);
    await expect(second.up()).rejects.toThrow(
      /is managed by stack amb-cce-connect\/dev-retail[\s\S]*pulumi destroy --stack dev-retail[\s\S]*asset\.takeOwnershipFrom/,
    );
    const writes = writesSince((await world.emulator.control.requests()).recent, requestsBefore);
    expect(writes).toEqual([]);
    expect(await world.emulator.control.dumpState()).toEqual(before);

    // The first stack still finds everything as it left it.
    await stack.preview({ refresh: true, exclude: EXCLUDE, expectNoChanges: true });
  });

  test("moving an asset on purpose with takeOwnershipFrom keeps its original settings for the final destroy", async () => {
    const original = assetIn(await world.emulator.control.dumpState());
    await stack.up();
    const copy = copyStackFile(world, "retailnew", "takeOwnershipFrom: amb-cce-connect/dev-retail");
    const second = await world.openStack(copy);
    await second.up();

    // The old stack no longer owns the asset: its reconcile reports it and refuses to take it back.
    await expect(stack.up({ refresh: true, exclude: EXCLUDE })).rejects.toThrow(
      /is managed by stack amb-cce-connect\/dev-retailnew/,
    );
    await second.destroy();
    const restored = assetIn(await world.emulator.control.dumpState());
    expect(restored).toMatchObject({
      engageServiceId: original.engageServiceId,
      dataStreamEnabled: original.dataStreamEnabled,
      description: original.description,
    });
  });

  test("a create that failed half way, then succeeded, is destroyed cleanly back to the asset's original settings", async () => {
    const original = assetIn(await world.emulator.control.dumpState());
    // The Data Stream write fails for good (more 500s than the client retries): the first up fails after the
    // asset was already registered to the stack's service.
    await world.emulator.control.addFault({
      route: "dataStream.set",
      action: { type: "status", status: 500 },
      count: 10,
    });
    await expect(stack.up()).rejects.toThrow(/server error/);
    expect(assetIn(await world.emulator.control.dumpState()).engageServiceId).not.toBeNull();
    await world.emulator.control.clearFaults();

    await stack.up();
    await stack.destroy();
    const state = await world.emulator.control.dumpState();
    expect(state.services).toEqual({});
    expect(state.flows).toEqual({});
    expect(assetIn(state)).toMatchObject({
      engageServiceId: original.engageServiceId,
      dataStreamEnabled: original.dataStreamEnabled,
      description: original.description,
    });
  });

  test("a 500 on an idempotent read during up is retried, not fatal", async () => {
    await world.emulator.control.addFault({
      route: "asset.getWithSettings",
      action: { type: "status", status: 500 },
      count: 1,
    });
    await stack.up();
    expect((await world.emulator.control.listFaults())[0].fired).toBe(1);
  });

  test("a stack first deployed with WEBEX_CONNECT_TOKEN refreshes with the token in secret config, as the README says", async () => {
    await stack.up();
    const noEnvToken = ["WEBEX_CONNECT_TOKEN"];
    const excludes = EXCLUDE.flatMap((pattern) => ["--exclude", pattern]);
    const set = await cli(
      world,
      ["config", "set", "--secret", "webexconnect:token", world.env.WEBEX_CONNECT_TOKEN, "--stack", STACK],
      noEnvToken,
    );
    expect(set.exitCode).toBe(0);

    // Without --run-program a refresh configures the providers as recorded at the last update (no token then):
    // the error says so and names the flag.
    const stale = await cli(world, ["preview", "--refresh", "--stack", STACK, ...excludes], noEnvToken);
    expect(stale.exitCode).not.toBe(0);
    expect(stale.stdout + stale.stderr).toMatch(/--run-program/);

    const up = await cli(
      world,
      ["up", "--refresh", "--run-program", "--yes", "--stack", STACK, ...excludes],
      noEnvToken,
    );
    expect(up.stdout + up.stderr).not.toMatch(/is missing/);
    expect(up.exitCode).toBe(0);
  });
});
