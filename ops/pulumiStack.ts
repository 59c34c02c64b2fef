/**
 * One stack driven through the CLI (pulumiCli.ts): selected or created, config set (secrets through standard input,
 * never on a command line), up / preview / refresh / destroy with the engine's events as JSON (`--event-log`), the
 * outputs, the state. An operation rejects with a PulumiOperationError when the CLI exits non-zero, as a user sees it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  PulumiCommandError,
  runPulumi,
  runPulumiOrThrow,
  type PulumiRun,
  type PulumiRunOptions,
} from "./pulumiCli";

/** The parts of the engine's event stream this project reads (the CLI writes one JSON event a line). */
export interface EngineEvent {
  sequence: number;
  timestamp: number;
  resourcePreEvent?: { metadata: { type: string; urn: string; op: string } };
  summaryEvent?: { resourceChanges: Record<string, number> | null; durationSeconds: number };
  diagnosticEvent?: { message: string; severity: string; urn?: string };
}

export interface OperationOptions extends Pick<PulumiRunOptions, "signal" | "onSpawn"> {
  /** Fail when the operation proposes or makes any change. */
  expectNoChanges?: boolean;
  /** Refresh first (up, preview, destroy). */
  refresh?: boolean;
  /** With refresh: run the program, so providers refresh with today's config. */
  runProgram?: boolean;
  /** Resource URNs (wildcards allowed) to leave alone. */
  exclude?: string[];
  /** Resource URNs (wildcards allowed) to act on alone. */
  target?: string[];
  policyPacks?: string[];
  /** Print each resource's property diff. */
  diff?: boolean;
  /** Refresh only: drop pending creates from the state. */
  clearPendingCreates?: boolean;
}

export interface OperationResult extends PulumiRun {
  events: EngineEvent[];
  /** Resources by change, from the engine's summary: `{ create: 4 }`, `{ same: 4 }`. */
  changes: Record<string, number>;
}

/** An operation that exited non-zero, with the engine's events up to then. */
export class PulumiOperationError extends PulumiCommandError {
  constructor(
    args: string[],
    run: PulumiRun,
    readonly events: EngineEvent[],
  ) {
    super(args, run);
    this.name = "PulumiOperationError";
  }
}

export interface OutputValue {
  value: unknown;
  secret: boolean;
}

export interface UpResult extends OperationResult {
  outputs: Record<string, OutputValue>;
}

/** A resource in an exported checkpoint. */
export interface StateResource {
  urn: string;
  type: string;
  outputs?: Record<string, unknown>;
  [field: string]: unknown;
}

/** An exported checkpoint (`pulumi stack export`); a stack that never ran an update has no resources. */
export interface StackState {
  version: number;
  deployment: { resources?: StateResource[]; [field: string]: unknown };
}

export interface StackOptions {
  /** The project folder (holds Pulumi.yaml). */
  cwd: string;
  /** The whole environment of every run (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The CLI to run; `pulumi` from PATH by default. */
  command?: string;
}

export interface PulumiStack {
  readonly name: string;
  readonly cwd: string;
  /** Any other command on this stack (`--stack` added); resolves with the exit code, never rejects. */
  run(args: string[], options?: Omit<PulumiRunOptions, keyof StackOptions>): Promise<PulumiRun>;
  up(options?: OperationOptions): Promise<UpResult>;
  preview(options?: OperationOptions): Promise<OperationResult>;
  refresh(options?: OperationOptions): Promise<OperationResult>;
  destroy(options?: OperationOptions): Promise<OperationResult>;
  setConfig(key: string, value: string, options?: { secret?: boolean; path?: boolean }): Promise<void>;
  outputs(): Promise<Record<string, OutputValue>>;
  /** `pulumi stack export`: the checkpoint, secrets encrypted. */
  exportStack(): Promise<StackState>;
  /** `pulumi cancel`: ends an update the backend still thinks is running (a killed run's lock). */
  cancel(): Promise<PulumiRun>;
  /** `pulumi stack rm --force` (resources left in the state are forgotten, not destroyed). */
  remove(): Promise<void>;
}

