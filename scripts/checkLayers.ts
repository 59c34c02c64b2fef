/**
 * The architecture check of the test command: no import from a lower layer to a higher one, no import circle, no
 * source file in a folder that no layer places. Exit 1 with each problem. A file's size is a review question, not a
 * rule: split files by concept.
 *   npx ts-node --transpile-only scripts/checkLayers.ts
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { importCycles, importsOf, layerViolations, unplacedFiles } from "./lib/layers";

const repo = path.resolve(__dirname, "..");
// Tracked and new (not ignored) files, so the check sees work before it is committed.
const files = execFileSync(
  "git",
  ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.mjs"],
  {
    cwd: repo,
    encoding: "utf8",
  },
)
  .split("\n")
  .filter((file) => file !== "" && fs.existsSync(path.join(repo, file)));
const known = new Set(files);
const exists = (file: string) => known.has(file) || fs.existsSync(path.join(repo, file));

const texts = new Map(files.map((file) => [file, fs.readFileSync(path.join(repo, file), "utf8")]));
const edges = files.flatMap((file) => importsOf(file, texts.get(file)!, exists));

const problems = [
  ...unplacedFiles(files),
  ...layerViolations(edges),
  ...importCycles(edges).map((cycle) => `import circle: ${cycle.join(" → ")}`),
];
if (problems.length > 0) {
  problems.forEach((problem) => process.stderr.write(`check-layers: ${problem}\n`));
  process.exit(1);
}
process.stdout.write(
  `check-layers: ${files.length} files, ${edges.length} imports: layers point one way, no circles\n`,
);
