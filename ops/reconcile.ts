/**
 * Drift reconciliation over many stacks: for each, `pulumi preview --refresh --expect-no-changes --json` tells clean
 * (exit 0) from drift (exit 7) from failure (anything else); drift is reported resource by resource and, where the
 * run and the stack both allow it, remediated with `pulumi up --refresh --yes` and verified by a second preview.
 * Stacks run in parallel up to a limit; one stack's failure never stops the others. A stack an interrupted run left
 * locked or with pending operations is reported with the commands that recover it, and recovered when asked
 * (ops/recovery.ts).
 */
import * as os from "node:os";
import { RECONCILE_KUBERNETES_ENV, refreshExcludes } from "../config/refreshScope";
import { PROJECT_NAME } from "../lib/facts";
import { mapWithConcurrency } from "./concurrency";
import { DIRECTION, resourceChanges, type ResourceChange } from "./driftReport";
import { errorMessages, parsePreviewDigest } from "./previewDigest";
import { discoverStacks, readProject, stackFileConfigOf, type PulumiProject } from "../config/projectFiles";
import { listBackendStacks } from "./project";
import { PULUMI_CHANGES_EXIT_CODE, runPulumi, type PulumiRun } from "./pulumiCli";
import { backendUrl, inspectInterruption, isInterrupted, recoverStack, recoveryCommands } from "./recovery";
import { DEFAULT_STALE_LOCK_MINUTES, parseLockError, thisMachine } from "./backendLocks";
import { remediationDecision } from "./remediation";
import type { ReconcileReport, StackOutcome, StackResult } from "./reconcileReport";

/**
 * Stacks checked at once unless told: one per core, at most 4. One check already keeps more than a core busy (the
 * program, the dynamic provider, the CLI and the Kubernetes provider run side by side), so more checks than cores only
 * add contention: on 2 cores, 2 at a time beat 4 in every bench run (README, Benchmarks). 4 bounds the burst of API
 * reads the fleet makes (docs/operations.md).
 */
export const DEFAULT_CONCURRENCY = Math.min(4, os.availableParallelism());

/** Exit codes of a reconcile run: drift that remained uses the CLI's own "changes proposed" code. */
export const EXIT_CODES = { clean: 0, failed: 1, interrupted: 3, drift: PULUMI_CHANGES_EXIT_CODE } as const;

export interface ReconcileOptions {
  projectDir: string;
  /** Stacks to reconcile; by default every stack file in the project's stack config folder. */
  stacks?: string[];
  /** Take the stack list from `pulumi stack ls --json` (the backend) instead of the stack files. */
  fromBackend?: boolean;
  /** Asks for remediation; each stack must allow it too (see remediation.ts). */
  remediate?: boolean;
  /** Recover stacks an interrupted run left locked or with pending operations (ops/recovery.ts). */
  recover?: boolean;
  /** A lock taken on another machine is removed by --recover only when at least this old. */
  staleLockMinutes?: number;
  concurrency?: number;
  /** The CLI's environment: PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, … (process.env by default). */
  env?: NodeJS.ProcessEnv;
  pulumiCommand?: string;
  onProgress?: (line: string) => void;
}

type PreviewVerdict =
  | { kind: "clean" }
  | { kind: "drift"; changes: ResourceChange[] }
  | { kind: "failed"; errors: string[] };

/** Reads one `preview --refresh --expect-no-changes --json` run. */
export function classifyDriftPreview(run: PulumiRun): PreviewVerdict {
  const digest = parsePreviewDigest(run.stdout);
  if (run.exitCode === 0) return { kind: "clean" };
  if (run.exitCode === PULUMI_CHANGES_EXIT_CODE && digest)
    return { kind: "drift", changes: resourceChanges(digest, "drift") };
  const errors = errorMessages(digest, run.stderr);
  return {
    kind: "failed",
    errors: errors.length > 0 ? errors : [`pulumi preview exited with ${run.exitCode}`],
  };
}

/** 1 when any stack failed, else 3 when one needs recovery, else 7 when drift remained anywhere, else 0. */
export function reconcileExitCode(results: readonly Pick<StackResult, "outcome">[]): number {
  if (results.some((result) => result.outcome === "failed")) return EXIT_CODES.failed;
  if (results.some((result) => result.outcome === "interrupted")) return EXIT_CODES.interrupted;
  if (results.some((result) => result.outcome === "drifted")) return EXIT_CODES.drift;
  return EXIT_CODES.clean;
}

/**
 * URN patterns a stack's refresh must leave out: a stack that renders its Kubernetes manifests to a folder has no
 * cluster to read them back from (config/refreshScope.ts); git diffs those files instead.
 */
export function stackRefreshExcludes(stackConfig: Record<string, unknown>): string[] {
  const kubernetes = stackConfig[`${PROJECT_NAME}:kubernetes`];
  return refreshExcludes(
    kubernetes !== null && typeof kubernetes === "object" && "renderYamlToDirectory" in kubernetes,
  );
}

const excludeFlags = (excludes: readonly string[]) => excludes.flatMap((pattern) => ["--exclude", pattern]);

/**
 * The drift check. --run-program refreshes with the provider configuration the program gives now (a rotated Webex
 * Connect token, a moved base URL), not the one recorded in state at the last update.
 */
