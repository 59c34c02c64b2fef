/** The check across stack files that refuses a copied stack file binding an asset another stack already owns. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assetBindings, sharedAssetProblems } from "../../ops/assetOwners";
import { readProject } from "../../config/projectFiles";

const repoRoot = path.resolve(__dirname, "../..");

const projects: string[] = [];
afterAll(() => projects.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function projectWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "asset-owners-"));
  projects.push(dir);
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: amb-cce-connect\nruntime: nodejs\nstackConfigDir: stacks\n",
  );
  fs.mkdirSync(path.join(dir, "stacks"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "stacks", name), text);
  return dir;
}

const stackFile = (org: string, appId: string) =>
  `config:\n  webexconnect:orgId: ${org}\n  amb-cce-connect:asset:\n    appId: ${appId}\n`;

describe("one AMB asset, one stack file", () => {
  it("refuses two stack files binding one App ID in one organization, naming both files", () => {
    const dir = projectWith({
      "Pulumi.dev-retail.yaml": stackFile("org-1", "d52e0a7b-retail"),
      "Pulumi.dev-retail2.yaml": stackFile("org-1", "d52e0a7b-retail "),
      "Pulumi.dev-support.yaml": stackFile("org-1", "d52e0a7b-support"),
    });
    expect(sharedAssetProblems(assetBindings(readProject(dir)))).toEqual([
      'App ID "d52e0a7b-retail" in organization "org-1" is bound by stacks/Pulumi.dev-retail.yaml and ' +
        "stacks/Pulumi.dev-retail2.yaml: one AMB asset has exactly one owning stack. Give the copied stack its own " +
        "asset.appId, or move the asset on purpose (asset.takeOwnershipFrom in the new stack, then remove the old " +
        "stack file).",
    ]);
  });

  it("allows one App ID in two organizations (two tenants)", () => {
    const dir = projectWith({
      "Pulumi.dev-retail.yaml": stackFile("org-1", "shared-app"),
      "Pulumi.prod-retail.yaml": stackFile("org-2", "shared-app"),
    });
    expect(sharedAssetProblems(assetBindings(readProject(dir)))).toEqual([]);
  });

  it("passes on this repository's own stack files", () => {
    const bindings = assetBindings(readProject(repoRoot));
    expect(bindings.map((binding) => binding.file).sort()).toEqual(
      fs
        .readdirSync(path.join(repoRoot, "stacks"))
        .filter((file) => /^Pulumi\..+\.yaml$/.test(file))
        .map((file) => `stacks/${file}`)
        .sort(),
    );
    expect(sharedAssetProblems(bindings)).toEqual([]);
  });

  it("the script exits 1 with the problem, as the preview workflow runs it", () => {
    const dir = projectWith({
      "Pulumi.dev-a.yaml": stackFile("org-1", "same"),
      "Pulumi.dev-b.yaml": stackFile("org-1", "same"),
    });
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "scripts/checkAssetOwners.ts", "--project", dir],
        { cwd: repoRoot, encoding: "utf8", stdio: "pipe" },
      );
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain("stacks/Pulumi.dev-a.yaml and stacks/Pulumi.dev-b.yaml");
  });
});
