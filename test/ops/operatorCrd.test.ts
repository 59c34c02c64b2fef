/**
 * The generated operator manifests against the real thing: the Pulumi Kubernetes Operator v2.9.0 CRDs installed in a
 * real kube-apiserver by server-side apply, then every generated object applied with strict field validation — the
 * Stacks of all example stacks and of long stack names, the workspace service account and its auth-delegator binding.
 * The CRDs are read from ../shared/reference/operator-crds/ (AMB_OPERATOR_CRDS overrides); without them this fails.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { KubeApiError, type Manifest } from "../../kube/api";
import {
  fleetManifests,
  operatorStack,
  webexCredentialSecrets,
  type OperatorStackOptions,
} from "../../ops/operatorStacks";
import { discoverStacks, readProject } from "../../config/projectFiles";
import { startTestApiServer, type TestApiServer } from "../support/kubeApiServer";
import { repoRoot } from "../../harness/pulumiEngine";
import { OPTIONS as BASE_OPTIONS } from "./operatorOptions";

jest.setTimeout(5 * 60 * 1000);

const CRD_DIR =
  process.env.AMB_OPERATOR_CRDS ?? path.resolve(repoRoot, "..", "shared", "reference", "operator-crds");
const CRD_FILES = [
  "pulumi.com_stacks.yaml",
  "pulumi.com_programs.yaml",
  "auto.pulumi.com_workspaces.yaml",
  "auto.pulumi.com_updates.yaml",
];

const OPTIONS: OperatorStackOptions = {
  ...BASE_OPTIONS,
  extraSecretEnv: { AWS_ACCESS_KEY_ID: { name: "state-bucket", key: "access-key-id" } },
  resyncFrequencySeconds: 30,
  organization: "acme",
};

/** Long names: the 46-character one a real API server refused before, and two that share their first 40 characters. */
const LONG_STACKS = [
  "staging-contact-center-emea-retail-store-north",
  "staging-contact-center-emea-retail-store-south",
  `prod-${"x".repeat(120)}`,
];

let server: TestApiServer;

beforeAll(async () => {
  const missing = CRD_FILES.filter((file) => !fs.existsSync(path.join(CRD_DIR, file)));
  if (missing.length > 0) {
    throw new Error(
      `The Pulumi Kubernetes Operator v2.9.0 CRDs are not in ${CRD_DIR} (missing: ${missing.join(", ")}). ` +
        "CI has them at ../shared/reference/operator-crds/ beside the clone; elsewhere set AMB_OPERATOR_CRDS to a " +
        "folder with the CRD files of the operator's deploy/crds/ at tag v2.9.0.",
    );
  }
  server = await startTestApiServer();
  for (const file of CRD_FILES)
    await server.api.installCrd(parse(fs.readFileSync(path.join(CRD_DIR, file), "utf8")) as Manifest);
  await server.api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: OPTIONS.namespace } });
});

afterAll(async () => {
  await server?.close();
});

test("the real CRD refuses a Stack name over 42 characters (what the generator must avoid)", async () => {
  const stack = operatorStack("dev-retail", OPTIONS);
  const tooLong = { ...stack, metadata: { ...stack.metadata, name: "n".repeat(43) } };
  const refused = await server.api.apply(tooLong, { dryRun: true }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(KubeApiError);
  expect((refused as KubeApiError).status).toBe(422);
  expect((refused as KubeApiError).message).toContain("Stack name must be no more than 42 characters");
});

test("strict field validation refuses a field the CRD does not have (driftDetection exists in no release)", async () => {
  const stack = operatorStack("dev-retail", OPTIONS);
  const unknown = { ...stack, spec: { ...stack.spec, driftDetection: { schedules: [] } } };
  const refused = await server.api.apply(unknown, { dryRun: true }).catch((error: unknown) => error);
  expect((refused as KubeApiError).message).toContain(".spec.driftDetection: field not declared in schema");
});

test("every generated object for the example stacks and long names, on either credential, is accepted and stored as generated", async () => {
  const stacks = [...discoverStacks(readProject(repoRoot)), ...LONG_STACKS];
  expect(stacks.length).toBeGreaterThanOrEqual(LONG_STACKS.length + 7);
  const variants = [
    { previewOnly: false },
    { previewOnly: true },
    { previewOnly: false, webexCredential: webexCredentialSecrets("amb-cce-connect", "renewing") },
  ];
  for (const variant of variants) {
    const manifests = fleetManifests(stacks, { ...OPTIONS, ...variant }) as Manifest[];
    for (const manifest of manifests) {
      const stored = await server.api.apply<Manifest & { spec?: unknown }>(manifest);
      expect({ kind: stored.kind, name: stored.metadata.name }).toEqual({
        kind: manifest.kind,
        name: manifest.metadata.name,
      });
      if (manifest.kind === "Stack") expect(stored.spec).toEqual(manifest.spec);
    }
  }
  const names = await server.api.names("pulumi.com/v1", "stacks", OPTIONS.namespace);
  expect(new Set(names).size).toBe(stacks.length);
  expect(Math.max(...names.map((name) => name.length))).toBeLessThanOrEqual(42);
});

test("the workspace service account is bound to the API server's own system:auth-delegator role", async () => {
  const role = await server.api.json<{ rules: Array<{ resources: string[] }> }>(
    "GET",
    "/apis/rbac.authorization.k8s.io/v1/clusterroles/system:auth-delegator",
  );
  expect(role.rules.flatMap((rule) => rule.resources)).toEqual(
    expect.arrayContaining(["tokenreviews", "subjectaccessreviews"]),
  );
  const [serviceAccount, binding] = fleetManifests(["dev-retail"], OPTIONS) as Manifest[];
  await server.api.apply(serviceAccount);
  const stored = await server.api.apply<{ roleRef: unknown; subjects: unknown }>(binding);
  expect(stored.roleRef).toEqual(binding.roleRef);
  expect(stored.subjects).toEqual(binding.subjects);
});
