/**
 * The real program (index.ts) through the real engine and language host, against the emulator: two AMB asset
 * stacks of one tenant. Each comes up, shows no changes on preview and refresh, leaves the other's flows alone,
 * and is destroyed without a trace apart from the Apple-created assets, returned to how they were.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import { refreshExcludes } from "../../config/refreshScope";
import { copyProject, type ProjectCopy } from "../support/projectCopy";
import { engineEnv, repoRoot, scratchDir } from "../support/pulumiEngine";

jest.setTimeout(20 * 60 * 1000);

const STACKS = ["dev-retail", "dev-support"] as const;

function assetOf(stack: string): { appId: string; ambAccountId: string; accountName: string } {
  const file = parse(fs.readFileSync(path.join(repoRoot, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
  return file.config["amb-cce-connect:asset"];
}

describe("the stack program on the emulator", () => {
  let emulator: RunningEmulator;
  let emulatorDir: string;
  let backendDir: string;
  let project: ProjectCopy;

  beforeAll(async () => {
    emulatorDir = scratchDir("emulator");
    backendDir = scratchDir("backend");
    emulator = await startEmulator({ dataDir: emulatorDir, seed: 11 });
    project = copyProject([...STACKS], emulator.url);
  });
  afterAll(async () => {
    await emulator.close();
    project.remove();
    for (const dir of [emulatorDir, backendDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openStack(name: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
      { stackName: name, workDir: project.dir },
      {
        envVars: {
          ...engineEnv(backendDir),
          PULUMI_CONFIG_PASSPHRASE: "full-stack-test",
          WEBEX_CONNECT_TOKEN: DEFAULT_TOKEN,
          WEBEX_CONNECT_ORG_ID: DEFAULT_ORGANIZATION_ID,
        },
      },
    );
  }

  const liveVersions = async () =>
    Object.fromEntries(
      Object.values((await emulator.control.dumpState()).flows).map((f) => [f.id, f.liveVersionId]),
    );

  test("two asset stacks of one tenant: up, no-change preview, clean refresh, isolation, destroy", async () => {
    for (const stack of STACKS) {
      const { appId, ambAccountId, accountName } = assetOf(stack);
      await emulator.control.seedAsset({
        organizationId: DEFAULT_ORGANIZATION_ID,
        name: accountName,
        accountName,
        appId,
        ambAccountId,
        status: "Online",
      });
    }
    const before = await emulator.control.dumpState();

    const retail = await openStack("dev-retail");
    const retailUp = await retail.up();
    expect(retailUp.outputs.fqdn.value).toBe("amb-retail.dev.cc.example.com");
    const retailFlows = retailUp.outputs.flows.value as Record<string, { flowId: string }>;
    expect(Object.keys(retailFlows).sort()).toEqual(
      [
        "AppleMessages_CustomerClose",
        "AppleMessages_inbound_flow",
        "AppleMessages_webhook_CLOSED",
        "AppleMessages_webhook_CREATED",
        "AppleMessages_webhook_QUEUED",
        "AppleMessages_webhook_ROUTED",
        "AppleMessages_webhook_TRANSFERRED",
      ].map((name) => `${name}__Retail_Store`),
    );
    expect(
      fs.readdirSync(path.join(project.renderDir("dev-retail"), "1-manifest")).length,
    ).toBeGreaterThanOrEqual(10);
    await retail.preview({ expectNoChanges: true });
    await retail.refresh({ expectNoChanges: true, exclude: refreshExcludes(true) });

    const retailVersions = await liveVersions();
    const support = await openStack("dev-support");
    await support.up();
    await support.preview({ expectNoChanges: true });
    await support.refresh({ expectNoChanges: true, exclude: refreshExcludes(true) });
    await retail.preview({ expectNoChanges: true });

    const state = await emulator.control.dumpState();
    // The second asset's stack did not touch a single flow of the first.
    for (const [flowId, version] of Object.entries(retailVersions))
      expect(state.flows[flowId].liveVersionId).toBe(version);
    // Every live flow is bound to its own asset, and every webhook flow is conditioned on that asset's App ID.
    const assetIdByAppId = Object.fromEntries(Object.values(state.assets).map((a) => [a.appId, a.id]));
    for (const stack of STACKS) {
      const { appId, accountName } = assetOf(stack);
      const flows = Object.values(state.flows).filter((flow) => flow.name.endsWith(`__${accountName}`));
      expect(flows).toHaveLength(7);
      for (const flow of flows) {
        expect(flow.boundAssetId).toBe(assetIdByAppId[appId]);
        const definition = state.versions[flow.liveVersionId!].definition as unknown as {
          trigger: { kind: string; conditions: Array<{ value: string }> };
        };
        if (definition.trigger.kind === "webhook")
          expect(definition.trigger.conditions.map((c) => c.value)).toEqual([appId]);
      }
    }

    for (const stack of [support, retail]) {
      await stack.destroy();
      await stack.workspace.removeStack(stack.name);
    }
    const after = await emulator.control.dumpState();
    expect(after.flows).toEqual({});
    expect(after.services).toEqual({});
    expect(after.assets).toEqual(before.assets);
  });
});
