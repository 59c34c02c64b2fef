/**
 * A throw-away project laid out like this one (build/, tsconfig.json, tsconfig.build.json, Pulumi.yaml's main
 * build/program.js, node_modules) around a two-file program, so the build's tests can edit sources without touching
 * the working tree. The build files are the repository's own, copied.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { engineEnv, repoRoot, scratchDir } from "../../harness/pulumiEngine";
import { runPulumiOrThrow } from "../../ops/pulumiCli";

const run = promisify(execFile);

export interface MiniProject {
  dir: string;
  /** Writes lib/word.ts: the word the program exports as its `value` output. */
  setWord(source: string): void;
  /** Runs a script with node in the project's folder; resolves with its exit code and output. */
  node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): void;
}

export const wordSource = (word: string) => `export const word: string = ${JSON.stringify(word)};\n`;

export function miniProject(word: string): MiniProject {
  const dir = scratchDir("build");
  const buildFiles = fs.readdirSync(path.join(repoRoot, "build")).map((name) => `build/${name}`);
  for (const file of [...buildFiles, "tsconfig.json", "tsconfig.build.json"]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  fs.mkdirSync(path.join(dir, "lib"));
  // The program sits where this project's does (program/index.ts, the entry build/program.js compiles).
  fs.mkdirSync(path.join(dir, "program"));
  fs.writeFileSync(
    path.join(dir, "program", "index.ts"),
    'import { word } from "../lib/word";\n\nexport const value = `the word is ${word}`;\n',
  );
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: mini\nmain: build/program.js\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
  );
  const project: MiniProject = {
    dir,
    setWord: (source) => {
      const file = path.join(dir, "lib", "word.ts");
      const before = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
      fs.writeFileSync(file, source);
      // An edit within the same clock tick as the last build must still count as a change.
      if (fs.statSync(file).mtimeMs === before) fs.utimesSync(file, new Date(), new Date(before + 1000));
    },
    node: async (args) => {
      try {
        const { stdout, stderr } = await run(process.execPath, args, { cwd: dir });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
        return { code, stdout, stderr };
      }
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  project.setWord(wordSource(word));
  return project;
}

/** What the compiled program exports as `value`, loaded the way Pulumi loads build/program.js. */
export const PRINT_VALUE = ["-e", 'process.stdout.write(require("./build/program.js").value)'];

/**
 * Makes the stack `dev` of `project` on a file backend in its state/ folder (rejecting with the CLI's output when it
 * cannot), and returns the environment the engine runs with there.
 */
export async function initMiniStack(project: MiniProject): Promise<NodeJS.ProcessEnv> {
  fs.mkdirSync(path.join(project.dir, "state"));
  const env = { ...process.env, ...engineEnv(path.join(project.dir, "state")) };
  await runPulumiOrThrow(["stack", "init", "--stack", "dev"], { cwd: project.dir, env });
  return env;
}
