/**
 * Both components under Pulumi mocks: the resource graph (every child parented to the component and managed by the
 * provider the stack passes), the settings the engine receives, and construction errors with their exact messages.
 * Mocks are set before the component modules load; the modules are imported in beforeAll.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type * as EdgeModule from "../../components/cloudConnectEdge";
import type * as IntegrationModule from "../../components/integrationService";
import {
  EDGE_FQDN,
  edgeArgs,
  integrationArgs,
  NAMESPACE,
  PINNED_INTEGRATION,
  WEBEX_CONNECT_TOKEN,
} from "./fixtures";

interface Registration {
  type: string;
  name: string;
  // The mock engine hands over the resolved inputs as untyped JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputs: any;
  provider?: string;
}

interface Child {
  type: string;
  name: string;
  parent?: pulumi.Resource;
}

const registrations: Registration[] = [];
let edgeModule: typeof EdgeModule;
let integrationModule: typeof IntegrationModule;
let k8s: typeof import("@pulumi/kubernetes");

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          provider: args.provider,
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "amb-cce-connect",
    "unit",
    false,
  );
  edgeModule = await import("../../components/cloudConnectEdge");
  integrationModule = await import("../../components/integrationService");
  k8s = await import("@pulumi/kubernetes");
});

function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Builds a component with a transformation that records each child and its parent (transformations run
 * synchronously in the constructors), then waits, bounded, until the mock engine has registered every child.
 */
async function construct<T extends pulumi.ComponentResource>(
  build: (opts: pulumi.ComponentResourceOptions) => T,
  provider?: pulumi.ProviderResource,
): Promise<{ component: T; children: Child[]; registered: (type: string, name: string) => Registration }> {
  const children: Child[] = [];
  const component = build({
    provider,
    transformations: [
      (args) => {
        children.push({ type: args.type, name: args.name, parent: args.opts.parent });
        return undefined;
      },
    ],
  });
  const descendants = children.filter((child) => child.parent !== undefined);
  const find = (type: string, name: string) =>
    registrations.find((registration) => registration.type === type && registration.name === name);
  for (
    let attempt = 0;
    attempt < 200 && !descendants.every((child) => find(child.type, child.name));
    attempt += 1
  ) {
    await sleep(5);
  }
  const registered = (type: string, name: string) => {
    const registration = find(type, name);
    if (registration === undefined) throw new Error(`${type} ${name} was not registered`);
    return registration;
  };
  return { component, children: descendants, registered };
}

function constructionError(build: () => unknown): string {
  const before = registrations.length;
  try {
    build();
  } catch (error) {
    // Thrown before super(): not even the component was registered.
    expect(registrations.length).toBe(before);
    return (error as Error).message;
  }
  throw new Error("expected construction to fail");
}

