/**
 * The local default's Kubernetes half for real: the real program (index.ts) with the dev-demo stack file deploys
 * through the real Kubernetes provider to a real kube-apiserver; a refresh needs no excludes; `kubectl edit`-style
 * changes of the edge Deployment and the integration service's NetworkPolicy, made through the API, are reported by
 * reconcile and put back.
 */
import { LOCAL_CONTEXT } from "../../kube/context";
import type { Manifest } from "../../kube/api";
import { runPulumi } from "../../ops/pulumiCli";
import { reconcile } from "../../ops/reconcile";
import { startTestApiServer, type TestApiServer } from "../support/kubeApiServer";
import { createStackWorld, type StackWorld } from "../../harness/stackWorld";

jest.setTimeout(20 * 60 * 1000);

const STACK = "dev-demo";
const KUBERNETES = ["config", "amb-cce-connect:kubernetes"];

let server: TestApiServer;
let world: StackWorld;
let namespace: string;
/** The CLI's environment: this process's (PATH), the world's backend and emulator settings, the API server. */
let env: NodeJS.ProcessEnv;

const edge = (): Manifest => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "cce-edge", namespace },
});
const allowPolicy = (): Manifest => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "integration-allow", namespace },
});

interface Deployment {
  metadata: { annotations?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
}
interface NetworkPolicy {
  spec: { ingress: Array<{ from?: Array<Record<string, unknown>> }> };
}

async function pulumi(args: string[]) {
  const run = await runPulumi([...args, "--stack", STACK], { cwd: world.project.dir, env });
  if (run.exitCode !== 0)
    throw new Error(`pulumi ${args.join(" ")} exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

beforeAll(async () => {
  server = await startTestApiServer();
  // dev-demo as written: the local API server's context and skipAwait, instead of the copy's rendered manifests.
  world = await createStackWorld([STACK], {
    edit: (_stack, doc) => {
      doc.deleteIn([...KUBERNETES, "renderYamlToDirectory"]);
      doc.setIn([...KUBERNETES, "context"], LOCAL_CONTEXT);
      doc.setIn([...KUBERNETES, "skipAwait"], true);
      namespace = String(doc.getIn([...KUBERNETES, "namespace"]));
    },
  });
  env = { ...process.env, ...world.env, KUBECONFIG: server.kubeconfigPath };
  await pulumi(["stack", "init"]);
  await pulumi(["config", "set", "reconcile.remediate", "true"]);
  await pulumi(["up", "--yes", "--skip-preview"]);
});

afterAll(async () => {
  await world?.close();
  await server?.close();
});

test("up puts the stack's objects in the API server, marked skipAwait; a second up and a refresh change nothing", async () => {
  const deployment = await server.api.get<Deployment>(edge());
  expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
  expect(deployment.metadata.annotations?.["pulumi.com/skipAwait"]).toBe("true");
  const kinds = await Promise.all(
    [
      ["apps/v1", "deployments"],
      ["v1", "services"],
      ["networking.k8s.io/v1", "networkpolicies"],
    ].map(async ([apiVersion, plural]) => [plural, await server.api.names(apiVersion, plural, namespace)]),
  );
  expect(Object.fromEntries(kinds)).toEqual({
    deployments: ["cce-edge", "integration"],
    services: ["cce-edge", "integration"],
    networkpolicies: ["integration-allow", "integration-default-deny"],
  });

  // A second up changes nothing; a refresh, with no --exclude, reads every object back and finds it unchanged.
  await pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
  await pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
});

test("kubectl-edit drift of the edge Deployment and the NetworkPolicy is reported by reconcile and put back", async () => {
  const clean = await reconcile({ projectDir: world.project.dir, env, remediate: false });
  expect(clean.stacks.map((result) => [result.outcome, result.errors])).toEqual([["clean", []]]);

  const before = await server.api.get<Deployment>(edge());
  const beforePolicy = await server.api.get<NetworkPolicy>(allowPolicy());
  // What someone with kubectl might do: scale the edge down and open the service to any address.
  await server.api.mergePatch(edge(), { spec: { replicas: 1 } });
  await server.api.mergePatch(allowPolicy(), {
    spec: {
      ingress: beforePolicy.spec.ingress.map((rule) => ({
        ...rule,
        from: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      })),
    },
  });

  const drifted = await reconcile({ projectDir: world.project.dir, env, remediate: false });
  const [found] = drifted.stacks;
  expect([found.outcome, found.errors]).toEqual(["drifted", []]);
  expect(found.changes.map((change) => [change.type, change.name, change.op]).sort()).toEqual([
    // Resource names (the channel's name first); the objects are still "cce-edge" and "integration-allow".
    ["kubernetes:apps/v1:Deployment", `${STACK}-cce-edge`, "update"],
    ["kubernetes:networking.k8s.io/v1:NetworkPolicy", `${STACK}-integration-allow`, "update"],
  ]);
  const fields = found.changes.flatMap((change) => change.fields.map((field) => field.field));
  expect(fields).toEqual(expect.arrayContaining([expect.stringMatching(/^spec\.replicas$/)]));
  expect(fields.some((field) => field.startsWith("spec.ingress"))).toBe(true);

  const remediated = await reconcile({ projectDir: world.project.dir, env, remediate: true });
  expect(remediated.stacks.map((result) => [result.outcome, result.remaining])).toEqual([["remediated", []]]);
  expect((await server.api.get<Deployment>(edge())).spec.replicas).toBe(before.spec.replicas);
  expect((await server.api.get<NetworkPolicy>(allowPolicy())).spec.ingress).toEqual(
    beforePolicy.spec.ingress,
  );
});
