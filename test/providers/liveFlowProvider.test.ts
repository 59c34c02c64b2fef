/** The live flow provider's operations run directly against the emulator (no engine): the edge cases of each. */
import { bindFlow, flowHash, inboundFlowTemplate, loadTemplate, type FlowDocument } from "../../flows";
import { UNKNOWN } from "../../lib/facts";
import { provider, type LiveFlowInputs, type LiveFlowOutputs } from "../../providers/liveFlow";
import { startProviderWorld, writesOf, type ProviderWorld } from "./providerWorld";

const NAME = "AppleMessages_inbound_flow__Retail";

let world: ProviderWorld;
let assetId: string;
let serviceId: string;
beforeEach(async () => {
  world = await startProviderWorld();
  assetId = (await world.seedAsset("Retail")).id;
  serviceId = (await world.portal.createService({ name: "AMB Retail" })).value.id;
});
afterEach(async () => {
  await world.dispose();
});

/** The inbound flow bound to this test's asset and service, its CCE domain set to `domain`. */
function definition(domain = "cc.example.com"): FlowDocument {
  const result = bindFlow(loadTemplate(inboundFlowTemplate), {
    proxyFqdn: domain,
    appId: "app-retail",
    ambAccountId: "ca7c8be7-1dec-4580-9668-a92ab0054485",
    ambAssetId: assetId,
    serviceId,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.flow;
}

async function checked(news: Record<string, unknown>): Promise<LiveFlowInputs> {
  const result = await provider.check!({}, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as LiveFlowInputs;
}

const inputsFor = (overrides: Record<string, unknown> = {}) =>
  checked({ name: NAME, serviceId, assetId, definition: definition(), ...overrides });

async function create(overrides: Record<string, unknown> = {}) {
  const { id, outs } = await provider.create(await inputsFor(overrides));
  return { id, outs: outs as LiveFlowOutputs };
}

async function liveDefinition(flowId: string) {
  const flow = await world.portal.getFlow(serviceId, flowId);
  return (await world.portal.getFlowVersion(serviceId, flowId, flow.liveVersionId!))
    .definition as FlowDocument;
}

describe("check", () => {
  it("refuses a flow that is not valid, and lets a definition still unknown during preview through", async () => {
    const result = await provider.check!({}, { name: NAME, serviceId, assetId, definition: { nodes: [] } });
    expect(result.failures).toEqual([
      { property: "definition", reason: expect.stringMatching(/^definition: /) },
    ]);
    expect(await inputsFor({ definition: UNKNOWN, assetId: UNKNOWN })).toMatchObject({
      definition: UNKNOWN,
      assetId: UNKNOWN,
    });
  });
});

describe("diff", () => {
  it("replaces for another asset, and shows a flow deactivated in the portal as a change", async () => {
    const { id, outs } = await create();
    const news = await inputsFor();
    expect(await provider.diff!(id, outs, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect((await provider.diff!(id, outs, { ...news, assetId: UNKNOWN })).replaces).toEqual(["assetId"]);
    expect((await provider.diff!(id, { ...outs, status: "inactive" }, news)).changes).toBe(true);
  });
});

describe("create", () => {
  it("makes the flow live on the asset as one version", async () => {
    const { id, outs } = await create();
    const flow = await world.portal.getFlow(serviceId, id);
    expect(flow).toMatchObject({ name: NAME, status: "live", boundAssetId: assetId });
    expect(outs).toMatchObject({ flowId: id, liveVersionId: flow.liveVersionId, liveChanges: [] });
    expect(flowHash(await liveDefinition(id))).toBe(flowHash(definition()));
  });

  it("imports and publishes once when both answers are lost and the calls are retried", async () => {
    for (const route of ["flow.import", "flow.publish"] as const)
      await world.emulator.control.addFault({ route, action: { type: "drop" }, phase: "after", count: 1 });
    const { id } = await create();
    expect((await world.portal.listFlows(serviceId)).map((flow) => flow.id)).toEqual([id]);
    expect(await world.portal.listFlowVersions(serviceId, id)).toHaveLength(1);
  });

  it("takes over the draft an interrupted run left under its name, instead of importing a second flow", async () => {
    const left = await world.portal.importFlow(serviceId, { name: NAME, definition: definition() });
    const { id } = await create();
    expect(id).toBe(left.value.id);
    expect(await world.portal.listFlows(serviceId)).toHaveLength(1);
  });
});

describe("read", () => {
  it("reads an unchanged flow in one request", async () => {
    const { id, outs } = await create();
    await world.takeRequests();
    const read = await provider.read!(id, outs);
    expect(await world.takeRequests()).toEqual({ "GET flow.get": 1 });
    expect(read.props).toMatchObject({ liveVersionId: outs.liveVersionId, liveChanges: [] });
  });

  it("finds a portal edit node by node, reading the new version once", async () => {
    const { id, outs } = await create();
    await world.emulator.control.portalEditFlow(id, definition("cc-old.example.com"));
    await world.takeRequests();
    const read = await provider.read!(id, outs);
    expect(await world.takeRequests()).toEqual({ "GET flow.get": 1, "GET flow.getVersion": 1 });
    expect(read.props).toMatchObject({
      liveChanges: [expect.stringMatching(/\): domain cc\.example\.com → cc-old\.example\.com$/)],
      definitionHash: flowHash(definition("cc-old.example.com")),
    });
  });

  it("drops a flow deleted in the portal", async () => {
    const { id, outs } = await create();
    await world.portal.deactivateFlow(serviceId, id);
    await world.portal.deleteFlow(serviceId, id);
    expect(await provider.read!(id, outs)).toEqual({});
  });
});

describe("update", () => {
  it("publishes the desired flow again over a portal edit its stale outputs do not know of", async () => {
    const { id, outs } = await create();
    await world.emulator.control.portalEditFlow(id, definition("cc-old.example.com"));
    const { outs: updated } = await provider.update!(id, outs, await inputsFor());
    expect(flowHash(await liveDefinition(id))).toBe(flowHash(definition()));
    expect(updated).toMatchObject({ previousLiveVersionId: expect.any(String), liveChanges: [] });
    expect(await world.portal.listFlowVersions(serviceId, id)).toHaveLength(3);
  });

  it("makes a flow deactivated in the portal live again", async () => {
    const { id, outs } = await create();
    await world.portal.deactivateFlow(serviceId, id);
    await provider.update!(id, outs, await inputsFor());
    expect(await world.portal.getFlow(serviceId, id)).toMatchObject({
      status: "live",
      boundAssetId: assetId,
    });
  });

  it("renames in place without minting a version when only the name changed", async () => {
    const { id, outs } = await create();
    await world.takeRequests();
    const { outs: updated } = await provider.update!(id, outs, await inputsFor({ name: `${NAME}_v2` }));
    expect(writesOf(await world.takeRequests())).toEqual(["PATCH flow.rename"]);
    expect(updated).toMatchObject({ name: `${NAME}_v2`, liveVersionId: outs.liveVersionId });
  });
});

describe("delete", () => {
  it("deactivates the live flow, then deletes it; a flow already gone is done", async () => {
    const { id, outs } = await create();
    await world.takeRequests();
    await provider.delete!(id, outs);
    expect(writesOf(await world.takeRequests())).toEqual(["POST flow.deactivate", "DELETE flow.delete"]);
    expect(await world.portal.listFlows(serviceId)).toEqual([]);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });
});
