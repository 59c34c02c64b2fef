/**
 * Runs the Pulumi CLI as a child process (never synchronously: callers may serve HTTP in the same process, as the
 * tests' emulator does). The environment is passed through untouched; nothing here prints it.
 */
import { spawn } from "node:child_process";

/** `pulumi preview --expect-no-changes` exits with this code when changes were proposed (CLI ≥ 3.227). */
export const PULUMI_CHANGES_EXIT_CODE = 7;

export interface PulumiRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface PulumiRunOptions {
  /** The project folder (holds Pulumi.yaml). */
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The CLI to run; `pulumi` from PATH by default. */
  command?: string;
}

/** Flags every unattended run needs: no prompts, no colour codes in captured text. */
const UNATTENDED = ["--non-interactive", "--color", "never"];

export function runPulumi(args: string[], options: PulumiRunOptions): Promise<PulumiRun> {
  return new Promise((resolve) => {
    const child = spawn(options.command ?? "pulumi", [...args, ...UNATTENDED], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", (error) =>
      resolve({ exitCode: 127, stdout, stderr: `${stderr}error: ${error.message}\n` }),
    );
    child.on("close", (code, signal) =>
      resolve({
        exitCode: code ?? 128,
        stdout,
        stderr: signal ? `${stderr}error: killed by ${signal}\n` : stderr,
      }),
    );
  });
}
