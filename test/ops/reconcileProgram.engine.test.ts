/**
 * The reconcile library on the real program (index.ts) with a real stack file in render mode: the rendered
 * Kubernetes objects are left out of the refresh (they have no cluster to be read from), and a portal edit of a
 * live flow is still found and put back; the pull-request preview runs the project's policy pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import { previewStack, renderPreviewComment } from "../../ops/previewReport";
import { runPulumi } from "../../ops/pulumiCli";
import { reconcile } from "../../ops/reconcile";
import { SETTINGS_ENV } from "../../lib/facts";
import { copyProject, type ProjectCopy } from "../../harness/projectCopy";
import { engineEnv, repoRoot, scratchDir } from "../../harness/pulumiEngine";

jest.setTimeout(15 * 60 * 1000);

const STACK = "dev-retail";

let emulator: RunningEmulator;
let emulatorDir: string;
let backendDir: string;
let project: ProjectCopy;
let env: NodeJS.ProcessEnv;

async function must(args: string[]): Promise<void> {
  const run = await runPulumi([...args, "--stack", STACK], { cwd: project.dir, env });
  if (run.exitCode !== 0)
    throw new Error(`pulumi ${args.join(" ")} exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
}

beforeAll(async () => {
  emulatorDir = scratchDir("emulator");
  backendDir = scratchDir("backend");
  emulator = await startEmulator({ dataDir: emulatorDir, seed: 5 });
  project = copyProject([STACK], emulator.url);
  env = { ...process.env, ...engineEnv(backendDir) };
  for (const variable of Object.values(SETTINGS_ENV)) delete env[variable];
  const stackFile = parse(fs.readFileSync(path.join(repoRoot, "stacks", `Pulumi.${STACK}.yaml`), "utf8"));
  const asset = stackFile.config["amb-cce-connect:asset"];
  await emulator.control.seedAsset({
    organizationId: DEFAULT_ORGANIZATION_ID,
    name: asset.accountName,
    appId: asset.appId,
    ambAccountId: asset.ambAccountId,
    status: "Online",
  });
  await runPulumi(["stack", "init", STACK], { cwd: project.dir, env });
  await must(["config", "set", "webexconnect:orgId", DEFAULT_ORGANIZATION_ID]);
  await must(["config", "set", "--secret", "webexconnect:token", DEFAULT_TOKEN]);
  await must(["config", "set", "reconcile.remediate", "true"]);
  await must(["up", "--yes"]);
});

afterAll(async () => {
  await emulator?.close();
  project?.remove();
  for (const dir of [emulatorDir, backendDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("a render-mode stack of the real program reconciles clean, then a portal edit is found and put back", async () => {
  const clean = await reconcile({ projectDir: project.dir, env, remediate: true });
  expect(clean.stacks.map((result) => [result.stack, result.outcome, result.errors])).toEqual([
    [STACK, "clean", []],
  ]);

  const state = await emulator.control.dumpState();
  const inbound = Object.values(state.flows).find((flow) =>
    flow.name.startsWith("AppleMessages_inbound_flow"),
  )!;
  const edited = structuredClone(state.versions[inbound.liveVersionId!].definition) as {
    nodes: Array<{ type: string; config: Record<string, unknown> }>;
  };
  const createTask = edited.nodes.find((node) => node.type === "cceCreateTask")!;
  const expected = createTask.config.domain;
  createTask.config.domain = "old.example.com";
  await emulator.control.portalEditFlow(inbound.id, edited);

  const report = await reconcile({ projectDir: project.dir, env, remediate: true });
  expect(report.exitCode).toBe(0);
  const [result] = report.stacks;
  expect(result.outcome).toBe("remediated");
  expect(
    result.changes.map((change) => [change.name, change.fields.flatMap((field) => field.flowChanges ?? [])]),
  ).toEqual([
    [
      `${STACK}-inbound`,
      [
        expect.stringMatching(
          new RegExp(`^CCE Create Task \\(node \\d+\\): domain ${expected} → old\\.example\\.com$`),
        ),
      ],
    ],
  ]);
  const after = await emulator.control.dumpState();
  const live = after.versions[after.flows[inbound.id].liveVersionId!].definition as typeof edited;
  expect(live.nodes.find((node) => node.type === "cceCreateTask")!.config.domain).toBe(expected);
});

test("the pull-request preview runs the policy pack: a credential in plain config fails it, named in the comment", async () => {
  const policyPacks = [path.join(repoRoot, "policies")];
  // A key named like a credential (API_TOKEN) the stack config refuses itself; a credential-shaped value under an
  // innocent name reaches the ConfigMap, where the policy pack catches it.
  const settingKey = "amb-cce-connect:integrationService.settings.CRM_AUTHORIZATION";
  await must(["config", "set", "--path", settingKey, "Bearer not-a-real-token-value"]);
  try {
    const refused = await previewStack({ projectDir: project.dir, stack: STACK, policyPacks, env });
    expect(refused.ok).toBe(false);
    const comment = renderPreviewComment(refused);
    expect(comment).toContain("❌ preview failed");
    expect(comment).toMatch(/\[mandatory\] +[a-z-]+ +\(kubernetes:core\/v1:ConfigMap/);
    expect(comment).toContain("CRM_AUTHORIZATION");
    expect(comment).not.toContain("not-a-real-token-value");
  } finally {
    await must(["config", "rm", "--path", settingKey]);
  }
  const passed = await previewStack({ projectDir: project.dir, stack: STACK, policyPacks, env });
  expect(passed).toMatchObject({ ok: true, changes: [], errors: [] });
  expect(passed.diffText).toMatch(/Policy Packs run:[\s\S]*amb-cce\|local\|.*policies/);
  expect(renderPreviewComment(passed)).toContain("✅ preview succeeded: no changes.");
});
