/**
 * Existing stacks keep every resource across the rename of AmbChannel's children (issue 18: each child's name
 * starts with the channel's, and each carries its old name as an alias). The old layout is the repository at
 * OLD_LAYOUT, unpacked with `git archive` into a scratch folder that reuses the project's node_modules, and run the
 * way it ran then: TypeScript through the engine, in a project copy made by its own harness, so its dynamic
 * providers are its own. It comes up against the emulator on a file backend; the current program then previews the
 * same stack: nothing created, deleted or replaced. Applied, it leaves only new names in the state.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type * as ProjectCopyModule from "../../harness/projectCopy";
import { repoRoot, scratchDir } from "../../harness/pulumiEngine";
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";
import { selectStack, type PulumiStack } from "../../ops/pulumiStack";

jest.setTimeout(20 * 60 * 1000);

/** The last commit whose AmbChannel named its children without its own name ("namespace", "cce-edge", …). */
const OLD_LAYOUT = "d7054ebd666df6b3a8f8f26197da17bd69af1cb5";
const STACK = "dev-retail";
/** The step kinds that would lose or rebuild something in an existing stack. */
const DESTRUCTIVE = [
  "create",
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "discard",
  "import",
];

/** The repository at `commit` in a scratch folder inside .work/, with the project's node_modules linked in. */
function unpack(commit: string): string {
  const present = () => {
    try {
      execFileSync("git", ["cat-file", "-e", `${commit}^{commit}`], { cwd: repoRoot, stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  // A shallow clone lacks the commit: fetch just it from where the clone came from.
  if (!present()) {
    try {
      execFileSync("git", ["fetch", "--quiet", "--depth=1", "origin", commit], {
        cwd: repoRoot,
        stdio: "ignore",
      });
    } catch {
      // Reported below with the fix.
    }
  }
  if (!present())
    throw new Error(
      `commit ${commit} (the old layout) is not in this clone and could not be fetched from origin. ` +
        "Fix: fetch the whole history (git fetch --unshallow).",
    );
  const dir = scratchDir("old-layout");
  const archive = execFileSync("git", ["archive", "--format=tar", commit], {
    cwd: repoRoot,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const stackFile = (projectDir: string) => path.join(projectDir, "stacks", `Pulumi.${STACK}.yaml`);

/** Resource URNs of the stack's state, from its checkpoint. */
async function urnsOf(stack: PulumiStack): Promise<string[]> {
  const { deployment } = await stack.exportStack();
  return (deployment.resources ?? []).map((resource) => resource.urn);
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

describe("the rename of AmbChannel's children on an existing stack", () => {
  let world: StackWorld;
  let oldTree: string;

  beforeAll(async () => {
    oldTree = unpack(OLD_LAYOUT);
    world = await createStackWorld([STACK], { seed: 18 });
  });
  afterAll(async () => {
    await world?.close();
    if (oldTree) fs.rmSync(oldTree, { recursive: true, force: true });
  });

  test("the old layout's state previews with no create, delete or replace, and applies to the new names", async () => {
    // The old layout's own harness: its project copy runs its index.ts with ts-node, its providers from its tree.
    const { copyProject } = require(
      path.join(oldTree, "harness", "projectCopy.ts"),
    ) as typeof ProjectCopyModule;
    // Rendering where the current copy renders: a changed folder would replace the Kubernetes provider and so
    // every object, which is the test's set-up and not what existing stacks see.
    const oldProject = copyProject([STACK], world.emulator.url, (_stack, doc) =>
      doc.setIn(
        ["config", "amb-cce-connect:kubernetes", "renderYamlToDirectory"],
        world.project.renderDir(STACK),
      ),
    );
    const oldStack = await selectStack(STACK, { cwd: oldProject.dir, env: { ...process.env, ...world.env } });
    await oldStack.up();
    const oldUrns = await urnsOf(oldStack);
    expect(oldUrns.map(nameOf)).toEqual(
      expect.arrayContaining(["namespace", "cce-edge", "service", "asset"]),
    );

    // The same stack from the current program's project copy, with the secrets salt the old run wrote.
    const salt = parseDocument(fs.readFileSync(stackFile(oldProject.dir), "utf8")).get("encryptionsalt");
    const current = parseDocument(fs.readFileSync(stackFile(world.project.dir), "utf8"));
    current.set("encryptionsalt", salt);
    fs.writeFileSync(stackFile(world.project.dir), current.toString());
    const stack = await selectStack(STACK, { cwd: world.project.dir, env: { ...process.env, ...world.env } });

    const preview = await stack.preview({ diff: true });
    const summarized = preview.events.some((event) => event.summaryEvent !== undefined);
    expect({ summarized, stdout: summarized ? "" : preview.stdout }).toEqual({
      summarized: true,
      stdout: "",
    });
    // The edge's haproxy.cfg has changed since the old layout (its ConfigMap is replaced and the Deployment's
    // checksum annotation updated): content, not the rename. Every other resource must be the same.
    const changed = [...preview.stdout.matchAll(/^\s*[-+~]*\s*([\w-]+:[\w/.-]+:\w+): \(([\w-]+)\)/gm)]
      .map(([, type, kind]) => `${type} ${kind}`)
      .filter((step) => !step.endsWith(" same"));
    const beyondEdgeContent = changed.filter(
      (step) =>
        !["kubernetes:core/v1:ConfigMap replace", "kubernetes:apps/v1:Deployment update"].includes(step),
    );
    const destructive = Object.entries(preview.changes).filter(
      ([kind]) =>
        DESTRUCTIVE.includes(kind) && !["replace", "create-replacement", "delete-replaced"].includes(kind),
    );
    expect({ destructive, beyondEdgeContent, stdout: destructive.length > 0 ? preview.stdout : "" }).toEqual({
      destructive: [],
      beyondEdgeContent: [],
      stdout: "",
    });

    await stack.up();
    await stack.preview({ expectNoChanges: true });
    const channelChildren = (await urnsOf(stack)).filter((urn) => urn.includes("amb-cce:stack:AmbChannel$"));
    expect(channelChildren.length).toBe(
      // The Kubernetes provider the old program made at the root is now the channel's own child.
      oldUrns.filter((urn) => urn.includes("amb-cce:stack:AmbChannel$")).length + 1,
    );
    for (const urn of channelChildren) expect(nameOf(urn)).toMatch(new RegExp(`^${STACK}-`));
    oldProject.remove();
  });
});
