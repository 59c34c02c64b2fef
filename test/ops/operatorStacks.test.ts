import { parseAllDocuments } from "yaml";
import { ResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import {
  DEFAULT_RESYNC_SECONDS,
  kubernetesName,
  operatorStack,
  operatorStacks,
  toYamlDocuments,
  validateOperatorStack,
  type OperatorStackOptions,
} from "../../ops/operatorStacks";

const OPTIONS: OperatorStackOptions = {
  namespace: "pulumi-stacks",
  projectRepo: "https://github.com/acme/amb-cce-connect.git",
  branch: "main",
  backend: "s3://acme-pulumi-state",
  passphraseSecret: { name: "amb-cce-connect", key: "PULUMI_CONFIG_PASSPHRASE" },
  webexTokenSecret: { name: "amb-cce-connect", key: "WEBEX_CONNECT_TOKEN" },
  workspaceResources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
};

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
          WEBEX_CONNECT_TOKEN: { type: "Secret", secret: OPTIONS.webexTokenSecret },
        },
        refresh: true,
        resyncFrequencySeconds: DEFAULT_RESYNC_SECONDS,
        continueResyncOnCommitMatch: true,
        destroyOnFinalize: false,
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

  test("stack names become Kubernetes names; colliding names are refused with both stacks named", () => {
    expect(kubernetesName("dev-Retail_Store")).toBe("dev-retail-store");
    expect(kubernetesName("_Prod.eu_")).toBe("prod.eu");
    expect(() => operatorStacks(["dev-retail_store", "dev-retail-store"], OPTIONS)).toThrow(
      "stacks dev-retail_store and dev-retail-store both become the Kubernetes name dev-retail-store",
    );
  });

  test.each([
    [{ resyncFrequencySeconds: 30 }, "spec.resyncFrequencySeconds: must be at least 60"],
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
