/**
 * The reconcile command against the Webex Connect emulator under the real engine, on a copy of
 * test/fixtures/reconcile-project with three stacks on a throw-away file backend: a clean fleet, a portal edit of a
 * live flow reported node by node and remediated only when the run and the stack allow it, a pull-request preview,
 * one stack failing while the other two are reconciled, and a reconcile 13 emulated hours later, when the 12-hour
 * personal access token has expired and the renewing credential (OAuth refresh-token grant) still works.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../../emulator/server";
import { DIRECTION, renderChanges, resourceChanges } from "../../ops/driftReport";
import { LIVE_FLOW_TYPE } from "../../lib/facts";
import { parsePreviewDigest } from "../../ops/previewDigest";
import { PULUMI_CHANGES_EXIT_CODE, runPulumi, type PulumiRun } from "../../ops/pulumiCli";
import { driftPreviewArgs } from "../../ops/reconcile";
import { type ReconcileReport, type StackResult } from "../../ops/reconcileReport";
import { SETTINGS_ENV } from "../../lib/facts";
import { engineEnv, repoRoot, scratchDir } from "../../harness/pulumiEngine";

jest.setTimeout(20 * 60 * 1000);

const STACKS = ["dev-a", "dev-b", "dev-c"] as const;
type StackName = (typeof STACKS)[number];
const FIXTURE = path.join(repoRoot, "test", "fixtures", "reconcile-project");
const REMEDIATE_KEY = "reconcile-fixture:reconcile.remediate";
const domain = (stack: StackName) => `cc-${stack}.example.com`;
const CREATE_TASK_LINE = (from: string, to: string) =>
  new RegExp(`^CCE Create Task \\(node \\d+\\): domain ${from} → ${to}$`);

let emulator: RunningEmulator;
let root: string;
let projectDir: string;
let env: NodeJS.ProcessEnv;

/** Runs the CLI in the project copy; throws with its output unless it succeeds. */
async function must(args: string[], stack?: StackName): Promise<PulumiRun> {
  const run = await runPulumi(stack ? [...args, "--stack", stack] : args, { cwd: projectDir, env });
  if (run.exitCode !== 0)
    throw new Error(
      `pulumi ${args.join(" ")} (${stack}) exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`,
    );
  return run;
}

interface CommandRun {
  exitCode: number;
  stdout: string;
  reportDir: string;
}

let reportCount = 0;

/** Runs scripts/reconcile.ts as a user would, asynchronously so that the emulator in this process keeps serving. */
function reconcileCommand(args: string[]): Promise<CommandRun> {
  const reportDir = path.join(root, `reports-${++reportCount}`);
  const argv = [
    "-r",
    "ts-node/register/transpile-only",
    "scripts/reconcile.ts",
    "--project",
    projectDir,
    "--report-dir",
    reportDir,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => {
      if (code === 2 || code === null)
        reject(new Error(`reconcile usage error or crash (${code}): ${stderr}`));
      else resolve({ exitCode: code, stdout: `${stdout}\n${stderr}`, reportDir });
    });
  });
}

function readReport(run: CommandRun): {
  json: ReconcileReport;
  markdown: string;
  byStack: Record<string, StackResult>;
} {
  const json = JSON.parse(
    fs.readFileSync(path.join(run.reportDir, "drift-report.json"), "utf8"),
  ) as ReconcileReport;
  const markdown = fs.readFileSync(path.join(run.reportDir, "drift-report.md"), "utf8");
  return { json, markdown, byStack: Object.fromEntries(json.stacks.map((result) => [result.stack, result])) };
}

type FlowDefinition = { nodes: Array<{ type: string; config: Record<string, unknown> }> };

async function liveFlow(stack: StackName) {
  const { flowId } = JSON.parse((await must(["stack", "output", "--json"], stack)).stdout) as {
    flowId: string;
  };
  const state = await emulator.control.dumpState();
  const flow = state.flows[flowId];
  const definition = state.versions[flow.liveVersionId!].definition as FlowDefinition;
  const createTaskDomain = definition.nodes.find((node) => node.type === "cceCreateTask")!.config.domain;
  return { flowId, definition, createTaskDomain };
}

/** A portal user changes the Domain of the CCE Create Task node and makes the flow live again. */
async function portalEditDomain(stack: StackName, newDomain: string): Promise<void> {
  const { flowId, definition } = await liveFlow(stack);
  const edited = structuredClone(definition);
  edited.nodes.find((node) => node.type === "cceCreateTask")!.config.domain = newDomain;
  await emulator.control.portalEditFlow(flowId, edited);
}

