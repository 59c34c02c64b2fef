/** The stacks of a Pulumi project that its backend knows; what is on disk is config/projectFiles.ts. */
import { z } from "zod";
import type { PulumiProject } from "../config/projectFiles";
import { failureOf, runPulumi, type PulumiRunOptions } from "./pulumiCli";

const stackListSchema = z.array(z.object({ name: z.string() }));

/** Stacks of this project that the backend (PULUMI_BACKEND_URL) knows, from `pulumi stack ls --json`. */
export async function listBackendStacks(
  project: PulumiProject,
  options: Omit<PulumiRunOptions, "cwd">,
): Promise<string[]> {
  const run = await runPulumi(["stack", "ls", "--json"], { ...options, cwd: project.dir });
  if (run.exitCode !== 0) throw new Error(`pulumi stack ls failed ${failureOf(run)}`);
  return stackListSchema
    .parse(JSON.parse(run.stdout))
    .map((stack) => stack.name)
    .sort();
}
