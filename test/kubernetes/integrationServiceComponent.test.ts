/**
 * IntegrationService under Pulumi mocks: the resource graph, the settings and token the engine receives, the
 * NetworkPolicies, and construction errors with their exact messages (never showing the token).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as EdgeModule from "../../components/cloudConnectEdge";
import type * as IntegrationModule from "../../components/integrationService";
import {
  mockEngine,
  construct,
  constructionError,
  expectRestricted,
  unwrap,
  DEPLOYMENT,
  SERVICE,
  CONFIG_MAP,
  SECRET,
  PDB,
  HPA,
  NETWORK_POLICY,
} from "./componentMocks";
import { edgeArgs, integrationArgs, NAMESPACE, PINNED_INTEGRATION, WEBEX_CONNECT_TOKEN } from "./fixtures";

let edgeModule: typeof EdgeModule;
let integrationModule: typeof IntegrationModule;

beforeAll(async () => {
  await mockEngine();
  edgeModule = await import("../../components/cloudConnectEdge");
  integrationModule = await import("../../components/integrationService");
});

describe("IntegrationService", () => {
  let service: Awaited<ReturnType<typeof constructService>>;
  let edge: EdgeModule.CloudConnectEdge;

  const constructService = (
    name: string,
    overrides: Partial<IntegrationModule.IntegrationServiceArgs> = {},
  ) => construct((opts) => new integrationModule.IntegrationService(name, integrationArgs(overrides), opts));

  beforeAll(async () => {
    edge = new edgeModule.CloudConnectEdge("edge-for-integration", edgeArgs());
    service = await constructService("integration", {
      ingressFrom: [edge.ingressPeer, { namespace: "monitoring" }],
    });
  });

  it("parents every child to the component", () => {
    expect(service.children.map((child) => [child.type, child.name]).sort()).toEqual(
      [
        [CONFIG_MAP, "integration-settings"],
        [SECRET, "integration-webex-connect"],
        [DEPLOYMENT, "integration"],
        [SERVICE, "integration"],
        [HPA, "integration"],
        [PDB, "integration"],
        [NETWORK_POLICY, "integration-default-deny"],
        [NETWORK_POLICY, "integration-allow"],
      ].sort(),
    );
    for (const child of service.children) expect(child.parent).toBe(service.component);
  });

  it("outputs the in-cluster host and port", async () => {
    expect(await unwrap(service.component.serviceHost)).toBe(`integration.${NAMESPACE}.svc`);
    expect(service.component.port).toBe(8080);
  });

  it("names its Kubernetes objects objectName, and its host after them", async () => {
    const named = await constructService("dev-retail-integration", { objectName: "integration" });
    expect(named.registered(DEPLOYMENT, "dev-retail-integration").inputs.metadata.name).toBe("integration");
    expect(named.registered(SECRET, "dev-retail-integration-webex-connect").inputs.metadata.name).toBe(
      "integration-webex-connect",
    );
    expect(await unwrap(named.component.serviceHost)).toBe(`integration.${NAMESPACE}.svc`);
  });

  it("runs a restricted, probed container reading its token from a file; the HPA owns the replica count", () => {
    const { spec } = service.registered(DEPLOYMENT, "integration").inputs;
    const pod = spec.template.spec;
    const [container] = pod.containers;
    expect(spec.replicas).toBeUndefined();
    expectRestricted(pod, 10001);
    expect(container.image).toBe(PINNED_INTEGRATION);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "256Mi" },
    });
    expect(container.env).toEqual([
      { name: integrationModule.TOKEN_FILE_VARIABLE, value: "/var/run/secrets/webex-connect/token" },
    ]);
    expect(JSON.stringify(spec)).not.toContain(WEBEX_CONNECT_TOKEN);
    expect(spec.template.metadata.annotations["checksum/settings"]).toMatch(/^[a-f0-9]{64}$/);
  });

  it("keeps settings in the ConfigMap and the token in the Secret, which the engine receives marked secret", () => {
    expect(service.registered(CONFIG_MAP, "integration-settings").inputs.data).toEqual(
      integrationArgs().settings,
    );
    expect(service.registered(SECRET, "integration-webex-connect").inputs.stringData).toEqual({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: { token: WEBEX_CONNECT_TOKEN },
    });
  });

  it("keeps settings that hold credentials in a Secret of a generated name, read as environment variables", async () => {
    const withSecrets = await constructService("integration-secrets", {
      secretSettings: { API_TOKEN: pulumi.secret("api-token-7d1e") },
    });
    const secret = withSecrets.registered(SECRET, "integration-secrets-secret-settings").inputs;
    // No fixed name: a changed value gets a new Secret, so the Deployment referring to it rolls its pods.
    expect(secret.metadata.name).toBeUndefined();
    expect(secret.metadata.namespace).toBe(NAMESPACE);
    expect(secret.stringData).toEqual({
      [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
      value: { API_TOKEN: "api-token-7d1e" },
    });
    expect(withSecrets.registered(CONFIG_MAP, "integration-secrets-settings").inputs.data).toEqual(
      integrationArgs().settings,
    );
    const [container] = withSecrets.registered(DEPLOYMENT, "integration-secrets").inputs.spec.template.spec
      .containers;
    expect(container.envFrom).toEqual([
      { configMapRef: { name: "integration-secrets-settings" } },
      { secretRef: expect.any(Object) },
    ]);
    expect(JSON.stringify(container)).not.toContain("api-token-7d1e");
  });

  it("autoscales on CPU from 2 to 6 replicas and allows one pod down at a time", () => {
    expect(service.registered(HPA, "integration").inputs.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "integration" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
        },
      ],
    });
    expect(service.registered(PDB, "integration").inputs.spec.maxUnavailable).toBe(1);
  });

  it("denies all traffic by default and admits only the edge and the named namespace on its port, DNS and HTTPS", () => {
    const selector = service.registered(DEPLOYMENT, "integration").inputs.spec.selector;
    expect(service.registered(NETWORK_POLICY, "integration-default-deny").inputs.spec).toEqual({
      podSelector: selector,
      policyTypes: ["Ingress", "Egress"],
    });
    expect(service.registered(NETWORK_POLICY, "integration-allow").inputs.spec).toEqual({
      podSelector: selector,
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACE } },
              podSelector: { matchLabels: edge.ingressPeer.podLabels },
            },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
      egress: [
        {
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        { ports: [{ protocol: "TCP", port: 443 }] },
      ],
    });
  });

  it.each<[string, Partial<IntegrationModule.IntegrationServiceArgs>, string]>([
    [
      "a tagged image outside dev",
      { image: "registry.example.com/integration:1.4.2" },
      'IntegrationService "integration-bad": args.image: "registry.example.com/integration:1.4.2" is not pinned by digest, which environment "prod" requires (only "dev" may use tags). Fix: use "registry.example.com/integration:1.4.2@sha256:<64 hex digits>"; `docker buildx imagetools inspect registry.example.com/integration:1.4.2` prints the digest.',
    ],
    [
      "no callers",
      { ingressFrom: [] },
      'IntegrationService "integration-bad": args.ingressFrom: is empty, so the NetworkPolicies would admit no caller. Fix: pass the callers, e.g. [edge.ingressPeer].',
    ],
    [
      "a single minimum replica",
      { autoscaling: { minReplicas: 1 } },
      'IntegrationService "integration-bad": args.autoscaling.minReplicas: must be at least 2 to keep the service up while a pod restarts (the disruption budget allows one down). Fix: use 2 or more. (got 1)',
    ],
    [
      "a maximum below the minimum",
      { autoscaling: { minReplicas: 3, maxReplicas: 2 } },
      'IntegrationService "integration-bad": args.autoscaling.maxReplicas: is 2, below minReplicas 3. Fix: use 3 or more.',
    ],
    [
      "a setting that cannot be an environment variable",
      { settings: { "log-level": "debug" } },
      `IntegrationService "integration-bad": args.settings.log-level: is not an environment variable name (letters, digits and '_', not starting with a digit). Fix: rename it, e.g. to "LOG_LEVEL".`,
    ],
    [
      "a setting that would override the token file's path",
      { settings: { WEBEX_CONNECT_TOKEN_FILE: "/tmp/token" } },
      `IntegrationService "integration-bad": args.settings.WEBEX_CONNECT_TOKEN_FILE: is reserved: the component sets it to the token file's path. Fix: remove it from the settings.`,
    ],
    [
      "a credential among the plain settings",
      { settings: { LOG_LEVEL: "info", CRM_API_KEY: "crm-key-value" } },
      'IntegrationService "integration-bad": args.settings.CRM_API_KEY: names a credential ("key") and is stored in ' +
        "plain text. Fix: run `pulumi config set --secret --path 'amb-cce-connect:integrationService.settings." +
        "CRM_API_KEY' <value>`; the service then reads it from a Secret.",
    ],
    [
      "a setting given both plain and secret",
      { settings: { REGION_HINT: "eu" }, secretSettings: { REGION_HINT: "eu" } },
      'IntegrationService "integration-bad": args.secretSettings.REGION_HINT: is also a plain setting. Fix: give it ' +
        "once, as a secret.",
    ],
    [
      "a privileged port",
      { port: 80 },
      'IntegrationService "integration-bad": args.port: is below 1024: a non-root container listens on a port from 1024 to 65535, e.g. 8080 (got 80)',
    ],
  ])("refuses %s before registering anything", (_case, overrides, message) => {
    const error = constructionError(
      () => new integrationModule.IntegrationService("integration-bad", integrationArgs(overrides)),
    );
    expect(error).toBe(message);
    expect(error).not.toContain(WEBEX_CONNECT_TOKEN);
  });
});