function operationFlags(options: OperationOptions): string[] {
  return [
    ...(options.expectNoChanges ? ["--expect-no-changes"] : []),
    ...(options.refresh ? ["--refresh"] : []),
    ...(options.runProgram ? ["--run-program"] : []),
    ...(options.clearPendingCreates ? ["--clear-pending-creates"] : []),
    ...(options.diff ? ["--diff"] : []),
    ...(options.exclude ?? []).flatMap((urn) => ["--exclude", urn]),
    ...(options.target ?? []).flatMap((urn) => ["--target", urn]),
    ...(options.policyPacks ?? []).flatMap((pack) => ["--policy-pack", pack]),
  ];
}

/** The engine's events from an event log; a line cut short by a killed run is dropped. */
export function parseEventLog(text: string): EngineEvent[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as EngineEvent];
      } catch {
        return [];
      }
    });
}

/** The outputs as `stack output --json` prints them, each marked secret where the masked listing hides it. */
export function outputValues(masked: Record<string, unknown>, shown: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(shown).map(([key, value]) => [key, { value, secret: masked[key] === "[secret]" }]),
  ) as Record<string, OutputValue>;
}

/** `pulumi stack select --create`: the stack, created in the backend if it is not there yet. */
export async function selectStack(name: string, stackOptions: StackOptions): Promise<PulumiStack> {
  const runOptions = (extra: Omit<PulumiRunOptions, keyof StackOptions> = {}): PulumiRunOptions => ({
    ...stackOptions,
    ...extra,
  });
  const onStack = (args: string[]) => [...args, "--stack", name];
  await runPulumiOrThrow(["stack", "select", "--create", name], runOptions());

  async function operation(command: string[], options: OperationOptions): Promise<OperationResult> {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-events-"));
    const eventLog = path.join(logDir, "events.jsonl");
    try {
      const { signal, onSpawn } = options;
      const args = onStack([...command, ...operationFlags(options), "--event-log", eventLog]);
      // --event-log is one of the CLI's debug flags, as for the Automation API.
      const env = { ...(stackOptions.env ?? process.env), PULUMI_DEBUG_COMMANDS: "true" };
      const run = await runPulumi(args, { ...runOptions({ signal, onSpawn }), env });
      const events = fs.existsSync(eventLog) ? parseEventLog(fs.readFileSync(eventLog, "utf8")) : [];
      if (run.exitCode !== 0) throw new PulumiOperationError(args, run, events);
      const summary = events.find((event) => event.summaryEvent)?.summaryEvent;
      return { ...run, events, changes: summary?.resourceChanges ?? {} };
    } finally {
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  }

  const json = async (args: string[]) =>
    JSON.parse((await runPulumiOrThrow(onStack(args), runOptions())).stdout);
  const outputs = async () =>
    outputValues(
      await json(["stack", "output", "--json"]),
      await json(["stack", "output", "--json", "--show-secrets"]),
    );

  return {
    name,
    cwd: stackOptions.cwd,
    run: (args, extra) => runPulumi(onStack(args), runOptions(extra)),
    async up(options = {}) {
      const result = await operation(["up", "--yes", "--skip-preview"], options);
      return { ...result, outputs: await outputs() };
    },
    preview: (options = {}) => operation(["preview"], options),
    refresh: (options = {}) => operation(["refresh", "--yes", "--skip-preview"], options),
    destroy: (options = {}) => operation(["destroy", "--yes", "--skip-preview"], options),
    async setConfig(key, value, { secret = false, path: isPath = false } = {}) {
      const flags = [...(secret ? ["--secret"] : []), ...(isPath ? ["--path"] : [])];
      // The value goes through standard input: a secret never shows in a process listing.
      await runPulumiOrThrow(onStack(["config", "set", ...flags, key]), runOptions({ input: value }));
    },
    outputs,
    exportStack: () => json(["stack", "export"]),
    cancel: () => runPulumi(["cancel", "--yes", "--stack", name], runOptions()),
    async remove() {
      await runPulumiOrThrow(["stack", "rm", "--yes", "--force", "--stack", name], runOptions());
    },
  };
}
