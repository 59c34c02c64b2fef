/**
 * The pure manifest builders, without the engine: every object validates against the Kubernetes API schema
 * (kubernetes-models), the objects reference each other consistently, and the token stays a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  buildCloudConnectEdgeManifests,
  CloudConnectEdgeArgs,
  resolveCloudConnectEdgeSpec,
} from "../../components/cloudConnectEdge";
import {
  buildIntegrationServiceManifests,
  IntegrationServiceArgs,
  resolveIntegrationServiceSpec,
} from "../../components/integrationService";
import { CONTAINER_PATHS } from "../../edge/types";
import { ENVIRONMENT_LABEL } from "../../lib/conventions";
import { edgeArgs, integrationArgs, WEBEX_CONNECT_TOKEN } from "./fixtures";
import { resolveManifest, TypedManifest, validateManifest } from "./kubernetesModels";

async function resolveAll(
  manifests: Record<string, object | undefined>,
): Promise<Record<string, TypedManifest>> {
  const entries = Object.entries(manifests).filter(
    (entry): entry is [string, object] => entry[1] !== undefined,
  );
  return Object.fromEntries(
    await Promise.all(entries.map(async ([key, value]) => [key, await resolveManifest(value)])),
  );
}

const edgeManifests = (args: CloudConnectEdgeArgs) =>
  resolveAll({ ...buildCloudConnectEdgeManifests(resolveCloudConnectEdgeSpec("cce-edge", args)) });
const integrationManifests = (args: IntegrationServiceArgs) =>
  resolveAll({ ...buildIntegrationServiceManifests(resolveIntegrationServiceSpec("integration", args)) });

/** Reads a nested field of a resolved manifest without casting at every step. */
function field(manifest: unknown, ...keys: Array<string | number>): unknown {
  return keys.reduce<unknown>(
    (value, key) => (value as Record<string | number, unknown> | undefined)?.[key],
    manifest,
  );
}

const INTEGRATION_KEYS = [
  "configMap",
  "secret",
  "deployment",
  "service",
  "horizontalPodAutoscaler",
  "podDisruptionBudget",
  "defaultDenyNetworkPolicy",
  "allowNetworkPolicy",
];

describe("every manifest validates against the Kubernetes API schema", () => {
  const cases: Array<[string, () => Promise<Record<string, TypedManifest>>, string[]]> = [
    [
      "edge with TLS material given as PEM",
      () => edgeManifests(edgeArgs()),
      [
        "configMap",
        "frontTlsSecret",
        "cloudConnectTlsSecret",
        "deployment",
        "service",
        "podDisruptionBudget",
      ],
    ],
    [
      "edge with existing Secrets",
      () =>
        edgeManifests(
          edgeArgs({
            frontTls: { existingSecretName: "edge-cert" },
            cloudConnectTls: { existingSecretName: "cc-mtls" },
          }),
        ),
      ["configMap", "deployment", "service", "podDisruptionBudget"],
    ],
    ["integration service", () => integrationManifests(integrationArgs()), INTEGRATION_KEYS],
    [
      "integration service without settings",
      () => integrationManifests(integrationArgs({ settings: undefined })),
      INTEGRATION_KEYS,
    ],
  ];

  it.each(cases)("%s", async (_case, build, expectedKeys) => {
    const manifests = await build();
    expect(Object.keys(manifests).sort()).toEqual([...expectedKeys].sort());
    for (const manifest of Object.values(manifests)) expect(() => validateManifest(manifest)).not.toThrow();
  });

  it("the validation bites: a corrupted Deployment is refused", async () => {
    const { deployment } = await edgeManifests(edgeArgs());
    const corrupted = { ...deployment, spec: { ...(deployment.spec as object), replicas: "two" } };
    expect(() => validateManifest(corrupted)).toThrow(/replicas must be integer/);
  });
});