beforeAll(async () => {
  root = scratchDir("reconcile");
  // Three folders below the repo root, like the fixture itself, so its relative imports resolve.
  projectDir = path.join(root, "project");
  fs.cpSync(FIXTURE, projectDir, { recursive: true });
  fs.mkdirSync(path.join(root, "state"));
  fs.mkdirSync(path.join(root, "emulator"));
  env = { ...process.env, ...engineEnv(path.join(root, "state")) };
  for (const variable of Object.values(SETTINGS_ENV)) delete env[variable];
  emulator = await startEmulator({
    dataDir: path.join(root, "emulator"),
    seed: 11,
    // The default integration, with a refresh token close enough to its end that every run says so.
    oauthClients: {
      [DEFAULT_CLIENT_ID]: {
        clientSecret: DEFAULT_CLIENT_SECRET,
        refreshToken: DEFAULT_REFRESH_TOKEN,
        organizationId: DEFAULT_ORGANIZATION_ID,
        refreshTokenSeconds: 10 * 24 * 3600,
      },
    },
  });

  await Promise.all(
    STACKS.map(async (stack) => {
      const appId = `app-${stack}`;
      const ambAccountId = `00000000-0000-4000-8000-00000000000${STACKS.indexOf(stack)}`;
      await emulator.control.seedAsset({
        organizationId: DEFAULT_ORGANIZATION_ID,
        name: `Account_${stack}`,
        appId,
        ambAccountId,
        status: "Online",
      });
      await must(["stack", "init", stack]);
      const settings = {
        "reconcile-fixture:accountName": `Account_${stack}`,
        "reconcile-fixture:appId": appId,
        "reconcile-fixture:ambAccountId": ambAccountId,
        "reconcile-fixture:fqdn": domain(stack),
        "webexconnect:orgId": DEFAULT_ORGANIZATION_ID,
        "webexconnect:baseUrl": emulator.url,
        // dev-b leaves remediation off until the last test.
        ...(stack === "dev-b" ? {} : { [REMEDIATE_KEY]: "true" }),
      };
      const plaintext = Object.entries(settings).flatMap(([key, value]) => [
        "--plaintext",
        `${key}=${value}`,
      ]);
      await must(
        ["config", "set-all", ...plaintext, "--secret", `webexconnect:token=${DEFAULT_TOKEN}`],
        stack,
      );
      await must(["up", "--yes", "--skip-preview"], stack);
    }),
  );
});

