/**
 * The SDK's own debug messages (one Log RPC each, several per resource) are dropped in the program
 * (build/quietSdkDebugLogs.js): `pulumi preview --debug` shows them only with AMB_SDK_DEBUG_LOGS=1. Runs the real
 * engine on a throw-away project whose program registers one component.
 */
import { runPulumi } from "../../ops/pulumiCli";
import { initMiniStack, miniProject, type MiniProject } from "./miniProject";

jest.setTimeout(5 * 60_000);

const { KEEP_VARIABLE } = require("../../build/quietSdkDebugLogs") as { KEEP_VARIABLE: string };
const SDK_TRACE = "Registering resource: t=test:index:Marker";

let project: MiniProject;
let env: NodeJS.ProcessEnv;

async function previewWithDebug(extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const run = await runPulumi(["preview", "--debug", "--stack", "dev"], {
    cwd: project.dir,
    env: { ...env, ...extraEnv },
  });
  expect(run.exitCode).toBe(0);
  return run.stdout + run.stderr;
}

beforeAll(async () => {
  project = miniProject("one");
  project.setWord(
    'import * as pulumi from "@pulumi/pulumi";\n\n' +
      'new pulumi.ComponentResource("test:index:Marker", "marker");\n\n' +
      'export const word: string = "marked";\n',
  );
  env = await initMiniStack(project);
  delete env[KEEP_VARIABLE];
});
afterAll(() => project.remove());

test("pulumi preview --debug previews the resource without the SDK's trace of it", async () => {
  const output = await previewWithDebug();
  expect(output).toMatch(/\+\s+test:index:Marker\s+marker\s+create/);
  expect(output).not.toContain(SDK_TRACE);
});

test(`with ${KEEP_VARIABLE}=1 the SDK's trace is shown again`, async () => {
  expect(await previewWithDebug({ [KEEP_VARIABLE]: "1" })).toContain(SDK_TRACE);
});
