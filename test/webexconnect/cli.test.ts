/** The emulator runs as its own process with the command the docs give. */
import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createWebexConnectClient } from "../../webexconnect";
import { makeDataDir } from "./harness";

const ROOT = path.join(__dirname, "../..");
const CLI = ["-r", "ts-node/register/transpile-only", "emulator/cli.ts"];

test("--help explains the options", () => {
  const help = execFileSync(process.execPath, [...CLI, "--help"], { cwd: ROOT, encoding: "utf8" });
  for (const option of [
    "--port",
    "--data-dir",
    "--seed",
    "--token TOKEN=ORG",
    "--control-token",
    "--rate-limit",
  ])
    expect(help).toContain(option);
});

test("a bad option is refused with a pointer to --help", () => {
  let stderr = "";
  try {
    execFileSync(process.execPath, [...CLI, "--port", "http"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (error) {
    stderr = String((error as { stderr: string }).stderr);
  }
  expect(stderr).toMatch(/--port "http" is not an integer.*\n.*--help/);
});

test("starts on a free port, logs its URL, serves the client and stops on SIGTERM", async () => {
  const dataDir = makeDataDir();
  const child = spawn(
    process.execPath,
    [...CLI, "--port", "0", "--data-dir", dataDir, "--token", "cli-token=cli-org"],
    {
      cwd: ROOT,
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once("exit", (code) =>
        reject(new Error(`emulator exited with ${code} before listening: ${out}`)),
      );
    });
    const client = createWebexConnectClient({ baseUrl: url, token: "cli-token", organizationId: "cli-org" });
    const { value } = await client.createService({ name: "svc-cli" });
    expect(value.name).toBe("svc-cli");
    expect(fs.existsSync(path.join(dataDir, "state.json"))).toBe(true);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
    expect(exitCode).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 20_000);