afterAll(async () => {
  await emulator?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test("a fleet without drift (stacks listed by the backend): exit 0 and an empty report", async () => {
  const run = await reconcileCommand(["--remediate", "--from-backend"]);
  expect(run.exitCode).toBe(0);
  const { json, markdown } = readReport(run);
  expect(json.stacks.map((result) => [result.stack, result.outcome, result.changes])).toEqual(
    STACKS.map((stack) => [stack, "clean", []]),
  );
  expect(markdown).toContain("No drift found in 3 stack(s).");
  expect(markdown).not.toContain("## `");
});

test("the captured preview JSON of a portal edit reads node by node, both ways", async () => {
  await portalEditDomain("dev-a", "cc-old.example.com");
  const run = await runPulumi(driftPreviewArgs("dev-a"), { cwd: projectDir, env });
  expect(run.exitCode).toBe(PULUMI_CHANGES_EXIT_CODE);
  const digest = parsePreviewDigest(run.stdout)!;
  expect(digest).toBeDefined();

  const drift = resourceChanges(digest, "drift");
  expect(drift).toEqual([
    {
      urn: expect.stringMatching(/^urn:pulumi:dev-a::reconcile-fixture::.*LiveFlow::inbound$/),
      type: LIVE_FLOW_TYPE,
      name: "inbound",
      op: "update",
      fields: [
        {
          field: "definition",
          flowChanges: [expect.stringMatching(CREATE_TASK_LINE(domain("dev-a"), "cc-old.example.com"))],
          // The changed flow drawn for the report (flows/mermaid.ts): the Create Task node marked as changed.
          diagram: expect.stringMatching(/flowchart TD[\s\S]*"CCE Create Task<br\/>node \d+ · changed"/),
        },
      ],
    },
  ]);
  // The same digest read as a pull-request preview says what `up` would do: back to the program's domain.
  const [proposed] = resourceChanges(digest, "preview");
  expect(proposed.fields[0].flowChanges).toEqual([
    expect.stringMatching(CREATE_TASK_LINE("cc-old.example.com", domain("dev-a"))),
  ]);
  expect(renderChanges(drift, "drift")).toContain(`  - ${drift[0].fields[0].flowChanges![0]}`);
  expect(run.stdout).not.toContain(DEFAULT_TOKEN);
});

test("drift is reported, remediated only with --remediate, verified, and the next run is clean", async () => {
  const reportOnly = await reconcileCommand(["--stack", "dev-a"]);
  expect(reportOnly.exitCode).toBe(7);
  const first = readReport(reportOnly);
  expect(first.byStack["dev-a"]).toMatchObject({
    outcome: "drifted",
    remediation: { allowed: false, attempted: false },
  });
  expect(first.byStack["dev-a"].changes[0].fields[0].flowChanges).toEqual([
    expect.stringMatching(CREATE_TASK_LINE(domain("dev-a"), "cc-old.example.com")),
  ]);
  expect(first.markdown).toContain(DIRECTION.drift);
  expect(first.markdown).toMatch(
    /## `dev-a`: drifted[\s\S]*CCE Create Task \(node \d+\): domain cc-dev-a\.example\.com → cc-old\.example\.com/,
  );
  expect((await liveFlow("dev-a")).createTaskDomain).toBe("cc-old.example.com");

  const remediate = await reconcileCommand(["--stack", "dev-a", "--remediate"]);
  expect(remediate.exitCode).toBe(0);
  expect(readReport(remediate).byStack["dev-a"]).toMatchObject({
    outcome: "remediated",
    remaining: [],
    remediation: { attempted: true },
  });
  expect((await liveFlow("dev-a")).createTaskDomain).toBe(domain("dev-a"));

  const again = await reconcileCommand(["--stack", "dev-a", "--remediate"]);
  expect(again.exitCode).toBe(0);
  expect(readReport(again).byStack["dev-a"].outcome).toBe("clean");
});

test("a stack that does not allow remediation is only reported, with how to allow it", async () => {
  await portalEditDomain("dev-b", "cc-old.example.com");
  const run = await reconcileCommand(["--stack", "dev-b", "--remediate"]);
  expect(run.exitCode).toBe(7);
  const result = readReport(run).byStack["dev-b"];
  expect(result).toMatchObject({ outcome: "drifted", remediation: { allowed: false, attempted: false } });
  expect(result.remediation.reason).toContain(`set ${REMEDIATE_KEY}: true`);
  expect((await liveFlow("dev-b")).createTaskDomain).toBe("cc-old.example.com");
});

test("a pull-request preview comments the node-level flow change", async () => {
  await must(["config", "set", "reconcile-fixture:fqdn", "cc-a2.example.com"], "dev-a");
  try {
    const run = await reconcileCommand(["--mode", "preview", "--stack", "dev-a"]);
    expect(run.exitCode).toBe(0);
    const comment = fs.readFileSync(path.join(run.reportDir, "preview-dev-a.md"), "utf8");
    expect(comment).toMatch(/^<!-- amb-cce-preview:dev-a -->/);
    expect(comment).toContain("✅ preview succeeded: 1 to update.");
    expect(comment).toMatch(
      / {2}- CCE Create Task \(node \d+\): domain cc-dev-a\.example\.com → cc-a2\.example\.com/,
    );
    expect(comment).toMatch(
      /<summary>pulumi preview --diff<\/summary>[\s\S]*~ pulumi-nodejs:dynamic\/webexconnect:LiveFlow: \(update\)/,
    );
  } finally {
    await must(["config", "set", "reconcile-fixture:fqdn", domain("dev-a")], "dev-a");
  }
});

test("three stacks, one failing: the other two are reconciled and the failure summarised", async () => {
  await must(["config", "set", REMEDIATE_KEY, "true"], "dev-b");
  await portalEditDomain("dev-a", "cc-old.example.com");
  await must(["config", "set", "--secret", "webexconnect:token", "revoked-token"], "dev-c");

  const run = await reconcileCommand(["--remediate", "--concurrency", "2"]);
  expect(run.exitCode).toBe(1);
  const { byStack, markdown } = readReport(run);
  expect(byStack["dev-a"]).toMatchObject({ outcome: "remediated", remediation: { attempted: true } });
  expect(byStack["dev-b"]).toMatchObject({ outcome: "remediated", remediation: { attempted: true } });
  expect(byStack["dev-c"]).toMatchObject({ outcome: "failed", failedStep: "preview", changes: [] });
  expect(byStack["dev-c"].errors.join("\n")).toContain("Webex Connect rejected the access token (401)");
  expect(markdown).toMatch(
    /\| dev-c \| failed \(preview\) \| 0 \| - \| [^|]*rejected the access token \(401\)/,
  );
  expect(run.stdout).toMatch(/dev-c\s+failed \(preview\)/);
  for (const stack of ["dev-a", "dev-b"] as const)
    expect((await liveFlow(stack)).createTaskDomain).toBe(domain(stack));

  const reports = fs
    .readdirSync(run.reportDir)
    .map((file) => fs.readFileSync(path.join(run.reportDir, file), "utf8"));
  for (const text of [...reports, run.stdout]) {
    expect(text).not.toContain(DEFAULT_TOKEN);
    expect(text).not.toContain("revoked-token");
  }
});

test("13 hours later (emulated): the renewing credential still reconciles; the expired token says which and how", async () => {
  // dev-a moves to the renewing credential (an integration's client id, secret and refresh token); dev-b keeps the
  // personal access token, which the emulator, like Webex, lets live 12 hours.
  await must(["config", "rm", "webexconnect:token"], "dev-a");
  const renewing = {
    "webexconnect:clientId": DEFAULT_CLIENT_ID,
    "webexconnect:clientSecret": DEFAULT_CLIENT_SECRET,
    "webexconnect:refreshToken": DEFAULT_REFRESH_TOKEN,
  };
  await must(
    [
      "config",
      "set-all",
      ...Object.entries(renewing).flatMap(([key, value]) => ["--secret", `${key}=${value}`]),
    ],
    "dev-a",
  );
  const first = await reconcileCommand(["--remediate", "--stack", "dev-a", "--stack", "dev-b"]);
  expect(first.exitCode).toBe(0);
  const firstResults = readReport(first).byStack;
  expect([firstResults["dev-a"].outcome, firstResults["dev-b"].outcome]).toEqual(["clean", "clean"]);

  await emulator.control.advanceClock(13 * 3600);
  await portalEditDomain("dev-a", "cc-old.example.com");
  const grantsBefore = (await emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0;
  const later = await reconcileCommand(["--remediate", "--stack", "dev-a", "--stack", "dev-b"]);
  expect(later.exitCode).toBe(1);
  const { byStack } = readReport(later);
  expect(byStack["dev-a"]).toMatchObject({
    outcome: "remediated",
    remaining: [],
    remediation: { attempted: true },
  });
  expect((await liveFlow("dev-a")).createTaskDomain).toBe(domain("dev-a"));
  // Each pulumi run (preview, up, verifying preview) is a new provider process: one grant each, at least.
  expect(
    ((await emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0) - grantsBefore,
  ).toBeGreaterThanOrEqual(3);

  expect(byStack["dev-b"]).toMatchObject({ outcome: "failed", failedStep: "preview" });
  const expired = byStack["dev-b"].errors.join("\n");
  expect(expired).toContain("Webex Connect rejected the access token (401)");
  expect(expired).toContain("the static access token (webexconnect:token) is expired or invalid");
  expect(expired).toContain("Personal access tokens last 12 hours");
  expect(expired).toContain("use the renewing credential instead");

  // The provider's notice reaches the run's output: the refresh token has under 14 days left, and what to do.
  const preview = await must(["preview", "--refresh", "--run-program"], "dev-a");
  expect(`${preview.stdout}\n${preview.stderr}`).toMatch(
    /webexconnect: The refresh token \(webexconnect:refreshToken\) expires at \S+Z: authorize the integration or service app again/,
  );

  const reports = fs
    .readdirSync(later.reportDir)
    .map((file) => fs.readFileSync(path.join(later.reportDir, file), "utf8"));
  const stateFiles = fs
    .readdirSync(path.join(root, "state"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"));
  for (const text of [
    ...reports,
    ...stateFiles,
    first.stdout,
    later.stdout,
    preview.stdout,
    preview.stderr,
  ]) {
    for (const secret of [DEFAULT_TOKEN, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/wxc-at-/);
  }
});
