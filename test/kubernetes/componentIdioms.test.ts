/**
 * Component idioms, under Pulumi mocks: every component registers exactly the outputs it exposes; AmbChannel's
 * children carry its name first, their old names as aliases, and prod's protection; an argument problem found after
 * super() is a ResourceError on the component. Mocks are set before the components load.
 */
import * as pulumi from "@pulumi/pulumi";
import { mockEngine, unwrap } from "./componentMocks";
import { channelArgs, EDGE_FQDN, edgeArgs, integrationArgs } from "./fixtures";

beforeAll(async () => {
  await mockEngine();
});

describe("every component registers the outputs it exposes, and names the resource in argument errors", () => {
  let registerOutputs: jest.SpyInstance;

  beforeAll(() => {
    registerOutputs = jest.spyOn(
      // registerOutputs is protected: the spy watches it from outside.
      pulumi.ComponentResource.prototype as unknown as { registerOutputs(outputs?: object): void },
      "registerOutputs",
    );
  });
  afterAll(() => registerOutputs.mockRestore());

  /** The component's public fields (the SDK's own fields start with "__"; urn is the SDK's). */
  const exposed = (component: object) =>
    Object.keys(component)
      .filter((key) => !key.startsWith("__") && key !== "urn")
      .sort();
  const registered = (component: object) => {
    const index = registerOutputs.mock.contexts.indexOf(component);
    if (index < 0) throw new Error("the component registered no outputs");
    return Object.keys(registerOutputs.mock.calls[index][0] as object).sort();
  };

  it("Kubernetes components", async () => {
    const { CloudConnectEdge } = await import("../../components/cloudConnectEdge");
    const { IntegrationService } = await import("../../components/integrationService");
    const edge = new CloudConnectEdge("outputs-edge", edgeArgs());
    const service = new IntegrationService("outputs-integration", integrationArgs());
    for (const component of [edge, service]) expect(registered(component)).toEqual(exposed(component));
  });

  it("Webex Connect components", async () => {
    const { WebexService } = await import("../../components/webexService");
    const { AmbAsset } = await import("../../components/ambAsset");
    const { LiveFlow } = await import("../../components/liveFlow");
    const { WebhookFlowSet } = await import("../../components/webhookFlowSet");
    const onAsset = { assetName: "Retail", serviceId: "svc-1", assetId: "asset-1" };
    const bindings = { proxyFqdn: EDGE_FQDN, appId: "app-1", ambAccountId: "acct" };
    const service = new WebexService("outputs-service", { name: "AMB" });
    const asset = new AmbAsset("outputs-asset", {
      appId: "app-1",
      accountName: "Retail",
      serviceId: "svc-1",
    });
    const flow = new LiveFlow("outputs-inbound", {
      ...onAsset,
      template: "AppleMessages_inbound_flow",
      bindings,
    });
    const flowSet = new WebhookFlowSet("outputs-webhooks", { ...onAsset, mode: "perAsset", bindings });
    // Until the mock engine has them all: the dynamic resources serialize their provider asynchronously first.
    await unwrap(
      pulumi.all([
        service.serviceId,
        asset.assetId,
        flow.flowId,
        ...Object.values(flowSet.flows).map((f) => f.flowId),
      ]),
    );
    for (const component of [service, asset, flow, flowSet])
      expect(registered(component)).toEqual(exposed(component));
  });

  it("AmbChannel: its children's names start with its own, each aliased to its old name; prod protects them", async () => {
    const { AmbChannel } = await import("../../components/ambChannel");
    const registeredChildren: Array<{ name: string; parent: unknown; aliases: unknown; protect: unknown }> =
      [];
    const channel = new AmbChannel(
      "prod-retail",
      channelArgs("prod", { namespace: "amb-retail", renderYamlToDirectory: "rendered" }),
      {
        transformations: [
          ({ name, opts }) => {
            registeredChildren.push({
              name,
              parent: opts.parent,
              aliases: opts.aliases,
              protect: opts.protect,
            });
            return undefined;
          },
        ],
      },
    );
    await unwrap(channel.flows);
    const children = registeredChildren.filter((child) => child.parent === channel);
    expect(children.map((child) => child.name).sort()).toEqual(
      [
        "kubernetes",
        "namespace",
        "cce-edge",
        "integration",
        "service",
        "asset",
        "inbound",
        "customer-close",
        "webhooks",
      ]
        .map((role) => `prod-retail-${role}`)
        .sort(),
    );
    for (const child of children.filter(({ name }) => name !== "prod-retail-kubernetes")) {
      expect(child.aliases).toEqual([{ name: child.name.replace(/^prod-retail-/, "") }]);
      expect(child.protect).toBe(true);
    }
    // The provider a program made before the channel made its own sat at the stack's root.
    expect(children.find(({ name }) => name === "prod-retail-kubernetes")?.aliases).toEqual([
      { name: "kubernetes", parent: pulumi.rootStackResource },
    ]);
    expect(registered(channel)).toEqual(exposed(channel));
  }, 60_000);

  it("LiveFlow: an override that cannot be read is a ResourceError on the flow", async () => {
    const { LiveFlow } = await import("../../components/liveFlow");
    let thrown: unknown;
    try {
      new LiveFlow("unreadable-override", {
        assetName: "Retail",
        serviceId: "svc-1",
        assetId: "asset-1",
        template: "AppleMessages_inbound_flow",
        bindings: {},
        override: "stacks/overrides/nowhere.json",
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(pulumi.ResourceError);
    const error = thrown as pulumi.ResourceError;
    expect(error.message).toMatch(/^The flow override stacks\/overrides\/nowhere\.json .* cannot be read: /);
    expect(error.hideStack).toBe(true);
    expect(await unwrap((error.resource as pulumi.ComponentResource).urn)).toMatch(/::unreadable-override$/);
  });
});
