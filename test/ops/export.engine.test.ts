/**
 * The export round trip, through the real engine and program on the emulator: a tenant built by hand through the
 * API → `npm run export`'s code writes the stack file (the hand-edited flow kept as an override) → `pulumi up` with
 * the policy pack adopts everything: no new Webex Connect object, no new flow version, every original id kept → a
 * preview shows no change. Then the user takes our flow instead: exactly that flow gets one new version, the
 * hand-edited one recorded for rollback.
 *
 * Pulumi dynamic providers cannot `pulumi import` (pulumi#16175), so the engine reports "create" for each state
 * entry it adopts; adoption happens in the providers (service by id, asset by App ID, flows by name).
 */
import * as path from "node:path";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import { boundFlowName, customerCloseFlowTemplate } from "../../flows";
import { runExport, type ExportRunOptions } from "../../ops/export/run";
import { SETTINGS_ENV } from "../../lib/facts";
import { createWebexConnectClient } from "../../webexconnect";
import { buildTenantByHand, HAND_BUILT, type HandBuiltTenant } from "../support/handBuiltTenant";
import { copyProject, type ProjectCopy } from "../../harness/projectCopy";
import { engineEnv, repoRoot, scratchDir } from "../../harness/pulumiEngine";
import { selectStack, type PulumiStack } from "../../ops/pulumiStack";

jest.setTimeout(20 * 60 * 1000);

const EDITED = boundFlowName(customerCloseFlowTemplate, HAND_BUILT.accountName);
const POLICY_PACK = path.join(repoRoot, "policies");

/** What "no change in Webex Connect" is measured by: object ids, and the versions of each flow. */
async function webexObjects(emulator: RunningEmulator) {
  const state = await emulator.control.dumpState();
  const versionsOf = (flowId: string) =>
    Object.values(state.versions).filter((v) => v.flowId === flowId).length;
  return {
    services: Object.keys(state.services).sort(),
    assets: Object.keys(state.assets).sort(),
    flows: Object.fromEntries(
      Object.values(state.flows).map((flow) => [
        flow.name,
        {
          id: flow.id,
          liveVersionId: flow.liveVersionId,
          versions: versionsOf(flow.id),
          status: flow.status,
        },
      ]),
    ),
    engage: Object.values(state.assets).map((asset) => [
      asset.id,
      asset.engageServiceId,
      asset.dataStreamEnabled,
    ]),
  };
}

describe("export round trip", () => {
  let emulator: RunningEmulator;
  let tenant: HandBuiltTenant;
  let project: ProjectCopy;
  let stack: PulumiStack;

  const exportOptions = (extra: Partial<ExportRunOptions>): ExportRunOptions => ({
    appIds: "all",
    environment: "dev",
    baseUrl: emulator.url,
    keepTheirs: [],
    takeOurs: [],
    projectDir: project.dir,
    ...extra,
  });
  const client = () =>
    createWebexConnectClient({
      token: DEFAULT_TOKEN,
      organizationId: DEFAULT_ORGANIZATION_ID,
      baseUrl: emulator.url,
    });

  beforeAll(async () => {
    emulator = await startEmulator({ dataDir: scratchDir("export-rt-emulator"), seed: 19 });
    tenant = await buildTenantByHand(emulator);
    project = copyProject([], emulator.url);
  });
  afterAll(async () => {
    await emulator?.close();
    project?.remove();
  });

  test("hand-built tenant → export → up adopts with zero Webex Connect changes → empty preview", async () => {
    const before = await webexObjects(emulator);
    const [exported] = await runExport(client(), exportOptions({ keepTheirs: ["all"] }), () => undefined);
    expect(exported.written).toEqual([
      exported.files.stackFile.path,
      `stacks/overrides/${exported.files.stackName}/${customerCloseFlowTemplate}.json`,
    ]);
    stack = await selectStack(exported.files.stackName, {
      cwd: project.dir,
      env: {
        ...process.env,
        ...engineEnv(scratchDir("export-rt-backend")),
        PULUMI_CONFIG_PASSPHRASE: "export-round-trip",
        [SETTINGS_ENV.token]: DEFAULT_TOKEN,
        [SETTINGS_ENV.organizationId]: DEFAULT_ORGANIZATION_ID,
      },
    });
    const up = await stack.up({ policyPacks: [POLICY_PACK] });
    const after = await webexObjects(emulator);
    // No new object, no new version, the same ids; the asset stays registered with Data Stream on.
    expect(after).toEqual(before);
    const outputs = up.outputs.flows.value as Record<string, { flowId: string; liveVersionId: string }>;
    expect(Object.fromEntries(Object.entries(outputs).map(([name, flow]) => [name, flow.flowId]))).toEqual(
      tenant.flowIds,
    );
    await stack.preview({ expectNoChanges: true, policyPacks: [POLICY_PACK] });
  });

  test("taking ours afterwards publishes exactly that flow once, the hand-edited version kept for rollback", async () => {
    const before = await webexObjects(emulator);
    const [exported] = await runExport(
      client(),
      exportOptions({ takeOurs: ["all"], force: true }),
      () => undefined,
    );
    expect(exported.written).toEqual([exported.files.stackFile.path]);
    const up = await stack.up({ policyPacks: [POLICY_PACK] });
    const after = await webexObjects(emulator);
    expect(after.services).toEqual(before.services);
    expect(Object.keys(after.flows).sort()).toEqual(Object.keys(before.flows).sort());
    for (const [name, flow] of Object.entries(after.flows)) {
      const was = before.flows[name];
      expect({ name, id: flow.id, versions: flow.versions }).toEqual({
        name,
        id: was.id,
        versions: was.versions + (name === EDITED ? 1 : 0),
      });
    }
    const edited = (up.outputs.flows.value as Record<string, { previousLiveVersionId: string | null }>)[
      EDITED
    ];
    expect(edited.previousLiveVersionId).toBe(before.flows[EDITED].liveVersionId);
    await stack.preview({ expectNoChanges: true });
  });
});
