/**
 * What a user sees who edits a TypeScript file and runs `pulumi preview` directly (no npm command): the real engine
 * runs Pulumi.yaml's main, build/program.js, which previews the edit — never the code of the last build — and a
 * source that does not compile fails the preview with the command to run.
 */
import { runPulumi, runPulumiOrThrow } from "../../ops/pulumiCli";
import { initMiniStack, miniProject, wordSource, type MiniProject } from "./miniProject";

jest.setTimeout(5 * 60_000);

let project: MiniProject;
let env: NodeJS.ProcessEnv;

async function pulumi(args: string[]): Promise<{ code: number; output: string }> {
  const run = await runPulumi([...args, "--stack", "dev"], { cwd: project.dir, env });
  return { code: run.exitCode, output: run.stdout + run.stderr };
}

beforeAll(async () => {
  project = miniProject("one");
  env = await initMiniStack(project);
});
afterAll(() => project.remove());

test("pulumi up builds a fresh checkout's program before running it", async () => {
  const up = await pulumi(["up", "--yes", "--skip-preview"]);
  expect(up).toMatchObject({ code: 0 });
  expect(up.output).toContain("==> [build] compiling: dist/ holds no complete build");
  const { stdout } = await runPulumiOrThrow(["stack", "output", "value", "--stack", "dev"], {
    cwd: project.dir,
    env,
  });
  expect(stdout.trim()).toBe("the word is one");
});

test("pulumi preview right after an edit previews the edit", async () => {
  project.setWord(wordSource("two"));
  const preview = await pulumi(["preview", "--diff"]);
  expect(preview).toMatchObject({ code: 0 });
  expect(preview.output).toContain("==> [build] compiling: lib/word.ts changed");
  expect(preview.output).toMatch(/value\s*:\s*"the word is one" => "the word is two"/);
});

test("pulumi preview of a source that does not compile fails and names the command", async () => {
  project.setWord("export const word: string = ;\n");
  const preview = await pulumi(["preview"]);
  expect(preview.code).not.toBe(0);
  expect(preview.output).toContain("lib/word.ts");
  expect(preview.output).toContain("run `npm run build` in " + project.dir);
  expect(preview.output).not.toContain("the word is one");
});
