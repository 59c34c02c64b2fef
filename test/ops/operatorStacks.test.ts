import { parseAllDocuments } from "yaml";
import { ResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import {
  DEFAULT_RESYNC_SECONDS,
  DEFAULT_WORKSPACE_SERVICE_ACCOUNT,
  fleetManifests,
  kubernetesName,
  MAX_STACK_NAME_LENGTH,
  operatorStack,
  operatorStacks,
  toYamlDocuments,
  validateOperatorStack,
  webexCredentialSecrets,
  workspaceAccess,
  type OperatorStackOptions,
} from "../../ops/operatorStacks";
import { OPTIONS } from "./operatorOptions";

describe("operator Stack resources", () => {
  test("one resource per stack with the fields the fleet relies on", () => {
    const [stack] = operatorStacks(["dev-retail"], OPTIONS);
    expect(stack).toEqual({
      apiVersion: "pulumi.com/v1",
      kind: "Stack",
      metadata: {
        name: "dev-retail",
        namespace: "pulumi-stacks",
        labels: { "app.kubernetes.io/part-of": "amb-cce-connect", "amb-cce-connect/stack": "dev-retail" },
      },
      spec: {
        stack: "dev-retail",
        projectRepo: OPTIONS.projectRepo,
        branch: "main",
        backend: "s3://acme-pulumi-state",
        envRefs: {
          PULUMI_CONFIG_PASSPHRASE: { type: "Secret", secret: OPTIONS.passphraseSecret },
          WEBEX_CONNECT_TOKEN: {
            type: "Secret",
            secret: { name: "amb-cce-connect", key: "WEBEX_CONNECT_TOKEN" },
          },
        },
        refresh: true,
        resyncFrequencySeconds: DEFAULT_RESYNC_SECONDS,
        continueResyncOnCommitMatch: true,
        destroyOnFinalize: false,
        serviceAccountName: DEFAULT_WORKSPACE_SERVICE_ACCOUNT,
        workspaceTemplate: { spec: { resources: OPTIONS.workspaceResources } },
      },
    });
  });

  test("the workspace resources are valid Kubernetes ResourceRequirements", () => {
    const resources = operatorStack("dev-retail", OPTIONS).spec.workspaceTemplate?.spec?.resources;
    expect(() => new ResourceRequirements(resources).validate()).not.toThrow();
  });

  test("backend credentials and an organization can be added", () => {
    const stack = operatorStack("prod-support", {
      ...OPTIONS,
      organization: "acme",
      extraSecretEnv: { AWS_ACCESS_KEY_ID: { name: "state-bucket", key: "access-key-id" } },
    });
    expect(stack.spec.stack).toBe("acme/prod-support");
    expect(stack.spec.envRefs?.AWS_ACCESS_KEY_ID).toEqual({
      type: "Secret",
      secret: { name: "state-bucket", key: "access-key-id" },
    });
  });

  test("the renewing credential: its three parts as envRefs from the Secret, and no token", () => {
    const webexCredential = webexCredentialSecrets("amb-cce-connect", "renewing");
    const stack = operatorStack("prod-support", { ...OPTIONS, webexCredential });
    const fromSecret = (key: string) => ({ type: "Secret", secret: { name: "amb-cce-connect", key } });
    expect(stack.spec.envRefs).toEqual({
      PULUMI_CONFIG_PASSPHRASE: { type: "Secret", secret: OPTIONS.passphraseSecret },
      WEBEX_CONNECT_CLIENT_ID: fromSecret("WEBEX_CONNECT_CLIENT_ID"),
      WEBEX_CONNECT_CLIENT_SECRET: fromSecret("WEBEX_CONNECT_CLIENT_SECRET"),
      WEBEX_CONNECT_REFRESH_TOKEN: fromSecret("WEBEX_CONNECT_REFRESH_TOKEN"),
    });
    expect(webexCredentialSecrets("amb-cce-connect", "token")).toEqual(OPTIONS.webexCredential);
  });

  test("stack names become Kubernetes names; colliding names are refused with both stacks named", () => {
    expect(kubernetesName("dev-Retail_Store")).toBe("dev-retail-store");
    expect(kubernetesName("_Prod.eu_")).toBe("prod.eu");
    expect(() => operatorStacks(["dev-retail_store", "dev-retail-store"], OPTIONS)).toThrow(
      "stacks dev-retail_store and dev-retail-store both become the Kubernetes name dev-retail-store",
    );
  });

  test("names longer than the CRD's 42 characters are shortened deterministically, with a hash against collisions", () => {
    const long = "staging-contact-center-emea-retail-store-north"; // 46 characters: refused by the real CRD
    const sibling = "staging-contact-center-emea-retail-store-south";
    const name = kubernetesName(long);
    expect(name).toHaveLength(MAX_STACK_NAME_LENGTH);
    expect(name).toMatch(/^staging-contact-center-emea-retai-[0-9a-f]{8}$/);
    expect(kubernetesName(long)).toBe(name);
    expect(kubernetesName(sibling)).not.toBe(name);
    expect(kubernetesName("a".repeat(MAX_STACK_NAME_LENGTH))).toBe("a".repeat(MAX_STACK_NAME_LENGTH));
    // A cut that ends on a separator is trimmed, so the name stays a DNS subdomain.
    expect(kubernetesName(`${"x".repeat(32)}--${"y".repeat(20)}`)).toMatch(/^x{32}-[0-9a-f]{8}$/);
    const [stack] = operatorStacks([long], OPTIONS);
    expect(stack.metadata.name).toBe(name);
    expect(stack.spec.stack).toBe(long);
    expect(stack.metadata.labels?.["amb-cce-connect/stack"]).toBe(name);
  });

  test("the model refuses a Stack name over 42 characters, as the CRD's rule does", () => {
    const valid = operatorStack("dev-retail", OPTIONS);
    expect(() =>
      validateOperatorStack({ ...valid, metadata: { ...valid.metadata, name: "n".repeat(43) } }, "long"),
    ).toThrow("metadata.name: must be at most 42 characters (the operator's CRD rule)");
  });

  test("a resync below 60 seconds is raised to 60, as the operator does; a negative one is refused", () => {
    expect(
      operatorStack("dev-retail", { ...OPTIONS, resyncFrequencySeconds: 30 }).spec.resyncFrequencySeconds,
    ).toBe(60);
    expect(
      operatorStack("dev-retail", { ...OPTIONS, resyncFrequencySeconds: 0 }).spec.resyncFrequencySeconds,
    ).toBe(60);
    expect(
      operatorStack("dev-retail", { ...OPTIONS, resyncFrequencySeconds: 90 }).spec.resyncFrequencySeconds,
    ).toBe(90);
    expect(() => operatorStack("dev-retail", { ...OPTIONS, resyncFrequencySeconds: -5 })).toThrow(
      "resyncFrequencySeconds is -5: give a whole number of seconds (below 60 counts as 60)",
    );
  });

  test("the workspace service account is bound to system:auth-delegator", () => {
    const { serviceAccount, clusterRoleBinding: binding } = workspaceAccess(OPTIONS);
    expect(serviceAccount).toEqual({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: DEFAULT_WORKSPACE_SERVICE_ACCOUNT,
        namespace: "pulumi-stacks",
        labels: { "app.kubernetes.io/part-of": "amb-cce-connect" },
      },
    });
    expect(binding).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: {
        name: `pulumi-stacks:${DEFAULT_WORKSPACE_SERVICE_ACCOUNT}:system:auth-delegator`,
        labels: { "app.kubernetes.io/part-of": "amb-cce-connect" },
      },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
      subjects: [
        { kind: "ServiceAccount", name: DEFAULT_WORKSPACE_SERVICE_ACCOUNT, namespace: "pulumi-stacks" },
      ],
    });
    expect(() => new ServiceAccount(serviceAccount).validate()).not.toThrow();
    expect(() => new ClusterRoleBinding(binding).validate()).not.toThrow();

    const own = fleetManifests(["dev-retail"], { ...OPTIONS, serviceAccountName: "stacks-runner" });
    expect(own.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`)).toEqual([
      "ServiceAccount/stacks-runner",
      "ClusterRoleBinding/pulumi-stacks:stacks-runner:system:auth-delegator",
      "Stack/dev-retail",
    ]);
    expect((own[2] as ReturnType<typeof operatorStack>).spec.serviceAccountName).toBe("stacks-runner");
  });

  test("report-only stacks run previews only (spec.preview)", () => {
    expect(operatorStack("prod-retail", { ...OPTIONS, previewOnly: true }).spec.preview).toBe(true);
    expect(operatorStack("prod-retail", OPTIONS).spec.preview).toBeUndefined();
  });

  test.each([
    [{ projectRepo: "acme/amb-cce-connect" }, "spec.projectRepo: must be a git URL"],
    [{ backend: "acme-pulumi-state" }, "spec.backend: must be a backend URL"],
    [{ namespace: "Pulumi_Stacks" }, "metadata.namespace: must be a DNS label"],
    [
      { workspaceResources: { requests: { cpu: "half" } } },
      "spec.workspaceTemplate.spec.resources.requests.cpu: must be a Kubernetes quantity",
    ],
  ] as const)("invalid options fail validation naming the field: %j", (override, message) => {
    expect(() => operatorStack("dev-retail", { ...OPTIONS, ...override } as OperatorStackOptions)).toThrow(
      `Stack resource for dev-retail is not valid: ${message}`,
    );
  });

  test("the model refuses misspelt fields and a branch together with a commit", () => {
    const valid = operatorStack("dev-retail", OPTIONS);
    expect(() =>
      validateOperatorStack({ ...valid, spec: { ...valid.spec, resyncFrequency: 60 } }, "dev-retail"),
    ).toThrow('Unrecognized key: "resyncFrequency"');
    expect(() =>
      validateOperatorStack({ ...valid, spec: { ...valid.spec, commit: "0123abc" } }, "dev-retail"),
    ).toThrow("spec.branch: give exactly one of branch and commit");
  });

  test("the YAML holds one document per stack and reads back to the same resources", () => {
    const resources = operatorStacks(["dev-retail", "prod-retail"], OPTIONS);
    const documents = parseAllDocuments(toYamlDocuments(resources)).map((document) => document.toJS());
    expect(documents).toEqual(resources);
    documents.forEach((document, index) =>
      expect(validateOperatorStack(document, String(index))).toEqual(resources[index]),
    );
  });
});