/** The "restricted" Pod Security Standard, spelled out here rather than imported, so a change to it is noticed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- registered inputs are untyped JSON
function expectRestricted(pod: any, runAsUser: number): void {
  expect(pod.securityContext).toEqual({
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: "RuntimeDefault" },
  });
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.containers).toHaveLength(1);
  expect(pod.containers[0].securityContext).toEqual({
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  });
}

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const SECRET = "kubernetes:core/v1:Secret";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("CloudConnectEdge", () => {
  let provider: pulumi.ProviderResource;
  let edge: Awaited<ReturnType<typeof constructEdge>>;

  const constructEdge = (name: string, overrides = {}, withProvider?: pulumi.ProviderResource) =>
    construct((opts) => new edgeModule.CloudConnectEdge(name, edgeArgs(overrides), opts), withProvider);

  beforeAll(async () => {
    provider = new k8s.Provider("render", { renderYamlToDirectory: "rendered" });
    edge = await constructEdge("cce-edge", {}, provider);
  });

  it("parents every child to the component and hands them the stack's provider", async () => {
    expect(edge.children.map((child) => [child.type, child.name]).sort()).toEqual(
      [
        [CONFIG_MAP, "cce-edge-config"],
        [SECRET, "cce-edge-front-tls"],
        [SECRET, "cce-edge-cloud-connect-tls"],
        [DEPLOYMENT, "cce-edge"],
        [SERVICE, "cce-edge"],
        [PDB, "cce-edge"],
      ].sort(),
    );
    for (const child of edge.children) expect(child.parent).toBe(edge.component);
    const providerUrn = await unwrap(provider.urn);
    for (const child of edge.children) {
      expect(edge.registered(child.type, child.name).provider).toMatch(new RegExp(`^${providerUrn}::`));
    }
    // The component itself reaches the engine once, under its own type.
    const own = registrations.filter((registration) => registration.name === "cce-edge");
    expect(own.map((registration) => registration.type).sort()).toEqual(
      [edgeModule.CLOUD_CONNECT_EDGE_TYPE, DEPLOYMENT, SERVICE, PDB].sort(),
    );
  });

  it("outputs the bare FQDN for the CCE Domain field", async () => {
    expect(await unwrap(edge.component.fqdn)).toBe(EDGE_FQDN);
  });

  it("runs at least two restricted, probed, spread replicas", () => {
    const { spec } = edge.registered(DEPLOYMENT, "cce-edge").inputs;
    const pod = spec.template.spec;
    const [container] = pod.containers;
    expect(spec.replicas).toBe(2);
    expectRestricted(pod, 99);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "monitor" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "monitor" });
    expect(container.resources.requests).toEqual({ cpu: "100m", memory: "128Mi" });
    expect(container.resources.limits).toEqual({ cpu: "1", memory: "256Mi" });
    expect(container.image).toBe(edgeArgs().image);
    expect(
      pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm,
    ).toEqual({
      topologyKey: "kubernetes.io/hostname",
      labelSelector: { matchLabels: spec.selector.matchLabels },
    });
    expect(pod.volumes.find((volume: { name: string }) => volume.name === "runtime").emptyDir).toEqual({
      medium: "Memory",
      sizeLimit: "1Mi",
    });
  });

  it("annotates the pods with the hash of the files in the ConfigMap, so a config change rolls them", async () => {
    const data = edge.registered(CONFIG_MAP, "cce-edge-config").inputs.data;
    expect(Object.keys(data).sort()).toEqual(["body-limit.lua", "haproxy.cfg"]);
    const annotations = edge.registered(DEPLOYMENT, "cce-edge").inputs.spec.template.metadata.annotations;
    expect(annotations["checksum/haproxy-config"]).toBe(
      createHash("sha256")
        .update(data["haproxy.cfg"] + data["body-limit.lua"])
        .digest("hex"),
    );

    const tuned = await constructEdge("cce-edge-tuned", {
      proxy: { ...edgeArgs().proxy, rateLimit: { maxRequests: 10 } },
    });
    const tunedAnnotations = tuned.registered(DEPLOYMENT, "cce-edge-tuned").inputs.spec.template.metadata
      .annotations;
    expect(tunedAnnotations["checksum/haproxy-config"]).not.toBe(annotations["checksum/haproxy-config"]);
  });

  it("publishes a LoadBalancer on 443 for the FQDN, keeping client addresses and the allow-list", () => {
    const { metadata, spec } = edge.registered(SERVICE, "cce-edge").inputs;
    expect(metadata.annotations).toEqual({ "external-dns.alpha.kubernetes.io/hostname": EDGE_FQDN });
    expect(spec.type).toBe("LoadBalancer");
    expect(spec.externalTrafficPolicy).toBe("Local");
    expect(spec.loadBalancerSourceRanges).toEqual(["203.0.113.0/24"]);
    expect(spec.ports).toEqual([{ name: "https", port: 443, targetPort: "https", protocol: "TCP" }]);
  });

  it("limits voluntary disruption to one pod", () => {
    const { spec } = edge.registered(PDB, "cce-edge").inputs;
    const deployment = edge.registered(DEPLOYMENT, "cce-edge").inputs;
    expect(spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
  });

  it("creates no Secret when given existing ones", async () => {
    const existing = await constructEdge("cce-edge-existing", {
      frontTls: { existingSecretName: "edge-cert" },
      cloudConnectTls: { existingSecretName: "cc-mtls" },
    });
    expect(existing.children.filter((child) => child.type === SECRET)).toEqual([]);
  });

  it.each<[string, string, Partial<EdgeModule.CloudConnectEdgeArgs>, string]>([
    [
      "a URL as FQDN",
      "bad-fqdn",
      { fqdn: "https://cc-edge.example.com/" },
      'CloudConnectEdge "bad-fqdn": args.fqdn: "https://cc-edge.example.com/" has a URL scheme; the Domain field takes a bare hostname. Use "cc-edge.example.com" instead.',
    ],
    [
      "a tagged image outside dev",
      "tagged",
      { image: "haproxy:2.6" },
      'CloudConnectEdge "tagged": args.image: "haproxy:2.6" is not pinned by digest, which environment "prod" requires (only "dev" may use tags). Fix: use "haproxy:2.6@sha256:<64 hex digits>"; `docker buildx imagetools inspect haproxy:2.6` prints the digest.',
    ],
    [
      "the default (tagged) image outside dev",
      "default-image",
      { image: undefined, environment: "staging" },
      'CloudConnectEdge "default-image": args.image: is missing, so the default "haproxy:2.6" applies: "haproxy:2.6" is not pinned by digest, which environment "staging" requires (only "dev" may use tags). Fix: use "haproxy:2.6@sha256:<64 hex digits>"; `docker buildx imagetools inspect haproxy:2.6` prints the digest.',
    ],
    [
      "a single replica",
      "single",
      { replicas: 1 },
      'CloudConnectEdge "single": args.replicas: must be at least 2 so Webex Connect keeps a path while a pod restarts or moves. Fix: use 2 or more. (got 1)',
    ],
    [
      "a body limit below 100 MiB",
      "small-body",
      { proxy: { ...edgeArgs().proxy, maxBodyBytes: 10_000_000 } },
      'CloudConnectEdge "small-body": args.proxy.maxBodyBytes: must be at least 104857600 (100 MiB): Apple Messages for Business attachments reach 100 MB (got 10000000)',
    ],
    [
      "an existing Secret name that Kubernetes would refuse",
      "bad-secret",
      { frontTls: { existingSecretName: "Edge_Cert" } },
      `CloudConnectEdge "bad-secret": args.frontTls.existingSecretName: "Edge_Cert" is not a Kubernetes Secret name. Fix: give the name of the Secret in the same namespace, lower-case letters, digits, '-' and '.'.`,
    ],
    [
      "one Cloud Connect node without the named waiver",
      "single-node",
      {
        proxy: {
          ...edgeArgs().proxy,
          cloudConnectNodes: [{ name: "publisher", host: "cc-pub.example.com" }],
        },
      },
      'CloudConnectEdge "single-node": args.proxy.cloudConnectNodes: lists one node: the edge then has no failover. ' +
        "Fix: give the publisher and subscriber Cloud Connect nodes; for a lab only, set singleNodeWaiver to the " +
        "reason (at least 10 characters).",
    ],
    [
      "several bad arguments, each named",
      "several",
      { replicas: 1, fqdn: "10.0.0.5" },
      'CloudConnectEdge "several": args.fqdn: "10.0.0.5" is an IP address; the Domain field takes the FQDN of the ' +
        'reverse proxy or load balancer in front of Cloud Connect (the name in its certificate and in DNS), e.g. "cc.example.com".\n' +
        'CloudConnectEdge "several": args.replicas: must be at least 2 so Webex Connect keeps a path while a pod ' +
        "restarts or moves. Fix: use 2 or more. (got 1)",
    ],
    [
      "a name that is no Kubernetes object name",
      "Edge_1",
      {},
      'CloudConnectEdge "Edge_1": the resource name is used for Kubernetes object names, so it must be 1-40 lower-case letters, digits or inner hyphens, starting with a letter. Fix: pass a name such as "cce-edge".',
    ],
  ])("refuses %s before registering anything", (_case, name, overrides, message) => {
    expect(constructionError(() => new edgeModule.CloudConnectEdge(name, edgeArgs(overrides)))).toBe(message);
  });

  it("names its Kubernetes objects objectName while its resources carry the component's name", async () => {
    const named = await constructEdge("dev-retail-cce-edge", { objectName: "cce-edge" });
    expect(named.children.map((child) => child.name).sort()).toEqual(
      [
        "dev-retail-cce-edge-config",
        "dev-retail-cce-edge-front-tls",
        "dev-retail-cce-edge-cloud-connect-tls",
        "dev-retail-cce-edge",
        "dev-retail-cce-edge",
        "dev-retail-cce-edge",
      ].sort(),
    );
    const deployment = named.registered(DEPLOYMENT, "dev-retail-cce-edge").inputs;
    expect(deployment.metadata.name).toBe("cce-edge");
    expect(deployment.spec.selector.matchLabels["app.kubernetes.io/instance"]).toBe("cce-edge");
    expect(named.registered(CONFIG_MAP, "dev-retail-cce-edge-config").inputs.metadata.name).toBe(
      "cce-edge-config",
    );
    expect(named.component.ingressPeer.podLabels).toEqual(edge.component.ingressPeer.podLabels);
    expect(
      constructionError(
        () => new edgeModule.CloudConnectEdge("dev-retail-cce-edge", edgeArgs({ objectName: "Edge" })),
      ),
    ).toBe(
      'CloudConnectEdge "dev-retail-cce-edge": args.objectName: "Edge" is a Kubernetes object name, so it must be ' +
        '1-40 lower-case letters, digits or inner hyphens, starting with a letter. Fix: pass a name such as "cce-edge".',
    );
  });

  it("accepts a tagged image in dev", async () => {
    const dev = await constructEdge("cce-edge-dev", { environment: "dev", image: undefined });
    expect(dev.registered(DEPLOYMENT, "cce-edge-dev").inputs.spec.template.spec.containers[0].image).toBe(
      "haproxy:2.6",
    );
  });
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
