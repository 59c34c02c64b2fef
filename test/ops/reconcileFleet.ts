/**
 * The reconcile engine tests' world: a copy of test/fixtures/reconcile-project with three stacks (dev-a, dev-b,
 * dev-c) up on a throw-away file backend against the Webex Connect emulator, and how the tests act on it (the CLI,
 * scripts/reconcile.ts as a user runs it, the drift report, a portal edit of a live flow).
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
import { runPulumi, type PulumiRun } from "../../ops/pulumiCli";
import { type ReconcileReport, type StackResult } from "../../ops/reconcileReport";
import { SETTINGS_ENV } from "../../lib/facts";
import { engineEnv, repoRoot, scratchDir } from "../../harness/pulumiEngine";

export const STACKS = ["dev-a", "dev-b", "dev-c"] as const;
export type StackName = (typeof STACKS)[number];
const FIXTURE = path.join(repoRoot, "test", "fixtures", "reconcile-project");
export const REMEDIATE_KEY = "reconcile-fixture:reconcile.remediate";
export const domain = (stack: StackName) => `cc-${stack}.example.com`;
export const CREATE_TASK_LINE = (from: string, to: string) =>
  new RegExp(`^CCE Create Task \\(node \\d+\\): domain ${from} → ${to}$`);

let emulator: RunningEmulator;
let root: string;
let projectDir: string;
let env: NodeJS.ProcessEnv;

/** Runs the CLI in the project copy; throws with its output unless it succeeds. */
export async function must(args: string[], stack?: StackName): Promise<PulumiRun> {
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
export function reconcileCommand(args: string[]): Promise<CommandRun> {
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

export function readReport(run: CommandRun): {
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

export async function liveFlow(stack: StackName) {
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
export async function portalEditDomain(stack: StackName, newDomain: string): Promise<void> {
  const { flowId, definition } = await liveFlow(stack);
  const edited = structuredClone(definition);
  edited.nodes.find((node) => node.type === "cceCreateTask")!.config.domain = newDomain;
  await emulator.control.portalEditFlow(flowId, edited);
}

/** Registers the fleet's set-up (three stacks up on the emulator) and tear-down in the calling test file. */
export function useReconcileFleet(): void {
  beforeAll(startFleet);
  afterAll(stopFleet);
}

async function startFleet(): Promise<void> {
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
}

async function stopFleet(): Promise<void> {
  await emulator?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
}

/** The fleet's emulator, project copy, scratch root and CLI environment, once set up. */
export const fleet = {
  get emulator(): RunningEmulator {
    return emulator;
  },
  get root(): string {
    return root;
  },
  get projectDir(): string {
    return projectDir;
  },
  get env(): NodeJS.ProcessEnv {
    return env;
  },
};
