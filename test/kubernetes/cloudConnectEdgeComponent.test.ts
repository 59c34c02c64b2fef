/**
 * CloudConnectEdge under Pulumi mocks: the resource graph (every child parented to the component and managed by the
 * provider the stack passes), the settings the engine receives, and construction errors with their exact messages.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type * as EdgeModule from "../../components/cloudConnectEdge";
import {
  mockEngine,
  construct,
  constructionError,
  expectRestricted,
  unwrap,
  registrations,
  DEPLOYMENT,
  SERVICE,
  CONFIG_MAP,
  SECRET,
  PDB,
} from "./componentMocks";
import { EDGE_FQDN, edgeArgs } from "./fixtures";

let edgeModule: typeof EdgeModule;
let k8s: typeof import("@pulumi/kubernetes");

beforeAll(async () => {
  await mockEngine();
  edgeModule = await import("../../components/cloudConnectEdge");
  k8s = await import("@pulumi/kubernetes");
});

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
      "a Cloud Connect node at the edge's own FQDN",
      "self-node",
      {
        proxy: {
          ...edgeArgs().proxy,
          cloudConnectNodes: [
            { name: "publisher", host: "cc-pub.example.com" },
            { name: "subscriber", host: "CC-Edge.example.com" },
          ],
        },
      },
      'CloudConnectEdge "self-node": args.proxy.cloudConnectNodes.1.host: "CC-Edge.example.com" is the edge\'s own ' +
        "public hostname (edge.fqdn): the proxy would send Webex Connect's requests back to itself. Fix: give the " +
        "Cloud Connect node's own host.",
    ],
    [
      "an allow-list open to the world in prod without a waiver",
      "open-prod",
      { proxy: { ...edgeArgs().proxy, allowedClientCidrs: ["0.0.0.0/0"] } },
      'CloudConnectEdge "open-prod": args.proxy.allowedClientCidrs: lists "0.0.0.0/0", which admits every IPv4 ' +
        "address: Cisco recommends admitting only the addresses of Webex Connect and your load balancer, and a prod " +
        "stack must. Fix: list those ranges, or set openAllowListWaiver to the reason (at least 10 characters).",
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
