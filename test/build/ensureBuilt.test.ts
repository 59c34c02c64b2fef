/**
 * The build (build/ensureBuilt.js) on a throw-away project: compiles once, costs nothing when nothing changed, and
 * never lets a run use code older than the sources — an edit is rebuilt before it runs, and a source that does not
 * compile stops the run with the command to run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { miniProject, PRINT_VALUE, wordSource, type MiniProject } from "./miniProject";

jest.setTimeout(120_000);

let project: MiniProject;
beforeEach(() => {
  project = miniProject("one");
});
afterEach(() => project.remove());

test("builds the entries and what they import, then reports dist/ up to date", async () => {
  const first = await project.node(["build/ensureBuilt.js"]);
  expect(first).toMatchObject({ code: 0 });
  expect(first.stderr).toMatch(/==> \[build\] compiled 2 files to dist\/ \(2 changed\) in \d+\.\d s/);
  expect(fs.existsSync(path.join(project.dir, "dist", "lib", "word.js"))).toBe(true);
  const second = await project.node(["build/ensureBuilt.js"]);
  expect(second).toMatchObject({ code: 0, stderr: "==> [build] dist/ is up to date\n" });
  expect(await project.node(PRINT_VALUE)).toMatchObject({ code: 0, stdout: "the word is one", stderr: "" });
});

test("an edited source is rebuilt before the program runs, never run as last built", async () => {
  await project.node(["build/ensureBuilt.js"]);
  project.setWord(wordSource("two"));
  const { staleness } = require(path.join(project.dir, "build", "ensureBuilt.js"));
  expect(staleness([])).toBe("lib/word.ts changed");
  const edited = await project.node(PRINT_VALUE);
  expect(edited).toMatchObject({ code: 0, stdout: "the word is two" });
  expect(edited.stderr).toContain("==> [build] compiling: lib/word.ts changed");
  expect(edited.stderr).toMatch(/compiled 2 files to dist\/ \(1 changed\)/);
  expect(staleness([])).toBeUndefined();
});

test("a source that does not compile stops the run and says what to run; nothing old runs", async () => {
  await project.node(["build/ensureBuilt.js"]);
  project.setWord("export const word: string = ;\n");
  const broken = await project.node(PRINT_VALUE);
  expect(broken.code).not.toBe(0);
  expect(broken.stdout).toBe("");
  expect(broken.stderr).toContain("lib/word.ts");
  expect(broken.stderr).toContain("is out of date (lib/word.ts changed) and rebuilding it failed");
  expect(broken.stderr).toContain("run `npm run build` in " + project.dir);
  // Still refused on the next run: a failed build leaves dist/ marked stale.
  expect((await project.node(PRINT_VALUE)).code).not.toBe(0);
  project.setWord(wordSource("three"));
  expect(await project.node(PRINT_VALUE)).toMatchObject({ code: 0, stdout: "the word is three" });
});

test("a deleted source, a changed build configuration and a missing manifest each count as stale", async () => {
  await project.node(["build/ensureBuilt.js"]);
  const { staleness } = require(path.join(project.dir, "build", "ensureBuilt.js"));
  const config = path.join(project.dir, "tsconfig.build.json");
  fs.appendFileSync(config, "\n");
  expect(staleness([])).toBe("tsconfig.build.json changed");
  await project.node(["build/ensureBuilt.js"]);
  fs.renameSync(path.join(project.dir, "lib", "word.ts"), path.join(project.dir, "lib", "renamed.ts"));
  expect(staleness([])).toBe("lib/word.ts is gone");
  fs.rmSync(path.join(project.dir, "dist", ".build-manifest.json"));
  expect(staleness([])).toBe("dist/ holds no complete build");
});

test("an import of a file that is gone fails the build, and the gone file's old output cannot be loaded", async () => {
  fs.writeFileSync(path.join(project.dir, "lib", "extra.ts"), 'export const extra = "old";\n');
  fs.appendFileSync(path.join(project.dir, "program", "index.ts"), 'export { extra } from "../lib/extra";\n');
  await project.node(["build/ensureBuilt.js"]);
  const extraOutput = path.join(project.dir, "dist", "lib", "extra.js");
  expect(fs.existsSync(extraOutput)).toBe(true);
  fs.rmSync(path.join(project.dir, "lib", "extra.ts"));
  const broken = await project.node(PRINT_VALUE);
  expect(broken.code).not.toBe(0);
  expect(broken.stderr).toContain('build: program/index.ts imports "../lib/extra", which does not exist');
  const index = path.join(project.dir, "program", "index.ts");
  fs.writeFileSync(
    index,
    fs.readFileSync(index, "utf8").replace('export { extra } from "../lib/extra";\n', ""),
  );
  expect(await project.node(PRINT_VALUE)).toMatchObject({ code: 0, stdout: "the word is one" });
  expect(fs.existsSync(extraOutput)).toBe(false);
});

test("an output removed by hand is compiled again", async () => {
  await project.node(["build/ensureBuilt.js"]);
  fs.rmSync(path.join(project.dir, "dist", "lib", "word.js"));
  project.setWord(wordSource("five"));
  expect(await project.node(PRINT_VALUE)).toMatchObject({ code: 0, stdout: "the word is five" });
  fs.rmSync(path.join(project.dir, "dist", "program", "index.js"));
  fs.appendFileSync(path.join(project.dir, "tsconfig.build.json"), "\n");
  expect(await project.node(PRINT_VALUE)).toMatchObject({ code: 0, stdout: "the word is five" });
});

test("an entry the build does not know is refused with where to add it", async () => {
  fs.writeFileSync(path.join(project.dir, "other.ts"), "export const other = 1;\n");
  const refused = await project.node(["-e", 'require("./build/ensureBuilt.js").compiled("other")']);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('other.ts is not an entry of tsconfig.build.json: add it to "include"');
});

test("runs started together after an edit build once and all run the edit", async () => {
  await project.node(["build/ensureBuilt.js"]);
  project.setWord(wordSource("four"));
  const runs = await Promise.all([1, 2, 3].map(() => project.node(PRINT_VALUE)));
  for (const result of runs) expect(result).toMatchObject({ code: 0, stdout: "the word is four" });
  const builds = runs.filter((result) => result.stderr.includes("==> [build] compiled")).length;
  expect(builds).toBe(1);
  expect(fs.existsSync(path.join(project.dir, "dist", ".build-lock"))).toBe(false);
});
