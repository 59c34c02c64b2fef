/**
 * Refuses stack files that bind one AMB asset (App ID) in one organization twice; exit 1 with each problem.
 *   npx ts-node --transpile-only scripts/checkAssetOwners.ts [--project DIR]
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { assetBindings, sharedAssetProblems } from "../ops/assetOwners";
import { readProject } from "../config/projectFiles";

const { values } = parseArgs({ options: { project: { type: "string", default: "." } } });
const bindings = assetBindings(readProject(path.resolve(values.project)));
const problems = sharedAssetProblems(bindings);
if (problems.length > 0) {
  problems.forEach((problem) => process.stderr.write(`check-asset-owners: ${problem}\n`));
  process.exit(1);
}
process.stdout.write(`check-asset-owners: ${bindings.length} stack files, each AMB asset bound once\n`);
