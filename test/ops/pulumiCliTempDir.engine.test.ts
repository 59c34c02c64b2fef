/**
 * What a run leaves in the temp folder: nothing. The real Kubernetes provider, configured from $KUBECONFIG as
 * @pulumi/kubernetes does when the program names no kubeconfig, writes a copy of it (credentials included) to a new
 * temp file at each start and never removes it; runPulumi gives each run its own temp folder and removes it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { scratchDir } from "../../harness/pulumiEngine";
import { runPulumi } from "../../ops/pulumiCli";
import { initMiniStack, miniProject, type MiniProject } from "../build/miniProject";

jest.setTimeout(5 * 60_000);

const TOKEN = "token-that-must-not-stay-on-disk";

let project: MiniProject;
let temp: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  project = miniProject("one");
  project.setWord(
    'import * as k8s from "@pulumi/kubernetes";\n\n' +
      'new k8s.Provider("cluster", {});\n\n' +
      'export const word: string = "configured";\n',
  );
  // A cluster nobody serves: the provider writes its copy of the kubeconfig before it tries to reach it.
  const kubeconfig = path.join(project.dir, "kubeconfig");
  fs.writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]",
      `users: [{ name: u, user: { token: ${TOKEN} } }]`,
      "contexts: [{ name: x, context: { cluster: c, user: u } }]",
      "current-context: x",
      "",
    ].join("\n"),
  );
  temp = scratchDir("run-temp");
  env = { ...(await initMiniStack(project)), KUBECONFIG: kubeconfig, TMPDIR: temp };
});
afterAll(() => {
  project.remove();
  fs.rmSync(temp, { recursive: true, force: true });
});

test("a preview that configures the Kubernetes provider from $KUBECONFIG leaves no file in TMPDIR", async () => {
  const run = await runPulumi(["preview", "--stack", "dev"], { cwd: project.dir, env });
  expect([run.exitCode, run.stderr]).toEqual([0, expect.any(String)]);
  expect(run.stdout).toMatch(/\+\s+pulumi:providers:kubernetes\s+cluster\s+create/);
  expect(fs.readdirSync(temp)).toEqual([]);
});

test("the run's own temp folder is inside TMPDIR while it runs, and removed when it fails", async () => {
  const run = await runPulumi(["-c", 'echo "$TMPDIR" && touch "$TMPDIR/left-behind" && exit 3', "sh"], {
    cwd: project.dir,
    env,
    command: "sh",
  });
  expect(run.exitCode).toBe(3);
  const runTemp = run.stdout.trim();
  expect(path.dirname(runTemp)).toBe(temp);
  expect(fs.existsSync(runTemp)).toBe(false);
  expect(fs.readdirSync(temp)).toEqual([]);
});
