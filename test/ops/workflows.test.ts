/** The GitHub workflows: actionlint (built from its Go module by scripts/actionlint.sh) and what each must run. */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { repoRoot } from "../../harness/pulumiEngine";

const run = promisify(execFile);
jest.setTimeout(10 * 60 * 1000);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    { steps: Step[]; env?: Record<string, string>; strategy?: { matrix: Record<string, string> } }
  >;
}

const workflow = (name: string): Workflow =>
  parse(fs.readFileSync(path.join(repoRoot, ".github", "workflows", name), "utf8")) as Workflow;
const runs = (steps: Step[]) => steps.map((step) => step.run ?? "").join("\n");

const actionlint = path.join(repoRoot, "scripts", "actionlint.sh");

test("actionlint finds nothing in .github/workflows", async () => {
  const { stdout } = await run("bash", [actionlint, "-no-color"], { cwd: repoRoot });
  expect(stdout).toBe("");
});

test("actionlint does fail a broken workflow (so the check above means something)", () => {
  const broken =
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n";
  const lint = spawnSync("bash", [actionlint, "-no-color", "-"], {
    cwd: repoRoot,
    input: broken,
    encoding: "utf8",
  });
  expect(lint.status).toBe(1);
  expect(lint.stdout).toContain('property "nope" is not defined');
});

test("the preview derives its matrix with the tested script and previews each stack with the policy pack", () => {
  const preview = workflow("preview.yml");
  expect(Object.keys(preview.on)).toEqual(["pull_request"]);
  expect(runs(preview.jobs.affected.steps)).toContain("scripts/affectedStacks.ts --base");
  const job = preview.jobs.preview;
  expect(job.strategy?.matrix.stack).toBe("${{ fromJSON(needs.affected.outputs.stacks) }}");
  expect(runs(job.steps)).toContain(
    'scripts/reconcile.ts --mode preview --stack "$STACK" --policy-pack policies',
  );
  expect(runs(job.steps)).toContain("gh pr comment");
  expect(job.env).toMatchObject({
    PULUMI_BACKEND_URL: "${{ secrets.PULUMI_BACKEND_URL }}",
    PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
  });
});

test("the reconcile runs on a schedule and keeps its reports as artifacts", () => {
  const reconcile = workflow("reconcile.yml");
  expect(reconcile.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
  const steps = reconcile.jobs.reconcile.steps;
  expect(runs(steps)).toContain("scripts/reconcile.ts");
  expect(steps.find((step) => step.uses?.startsWith("actions/upload-artifact"))?.with?.path).toBe("reports/"); // A scheduled run outlives a 12-hour personal access token: the renewing credential reaches the providers.
  for (const name of [
    "WEBEX_CONNECT_CLIENT_ID",
    "WEBEX_CONNECT_CLIENT_SECRET",
    "WEBEX_CONNECT_REFRESH_TOKEN",
  ])
    expect(reconcile.jobs.reconcile.env).toMatchObject({ [name]: `\${{ secrets.${name} }}` });
});

test("the workflows run the Node major and the Pulumi CLI the project is tested with", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  const setup = parse(
    fs.readFileSync(path.join(repoRoot, ".github", "actions", "setup", "action.yml"), "utf8"),
  );
  const steps: Array<{ uses?: string; with?: Record<string, string> }> = setup.runs.steps;
  const withOf = (action: string) => steps.find((step) => step.uses?.startsWith(action))?.with ?? {};
  expect(withOf("pulumi/actions")["pulumi-version"]).toBe(manifest.dependencies["@pulumi/pulumi"]);
  const nodeMajor = /^>=(\d+)\./.exec(manifest.engines.node)?.[1];
  expect(withOf("actions/setup-node")["node-version"]).toBe(nodeMajor);
  const previewNode = workflow("preview.yml").jobs.affected.steps.find((step) =>
    step.uses?.startsWith("actions/setup-node"),
  );
  expect(previewNode?.with?.["node-version"]).toBe(nodeMajor);
});
