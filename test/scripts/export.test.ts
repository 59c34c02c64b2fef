/**
 * `npm run export` as a person runs it (the command line, in its own process) against the emulator: it takes either
 * Webex Connect credential from the environment, as every other command does, and never shows a part of it.
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
import { repoRoot, scratchDir } from "../../harness/pulumiEngine";
import { SETTINGS_ENV } from "../../lib/facts";
import { buildTenantByHand, HAND_BUILT } from "../support/handBuiltTenant";

jest.setTimeout(120_000);

const CREDENTIAL_ENV = Object.values(SETTINGS_ENV);

/** The export command in a project folder of its own, with `env` as its Webex Connect environment. */
function runExportCommand(
  projectDir: string,
  emulator: RunningEmulator,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CREDENTIAL_ENV.includes(name as never)),
  );
  const args = [
    "-r",
    require.resolve("ts-node/register/transpile-only"),
    path.join(repoRoot, "scripts", "export.ts"),
    ...["--org", DEFAULT_ORGANIZATION_ID, "--base-url", emulator.url, "--env", "dev"],
    ...["--app-id", HAND_BUILT.appId, "--keep-theirs", "all"],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectDir,
      env: { ...inherited, TS_NODE_PROJECT: path.join(repoRoot, "tsconfig.json"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("the export command's credential", () => {
  let emulator: RunningEmulator;
  const dirs: string[] = [];
  const project = () => {
    const dir = scratchDir("export-command");
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ dataDir: scratchDir("export-command-emulator"), seed: 7 });
    await buildTenantByHand(emulator);
  });
  afterAll(async () => {
    await emulator.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the renewing credential alone: exchanged for an access token, and the stack file written", async () => {
    const before = (await emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0;
    const dir = project();
    const run = await runExportCommand(dir, emulator, {
      [SETTINGS_ENV.clientId]: DEFAULT_CLIENT_ID,
      [SETTINGS_ENV.clientSecret]: DEFAULT_CLIENT_SECRET,
      [SETTINGS_ENV.refreshToken]: DEFAULT_REFRESH_TOKEN,
    });
    expect(run.stderr).not.toMatch(/is not set/);
    expect(run.status).toBe(0);
    const [stackFile] = run.stdout.trim().split("\t");
    expect(fs.existsSync(path.resolve(dir, stackFile))).toBe(true);
    expect((await emulator.control.requests()).counts["auth.accessToken"]?.POST).toBeGreaterThan(before);
    for (const part of [DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN]) {
      expect(run.stdout + run.stderr).not.toContain(part);
    }
  });

  test("a static token still works", async () => {
    const run = await runExportCommand(project(), emulator, { [SETTINGS_ENV.token]: DEFAULT_TOKEN });
    expect(run.status).toBe(0);
  });

  test("neither: refused, naming both credentials", async () => {
    const run = await runExportCommand(project(), emulator, {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(new RegExp(`webexconnect:token is missing: .*export ${SETTINGS_ENV.token}`));
    expect(run.stderr).toMatch(/renewing credential/);
  });

  test("half of the renewing credential: refused, naming the missing parts", async () => {
    const run = await runExportCommand(project(), emulator, { [SETTINGS_ENV.clientId]: DEFAULT_CLIENT_ID });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/webexconnect:clientSecret.*is missing/);
    expect(run.stderr).not.toContain(DEFAULT_CLIENT_ID);
  });
});
