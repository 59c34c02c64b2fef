/**
 * Prints the stacks a pull request must preview as JSON, for the preview workflow's matrix:
 *   npx ts-node --transpile-only scripts/affectedStacks.ts --base origin/main [--project DIR]
 * Under GitHub Actions it also writes `stacks=<json array>` and `any=true|false` to $GITHUB_OUTPUT.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { affectedStacks, changedFilesSince } from "../ops/affectedStacks";
import { discoverStacks, readProject } from "../config/projectFiles";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { base: { type: "string" }, project: { type: "string", default: "." } },
  });
  if (!values.base) throw new Error("--base <git ref> is required, e.g. --base origin/main");
  const project = readProject(path.resolve(values.project));
  const result = affectedStacks({
    changedFiles: await changedFilesSince(values.base, project.dir),
    stacks: discoverStacks(project),
    stackConfigDir: path.relative(project.dir, project.stackConfigDir) || ".",
  });
  result.reasons.forEach((reason) => process.stderr.write(`${reason}\n`));
  process.stdout.write(`${JSON.stringify(result.stacks)}\n`);
  if (process.env.GITHUB_OUTPUT) {
    fs.appendFileSync(
      process.env.GITHUB_OUTPUT,
      `stacks=${JSON.stringify(result.stacks)}\nany=${result.stacks.length > 0}\n`,
    );
  }
}

main().catch((error: Error) => {
  process.stderr.write(`affected-stacks: ${error.message}\n`);
  process.exit(1);
});
