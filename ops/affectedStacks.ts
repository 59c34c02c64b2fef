/**
 * Which stacks a pull request must preview: a changed stack file previews its stack; a change to anything the
 * program is built from (program, components, providers, flows, policies, packages) previews every stack.
 * Everything else (docs, tests, ops tooling, workflows) previews none.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { stackNameOfFile } from "../config/projectFiles";

/** Paths, relative to the project folder, whose change can alter any stack's deployment; a trailing / is a folder. */
export const PROGRAM_PATHS: readonly string[] = [
  "Pulumi.yaml",
  "index.ts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "build/",
  "components/",
  "config/",
  "providers/",
  "flows/",
  "policies/",
  "webexconnect/",
  "lib/",
  "edge/",
];

export interface AffectedStacks {
  /** Stacks to preview, sorted. */
  stacks: string[];
  /** Why each stack is in, or why none are: file → effect. */
  reasons: string[];
}

export interface AffectedStacksInput {
  /** Changed files, relative to the project folder, with forward slashes. */
  changedFiles: readonly string[];
  /** Stacks that have a stack file after the change. */
  stacks: readonly string[];
  /** The stack config folder relative to the project folder ("stacks", or "." for none). */
  stackConfigDir: string;
  programPaths?: readonly string[];
}

function isProgramPath(file: string, programPaths: readonly string[]): boolean {
  return programPaths.some((entry) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry));
}

export function affectedStacks(input: AffectedStacksInput): AffectedStacks {
  const programPaths = input.programPaths ?? PROGRAM_PATHS;
  const existing = new Set(input.stacks);
  const configDir = path.posix.normalize(input.stackConfigDir);
  const selected = new Set<string>();
  const reasons: string[] = [];
  for (const file of input.changedFiles) {
    if (isProgramPath(file, programPaths)) {
      input.stacks.forEach((stack) => selected.add(stack));
      reasons.push(`${file}: program change, every stack`);
      continue;
    }
    const stack =
      path.posix.dirname(file) === configDir ? stackNameOfFile(path.posix.basename(file)) : undefined;
    if (stack === undefined) continue;
    if (existing.has(stack)) {
      selected.add(stack);
      reasons.push(`${file}: stack ${stack}`);
    } else {
      reasons.push(`${file}: stack ${stack} was removed, nothing to preview`);
    }
  }
  if (reasons.length === 0) reasons.push("no program or stack file changed");
  return { stacks: [...selected].sort(), reasons };
}

const run = promisify(execFile);

/** Files changed between `base` and HEAD, relative to `projectDir` (renames count as a removal and an addition). */
export async function changedFilesSince(base: string, projectDir: string): Promise<string[]> {
  const { stdout } = await run(
    "git",
    ["diff", "--name-only", "--no-renames", "--relative", `${base}...HEAD`],
    {
      cwd: projectDir,
    },
  );
  return stdout.split("\n").filter((line) => line !== "");
}
