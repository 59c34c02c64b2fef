/**
 * The Webex Connect dynamic providers under the real engine, against the emulator: the lifecycle the issue asks
 * for, out-of-band edits found by refresh and undone by up, in-place updates, and destroy returning the tenant to
 * how it was.
 */
import * as fs from "node:fs";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import { readStateFiles, scratchDir, withEphemeralStack } from "../../harness/pulumiEngine";
import type { PulumiStack } from "../../ops/pulumiStack";
import { AMB_ACCOUNT_ID, APP_ID } from "./webexconnectProgram";

jest.setTimeout(15 * 60 * 1000);

async function liveFlowState(stack: PulumiStack) {
  const { deployment } = await stack.exportStack();
  const resource = deployment.resources?.find(
    (r) => r.type === "pulumi-nodejs:dynamic/webexconnect:LiveFlow",
  );
  return resource?.outputs as { liveChanges: string[]; liveVersionId: string; definitionHash: string };
}

describe("Webex Connect providers under the real engine", () => {
  let emulator: RunningEmulator;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = scratchDir("emulator");
    emulator = await startEmulator({ dataDir, seed: 7 });
  });
  afterAll(async () => {
    await emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("up, no-op preview and refresh, drift found and undone, update in place, destroy restores the tenant", async () => {
    const seeded = await emulator.control.seedAsset({
      organizationId: DEFAULT_ORGANIZATION_ID,
      name: "TestAccount_Cisco",
      appId: APP_ID,
      ambAccountId: AMB_ACCOUNT_ID,
      status: "Online",
    });
    await emulator.control.setDataStream(seeded.id, false);
    const before = await emulator.control.dumpState();
    let engineOutput = "";
    /** Runs an operation and keeps what the CLI printed. */
    const printed = async <T extends { stdout: string; stderr: string }>(run: Promise<T>) => {
      const result = await run;
      engineOutput += result.stdout + result.stderr;
      return result;
    };

    await withEphemeralStack(
      {
        projectName: "wxc-providers",
        program: "test/providers/webexconnectProgram.ts",
        config: {
          fqdn: { value: "cc.example.com" },
          "webexconnect:token": { value: DEFAULT_TOKEN, secret: true },
          "webexconnect:orgId": { value: DEFAULT_ORGANIZATION_ID },
          "webexconnect:baseUrl": { value: emulator.url },
        },
      },
      async (stack, { backendDir }) => {
        const up = await printed(stack.up());
        expect(up.outputs.assetId.value).toBe(seeded.id);
        expect(up.outputs.businessChatUrl.value).toBe(`https://bcrw.apple.com/urn:biz:${AMB_ACCOUNT_ID}`);
        expect(up.outputs.credentials.secret).toBe(true);
        const state = await emulator.control.dumpState();
        const flow = state.flows[up.outputs.flowId.value as string];
        expect(flow).toMatchObject({
          status: "live",
          boundAssetId: seeded.id,
          name: "AppleMessages_inbound_flow__TestAccount_Cisco",
        });
        expect(Object.keys(state.services)).toHaveLength(1);

        await printed(stack.preview({ expectNoChanges: true }));
        await printed(stack.refresh({ expectNoChanges: true }));

        // A portal user changes the Domain of the CCE Create Task node and makes the flow live again.
        const live = state.versions[flow.liveVersionId!].definition as {
          nodes: Array<{ type: string; config: Record<string, unknown> }>;
        };
        const edited = structuredClone(live);
        edited.nodes.find((node) => node.type === "cceCreateTask")!.config.domain = "cc-old.example.com";
        await emulator.control.portalEditFlow(flow.id, edited);
        const refresh = await printed(stack.refresh());
        expect(refresh.changes).toMatchObject({ update: 1 });
        const drift = await liveFlowState(stack);
        expect(drift.liveChanges).toEqual([
          expect.stringMatching(/CCE Create Task \(node \d+\): domain cc.example.com → cc-old.example.com/),
        ]);

        const restore = await printed(stack.up());
        expect(restore.changes).toMatchObject({ update: 1 });
        const restored = await emulator.control.dumpState();
        const restoredFlow = restored.flows[flow.id];
        const restoredDomain = (
          restored.versions[restoredFlow.liveVersionId!].definition as typeof live
        ).nodes.find((node) => node.type === "cceCreateTask")!.config.domain;
        expect(restoredDomain).toBe("cc.example.com");
        await printed(stack.preview({ expectNoChanges: true }));

        // An input change publishes a new version in place and keeps the previous one for rollback.
        await stack.setConfig("fqdn", "cc2.example.com");
        const update = await printed(stack.up());
        expect(update.outputs.flowId.value).toBe(flow.id);
        expect(update.outputs.previousLiveVersionId.value).toBe(restoredFlow.liveVersionId);
        expect(update.outputs.liveVersionId.value).not.toBe(restoredFlow.liveVersionId);
        await printed(stack.preview({ expectNoChanges: true }));

        const stateText = readStateFiles(backendDir);
        const service = Object.values((await emulator.control.dumpState()).services)[0];
        for (const secret of [DEFAULT_TOKEN, service.serviceKey, service.jwtSecret]) {
          expect(stateText).not.toContain(secret);
          expect(engineOutput).not.toContain(secret);
        }
      },
    );

    const after = await emulator.control.dumpState();
    expect(after.flows).toEqual({});
    expect(after.services).toEqual({});
    expect(after.assets).toEqual(before.assets);
  });
});
