/** A Pulumi project on disk: its name, where its stack files are, which stacks exist, and per-stack settings. */
import { stackNameOfFile } from "../config/rawStackConfig";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { runPulumi, type PulumiRunOptions } from "./pulumiCli";

const projectFileSchema = z.object({
  name: z.string().min(1),
  stackConfigDir: z.string().min(1).optional(),
});

export interface PulumiProject {
  dir: string;
  name: string;
  /** Absolute folder of the `Pulumi.<stack>.yaml` files. */
  stackConfigDir: string;
}

export function readProject(projectDir: string): PulumiProject {
  const file = path.join(projectDir, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new Error(`${projectDir} is not a Pulumi project: ${file} does not exist`);
  const parsed = projectFileSchema.safeParse(parseYaml(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return {
    dir: projectDir,
    name: parsed.data.name,
    stackConfigDir: path.resolve(projectDir, parsed.data.stackConfigDir ?? "."),
  };
}

/** The stack named by a stack file name (`Pulumi.dev-a.yaml` → `dev-a`); undefined for other files. */

/** Stacks that have a stack file, sorted. */
export function discoverStacks(project: PulumiProject): string[] {
  if (!fs.existsSync(project.stackConfigDir)) return [];
  return fs
    .readdirSync(project.stackConfigDir)
    .map(stackNameOfFile)
    .filter((name): name is string => name !== undefined)
    .sort();
}

const stackListSchema = z.array(z.object({ name: z.string() }));

/** Stacks of this project that the backend (PULUMI_BACKEND_URL) knows, from `pulumi stack ls --json`. */
export async function listBackendStacks(
  project: PulumiProject,
  options: Omit<PulumiRunOptions, "cwd">,
): Promise<string[]> {
  const run = await runPulumi(["stack", "ls", "--json"], { ...options, cwd: project.dir });
  if (run.exitCode !== 0)
    throw new Error(`pulumi stack ls failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
  return stackListSchema
    .parse(JSON.parse(run.stdout))
    .map((stack) => stack.name)
    .sort();
}

/** The stack file's `config:` block as written (secrets stay encrypted); empty when the stack has no file. */
export function readStackConfig(project: PulumiProject, stack: string): Record<string, unknown> {
  const file = ["yaml", "yml"]
    .map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`))
    .find((candidate) => fs.existsSync(candidate));
  if (file === undefined) return {};
  const document = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  return document.config ?? {};
}

export { stackNameOfFile };
