/**
 * AmbChannel's Kubernetes provider, under Pulumi mocks: the one the program passes (`kubernetes.provider`) reaches
 * every Kubernetes resource of the channel, and the Webex Connect half does not wait for it. (The SDK registers a
 * component only once the providers in its options are registered, and a real Kubernetes provider's registration
 * starts its plugin.)
 */
import * as k8s from "@pulumi/kubernetes";
import { eventually, holdRegistrations, mockEngine, registrations, unwrap } from "./componentMocks";
import { channelArgs } from "./fixtures";

beforeAll(async () => {
  await mockEngine();
});

const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";
const WEBEX_SERVICE = "pulumi-nodejs:dynamic/webexconnect:Service";

it("given a provider, the Webex Connect side registers while the Kubernetes provider is still registering", async () => {
  const { AmbChannel } = await import("../../components/ambChannel");
  const name = `channel-${registrations.length}`;
  const release = holdRegistrations(KUBERNETES_PROVIDER);
  const provider = new k8s.Provider(`${name}-kubernetes`, { renderYamlToDirectory: "rendered" });
  const channel = new AmbChannel(
    name,
    channelArgs("dev", { namespace: "amb-retail", provider }, { service: { name: `AMB ${name}` } }),
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
}, 20_000);
