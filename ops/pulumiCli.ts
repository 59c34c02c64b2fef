/**
 * Runs the Pulumi CLI as a child process (never synchronously: callers may serve HTTP in the same process, as the
 * tests' emulator does). This is the one way this project drives Pulumi from TypeScript: operations, the test
 * harness and the bench run exactly what a user runs. pulumiStack.ts builds stack operations on it. The environment
 * is passed through untouched but for TMPDIR (privateTempDir); nothing here prints it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

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
  /** The whole environment of the run (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The CLI to run; `pulumi` from PATH by default. */
  command?: string;
  /** Written to the CLI's standard input (e.g. a secret for `config set`, which then stays off the command line). */
  input?: string;
  /**
   * Cancels the run: the CLI gets SIGINT, as from Ctrl-C, and stops after the steps in flight, recording them in the
   * state. The run still resolves, with the CLI's exit code.
   */
  signal?: AbortSignal;
  /** Called once the CLI started, e.g. to follow or kill its process tree. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Flags every unattended run needs: no prompts, no colour codes in captured text. */
const UNATTENDED = ["--non-interactive", "--color", "never"];

/**
 * A temp folder for one run, inside the one `env` names, and how to remove it. The Kubernetes provider writes the
 * kubeconfig it is configured with, credentials included, to a new temp file each time it starts and never removes
 * it (pulumi-kubernetes, provider/pkg/provider/util.go, writeKubeconfigToFile, for Helm), and @pulumi/kubernetes
 * configures it with $KUBECONFIG when the program names none. Every plugin inherits the CLI's TMPDIR, so what they
 * leave goes with the run.
 */
function privateTempDir(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(env.TMPDIR || os.tmpdir(), "pulumi-run-"));
  return { env: { ...env, TMPDIR: dir }, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function runPulumi(args: string[], options: PulumiRunOptions): Promise<PulumiRun> {
  return new Promise((resolve) => {
    const temp = privateTempDir(options.env ?? process.env);
    const child = spawn(options.command ?? "pulumi", [...args, ...UNATTENDED], {
      cwd: options.cwd,
      env: temp.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    if (options.input !== undefined) child.stdin!.end(options.input);
    const cancel = () => child.kill("SIGINT");
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener("abort", cancel, { once: true });
    child.on("error", (error) => {
      temp.remove();
      resolve({ exitCode: 127, stdout, stderr: `${stderr}error: ${error.message}\n` });
    });
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", cancel);
      temp.remove();
      resolve({
        exitCode: code ?? 128,
        stdout,
        stderr: signal ? `${stderr}error: killed by ${signal}\n` : stderr,
      });
    });
    if (child.pid !== undefined) options.onSpawn?.(child);
  });
}

/**
 * Why a run failed, in one line for a message: its exit code and the last `lines` lines it printed on standard
 * error, or on standard output when it printed nothing there (the CLI writes an update's diagnostics to standard
 * output); never an empty reason, even for a CLI killed before it printed anything.
 */
export function failureOf(run: PulumiRun, lines = 3): string {
  const printed = (run.stderr.trim() || run.stdout.trim()).split("\n").slice(-lines).join(" ");
  return printed ? `(exit ${run.exitCode}): ${printed}` : `(exit ${run.exitCode}), with nothing printed`;
}

/** A run that exited non-zero, with what the CLI printed (Pulumi masks secrets in its own output). */
export class PulumiCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly run: PulumiRun,
  ) {
    super(`pulumi ${args.join(" ")} exited with ${run.exitCode}:\n${run.stderr}${run.stdout}`);
    this.name = "PulumiCommandError";
  }
}

/** runPulumi, rejecting with a PulumiCommandError when the CLI exits non-zero. */
export async function runPulumiOrThrow(args: string[], options: PulumiRunOptions): Promise<PulumiRun> {
  const run = await runPulumi(args, options);
  if (run.exitCode !== 0) throw new PulumiCommandError(args, run);
  return run;
}
