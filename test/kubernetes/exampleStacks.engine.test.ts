/**
 * Every Kubernetes manifest the example stacks (stacks/) produce, applied to a real kube-apiserver: the real program
 * renders each stack's objects (`pulumi up --target` its Kubernetes resources, in render mode), then each rendered
 * object goes to the API server by server-side apply with strict field validation, so an unknown, misspelt or
 * duplicated field, a bad value or a failed admission check fails here rather than in a cluster.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { Manifest } from "../../kube/api";
import { discoverStacks, readProject } from "../../config/projectFiles";
import { runPulumi } from "../../ops/pulumiCli";
import { startTestApiServer, type TestApiServer } from "../support/kubeApiServer";
import { repoRoot } from "../../harness/pulumiEngine";
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(30 * 60 * 1000);

const STACKS = discoverStacks(readProject(repoRoot));
/** The Kubernetes objects and components, and their parent AmbChannel: the Webex Connect half is not needed here. */
const KUBERNETES_TARGETS = ["--target", "**kubernetes:**", "--target", "**amb-cce:stack:AmbChannel::**"];

let server: TestApiServer;
let world: StackWorld;

beforeAll(async () => {
  [server, world] = await Promise.all([startTestApiServer(), createStackWorld(STACKS)]);
});

afterAll(async () => {
  await world?.close();
  await server?.close();
});

function renderedManifests(directory: string): Manifest[] {
  return fs
    .readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".yaml"))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(directory, file), "utf8")).map(
        (document) => document.toJS() as Manifest,
      ),
    );
}

test.each(STACKS)("%s: every rendered object is accepted by the API server (strict)", async (stack) => {
  const env = { ...process.env, ...world.env };
  await runPulumi(["stack", "init", stack], { cwd: world.project.dir, env });
  const up = await runPulumi(["up", "--yes", "--skip-preview", "--stack", stack, ...KUBERNETES_TARGETS], {
    cwd: world.project.dir,
    env,
  });
  if (up.exitCode !== 0)
    throw new Error(`pulumi up of ${stack} exited ${up.exitCode}:\n${up.stdout}\n${up.stderr}`);

  const manifests = renderedManifests(world.project.renderDir(stack));
  const kinds = manifests.map((manifest) => manifest.kind);
  expect(kinds).toEqual(expect.arrayContaining(["Namespace", "Deployment", "Service", "NetworkPolicy"]));
  // The namespace first, as the provider orders it.
  const ordered = [...manifests].sort(
    (a, b) => Number(b.kind === "Namespace") - Number(a.kind === "Namespace"),
  );
  for (const manifest of ordered) {
    const stored = await server.api
      .apply(manifest, { fieldManager: `example-${stack}` })
      .catch((error: Error) => {
        throw new Error(`${stack}: ${manifest.kind} ${manifest.metadata.name}: ${error.message}`);
      });
    expect(stored.metadata.name).toBe(manifest.metadata.name);
  }
});