describe("the edge's objects fit together", () => {
  it("mounts the config and the TLS Secrets where haproxy.cfg expects them", async () => {
    const { deployment, configMap, frontTlsSecret, cloudConnectTlsSecret } = await edgeManifests(edgeArgs());
    const pod = field(deployment, "spec", "template", "spec");
    const mounts = field(pod, "containers", 0, "volumeMounts") as Array<{ name: string; mountPath: string }>;
    const mountPath = (name: string) => mounts.find((mount) => mount.name === name)?.mountPath;
    expect(mountPath("config")).toBe("/usr/local/etc/haproxy");
    expect(mountPath("front-tls")).toBe("/etc/haproxy/front");
    expect(mountPath("cloud-connect-tls")).toBe("/etc/haproxy/cloud-connect");
    expect(mountPath("runtime")).toBe(CONTAINER_PATHS.runtimeDirectory);

    const volumes = field(pod, "volumes") as Array<
      Record<string, { name?: string; secretName?: string; items?: unknown }>
    >;
    const volume = (name: string) => volumes.find((candidate) => candidate.name === (name as never));
    expect(volume("config")?.configMap?.name).toBe(field(configMap, "metadata", "name"));
    // haproxy.cfg loads the body-limit script from the same mounted folder.
    expect(volume("config")?.configMap?.items).toEqual([
      { key: "haproxy.cfg", path: "haproxy.cfg" },
      { key: "body-limit.lua", path: "body-limit.lua" },
    ]);
    expect(field(configMap, "data", "haproxy.cfg")).toContain(
      "lua-load-per-thread /usr/local/etc/haproxy/body-limit.lua",
    );
    expect(volume("front-tls")?.secret?.secretName).toBe(field(frontTlsSecret, "metadata", "name"));
    expect(volume("front-tls")?.secret?.items).toEqual([
      { key: "tls.crt", path: "front.pem" },
      { key: "tls.key", path: "front.pem.key" },
    ]);
    expect(volume("cloud-connect-tls")?.secret?.secretName).toBe(
      field(cloudConnectTlsSecret, "metadata", "name"),
    );
    expect(volume("cloud-connect-tls")?.secret?.items).toEqual([
      { key: "tls.crt", path: "client.pem" },
      { key: "tls.key", path: "client.pem.key" },
      { key: "ca.crt", path: "ca.pem" },
    ]);
    expect(field(cloudConnectTlsSecret, "type")).toBe("kubernetes.io/tls");
    expect(Object.keys(field(cloudConnectTlsSecret, "stringData") as object).sort()).toEqual([
      "ca.crt",
      "tls.crt",
      "tls.key",
    ]);
  });

  it("uses existing Secrets by name and creates none", async () => {
    const manifests = await edgeManifests(
      edgeArgs({
        frontTls: { existingSecretName: "edge-cert" },
        cloudConnectTls: { existingSecretName: "cc-mtls" },
      }),
    );
    const volumes = field(manifests.deployment, "spec", "template", "spec", "volumes") as Array<{
      secret?: { secretName: string };
    }>;
    expect(volumes.flatMap((volume) => (volume.secret ? [volume.secret.secretName] : []))).toEqual([
      "edge-cert",
      "cc-mtls",
    ]);
  });

  it("selects its own pods from the Service and the PodDisruptionBudget", async () => {
    const { deployment, service, podDisruptionBudget } = await edgeManifests(edgeArgs());
    const podLabels = field(deployment, "spec", "template", "metadata", "labels") as Record<string, string>;
    const selector = field(deployment, "spec", "selector", "matchLabels") as Record<string, string>;
    expect(podLabels).toMatchObject(selector);
    expect(field(service, "spec", "selector")).toEqual(selector);
    expect(field(podDisruptionBudget, "spec", "selector", "matchLabels")).toEqual(selector);
  });

  it("keeps the private keys secret", async () => {
    const { frontTlsSecret } = buildCloudConnectEdgeManifests(
      resolveCloudConnectEdgeSpec("cce-edge", edgeArgs()),
    );
    const key = pulumi.output(frontTlsSecret!.stringData).apply((data) => data?.["tls.key"]);
    expect(await pulumi.isSecret(key)).toBe(true);
  });
});

describe("the integration service's objects fit together", () => {
  it("targets its Deployment from the HPA and its pods from the Service, PDB and NetworkPolicies", async () => {
    const manifests = await integrationManifests(integrationArgs());
    const selector = field(manifests.deployment, "spec", "selector", "matchLabels");
    expect(field(manifests.horizontalPodAutoscaler, "spec", "scaleTargetRef")).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: field(manifests.deployment, "metadata", "name"),
    });
    expect(field(manifests.service, "spec", "selector")).toEqual(selector);
    expect(field(manifests.podDisruptionBudget, "spec", "selector", "matchLabels")).toEqual(selector);
    expect(field(manifests.defaultDenyNetworkPolicy, "spec", "podSelector", "matchLabels")).toEqual(selector);
    expect(field(manifests.allowNetworkPolicy, "spec", "podSelector", "matchLabels")).toEqual(selector);
  });

  it("reads settings from its ConfigMap and the token from its Secret", async () => {
    const manifests = await integrationManifests(integrationArgs());
    const pod = field(manifests.deployment, "spec", "template", "spec");
    expect(field(pod, "containers", 0, "envFrom")).toEqual([
      { configMapRef: { name: field(manifests.configMap, "metadata", "name") } },
    ]);
    expect(field(pod, "volumes", 0, "secret", "secretName")).toBe(
      field(manifests.secret, "metadata", "name"),
    );
    expect(field(manifests.secret, "stringData")).toEqual({ token: WEBEX_CONNECT_TOKEN });
  });

  it("keeps the token secret even when given as plain text", async () => {
    const { secret } = buildIntegrationServiceManifests(
      resolveIntegrationServiceSpec("integration", integrationArgs()),
    );
    const token = pulumi.output(secret.stringData).apply((data) => data?.token);
    expect(await pulumi.isSecret(token)).toBe(true);
  });
});

describe("workloads carry their environment for per-environment policies", () => {
  it("labels both Deployments with the stack's environment", async () => {
    const edge = await edgeManifests(edgeArgs({ environment: "staging" }));
    const integration = await integrationManifests(integrationArgs({ environment: "staging" }));
    for (const { deployment } of [edge, integration]) {
      expect(field(deployment, "metadata", "labels", ENVIRONMENT_LABEL)).toBe("staging");
    }
  });
});
