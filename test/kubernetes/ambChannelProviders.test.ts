/**
 * AmbChannel's `providers`, under Pulumi mocks: the Kubernetes provider reaches every Kubernetes resource of the
 * channel, and the Webex Connect half does not wait for it. (The SDK registers a component only once the providers
 * in its options are registered, and a real Kubernetes provider's registration starts its plugin.)
 */
import * as k8s from "@pulumi/kubernetes";
import { eventually, holdRegistrations, mockEngine, registrations, unwrap } from "./componentMocks";
import { edgeArgs, integrationArgs, omit } from "./fixtures";

beforeAll(async () => {
  await mockEngine();
});

const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";
const WEBEX_SERVICE = "pulumi-nodejs:dynamic/webexconnect:Service";

it.each([
  ["a map by package", (provider: k8s.Provider) => ({ kubernetes: provider })],
  ["a list", (provider: k8s.Provider) => [provider]],
])(
  "given providers as %s, the Webex Connect side registers while the Kubernetes provider is still registering",
  async (_form, providersOf) => {
    const { AmbChannel } = await import("../../components/ambChannel");
    const name = `channel-${registrations.length}`;
    const release = holdRegistrations(KUBERNETES_PROVIDER);
    const provider = new k8s.Provider(`${name}-kubernetes`, { renderYamlToDirectory: "rendered" });
    const channel = new AmbChannel(
      name,
      {
        environment: "dev",
        namespace: "amb-retail",
        edge: omit(edgeArgs(), "namespace", "environment"),
        integrationService: omit(integrationArgs(), "namespace", "environment", "ingressFrom"),
        service: { name: `AMB ${name}` },
        asset: { appId: "app-1", ambAccountId: "acct", accountName: "Retail" },
        flows: { mode: "perAsset" },
      },
      { providers: providersOf(provider) },
    );
    const ours = () => registrations.filter((registration) => registration.name.startsWith(`${name}-`));

    await eventually("the channel's Webex Connect service registers", () =>
      ours().some((registration) => registration.type === WEBEX_SERVICE),
    );
    expect(ours().filter((registration) => registration.type.startsWith("kubernetes:"))).toEqual([]);

    release();
    await unwrap(channel.flows);
    const providerUrn = await unwrap(provider.urn);
    await eventually("the channel's Kubernetes resources register", () =>
      ours().some((registration) => registration.type === "kubernetes:apps/v1:Deployment"),
    );
    const kubernetesResources = ours().filter((registration) => registration.type.startsWith("kubernetes:"));
    expect(kubernetesResources.map((registration) => registration.type)).toEqual(
      expect.arrayContaining([
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:apps/v1:Deployment",
      ]),
    );
    for (const registration of kubernetesResources)
      expect({
        name: registration.name,
        provider: registration.provider?.split("::").slice(0, -1).join("::"),
      }).toEqual({
        name: registration.name,
        provider: providerUrn,
      });
  },
  20_000,
);