export function driftPreviewArgs(stack: string, excludes: readonly string[] = []): string[] {
  return [
    "preview",
    "--refresh",
    "--run-program",
    "--expect-no-changes",
    "--json",
    ...excludeFlags(excludes),
    "--stack",
    stack,
  ];
}

/** How every stack's CLI runs: the project folder, the caller's environment and the Kubernetes provider's settings. */
const cliOptions = (project: PulumiProject, options: ReconcileOptions) => ({
  cwd: project.dir,
  env: { ...(options.env ?? process.env), ...RECONCILE_KUBERNETES_ENV },
  command: options.pulumiCommand,
});

async function reconcileStack(
  project: PulumiProject,
  stack: string,
  options: ReconcileOptions,
  backend: () => Promise<string>,
): Promise<StackResult> {
  const started = Date.now();
  const cli = cliOptions(project, options);
  const say = (line: string) => options.onProgress?.(`[${stack}] ${line}`);
  const result: StackResult = {
    stack,
    outcome: "clean",
    changes: [],
    remaining: [],
    remediation: { allowed: false, reason: "no drift", attempted: false },
    errors: [],
    durationSeconds: 0,
  };
  const finish = (outcome: StackOutcome, fields: Partial<StackResult> = {}): StackResult => {
    Object.assign(result, fields, { outcome, durationSeconds: Math.round((Date.now() - started) / 1000) });
    say(outcome);
    return result;
  };
  try {
    const stackConfig = stackFileConfigOf(project, stack);
    const excludes = stackRefreshExcludes(stackConfig);
    const drift = driftPreviewArgs(stack, excludes);
    const target = { cli, project: project.name, stack, backend: backend() };
    const interruption = await inspectInterruption(target);
    if (isInterrupted(interruption)) {
      result.interruption = { ...interruption, commands: recoveryCommands(stack, interruption, excludes) };
      say(
        `interrupted run: ${interruption.locks.length} lock(s), ${interruption.pendingOperations.length} pending operation(s), ${(interruption.damaged ?? []).length} damaged checkpoint file(s)`,
      );
      if (!options.recover) return finish("interrupted");
      const rules = thisMachine(options.staleLockMinutes ?? DEFAULT_STALE_LOCK_MINUTES);
      const recovery = await recoverStack(target, interruption, rules, excludes);
      result.interruption.recovery = recovery;
      if (!recovery.ok) return finish("interrupted", { errors: [recovery.refused ?? "recovery failed"] });
      say(`recovered: ${recovery.steps.join("; ")}`);
    }
    say("preview --refresh");
    const first = classifyDriftPreview(await runPulumi(drift, cli));
    if (first.kind === "failed") return finish("failed", { errors: first.errors, failedStep: "preview" });
    if (first.kind === "clean") return finish("clean");

    result.changes = first.changes;
    const decision = remediationDecision(project.name, stackConfig, options.remediate ?? false);
    result.remediation = { ...decision, attempted: false };
    say(`drift in ${first.changes.length} resource(s); remediation: ${decision.reason}`);
    if (!decision.allowed) return finish("drifted");

    result.remediation.attempted = true;
    const up = await runPulumi(
      [
        "up",
        "--refresh",
        "--run-program",
        "--yes",
        "--suppress-outputs",
        ...excludeFlags(excludes),
        "--stack",
        stack,
      ],
      cli,
    );
    if (up.exitCode !== 0) {
      const locks = parseLockError(`${up.stdout}\n${up.stderr}`);
      if (locks) {
        const found = { locks, pendingOperations: [] };
        result.interruption = { ...found, commands: recoveryCommands(stack, found, excludes) };
        return finish("interrupted", { errors: ["the stack is locked by another run"] });
      }
      const errors = errorMessages(undefined, `${up.stdout}\n${up.stderr}`);
      return finish("failed", {
        errors: errors.length > 0 ? errors : [`pulumi up exited with ${up.exitCode}`],
        failedStep: "remediate",
      });
    }
    say("remediated; verifying");
    const verify = classifyDriftPreview(await runPulumi(drift, cli));
    if (verify.kind === "failed") return finish("failed", { errors: verify.errors, failedStep: "verify" });
    if (verify.kind === "drift") return finish("drifted", { remaining: verify.changes });
    return finish("remediated");
  } catch (error) {
    return finish("failed", { errors: [(error as Error).message] });
  }
}

async function stacksToReconcile(project: PulumiProject, options: ReconcileOptions): Promise<string[]> {
  if (options.stacks && options.stacks.length > 0) return options.stacks;
  if (options.fromBackend)
    return listBackendStacks(project, { env: options.env, command: options.pulumiCommand });
  return discoverStacks(project);
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const project = readProject(options.projectDir);
  const stacks = await stacksToReconcile(project, options);
  // One `pulumi whoami` for the run, not one per stack: every stack has the same project folder and environment.
  let backend: Promise<string> | undefined;
  const backendOnce = () => (backend ??= backendUrl(cliOptions(project, options)));
  const results = await mapWithConcurrency(stacks, options.concurrency ?? DEFAULT_CONCURRENCY, (stack) =>
    reconcileStack(project, stack, options, backendOnce),
  );
  return {
    project: project.name,
    generatedAt: new Date().toISOString(),
    direction: DIRECTION.drift,
    remediateRequested: options.remediate ?? false,
    exitCode: reconcileExitCode(results),
    stacks: results,
  };
}
