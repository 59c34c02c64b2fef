import { affectedStacks, PROGRAM_PATHS } from "../../ops/affectedStacks";

const STACKS = ["dev-retail", "dev-support", "prod-retail"];
const derive = (changedFiles: string[], stackConfigDir = "stacks") =>
  affectedStacks({ changedFiles, stacks: STACKS, stackConfigDir });

describe("affectedStacks", () => {
  test("a changed stack file previews that stack only", () => {
    expect(derive(["stacks/Pulumi.dev-retail.yaml", "docs/operations.md"]).stacks).toEqual(["dev-retail"]);
  });

  test.each([
    "index.ts",
    "components/liveFlow.ts",
    "flows/templates/AppleMessages_inbound_flow.json",
    "policies/index.ts",
    "providers/liveFlow.ts",
    "config/stackConfig.ts",
    "package-lock.json",
    "Pulumi.yaml",
    "build/ensureBuilt.js",
    "tsconfig.build.json",
  ])("a change to %s previews every stack", (file) => {
    const result = derive([file]);
    expect(result.stacks).toEqual(STACKS);
    expect(result.reasons).toEqual([`${file}: program change, every stack`]);
  });

  test("docs, tests, ops tooling and workflows preview nothing, and say so", () => {
    const result = derive([
      "docs/operations.md",
      "test/ops/reconcile.engine.test.ts",
      "ops/reconcile.ts",
      ".github/workflows/preview.yml",
      "README.md",
    ]);
    expect(result).toEqual({ stacks: [], reasons: ["no program or stack file changed"] });
  });

  test("a removed stack file has nothing to preview; a stack file elsewhere is not a stack", () => {
    const result = derive([
      "stacks/Pulumi.dev-gone.yaml",
      "test/fixtures/reconcile-project/stacks/Pulumi.dev-retail.yaml",
    ]);
    expect(result.stacks).toEqual([]);
    expect(result.reasons).toEqual([
      "stacks/Pulumi.dev-gone.yaml: stack dev-gone was removed, nothing to preview",
    ]);
  });

  test("stack files at the project root count when the project keeps them there", () => {
    expect(derive(["Pulumi.prod-retail.yaml", "stacks/Pulumi.dev-retail.yaml"], ".").stacks).toEqual([
      "prod-retail",
    ]);
  });

  test("the result is sorted and without repeats", () => {
    expect(
      derive([
        "stacks/Pulumi.prod-retail.yaml",
        "stacks/Pulumi.dev-support.yaml",
        "stacks/Pulumi.prod-retail.yaml",
      ]).stacks,
    ).toEqual(["dev-support", "prod-retail"]);
  });

  test("folders in the program list match by prefix, files exactly", () => {
    expect(PROGRAM_PATHS.filter((entry) => entry.endsWith("/"))).toContain("flows/");
    expect(derive(["flowsheet.md", "index.ts.orig"]).stacks).toEqual([]);
  });
});
