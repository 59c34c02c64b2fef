/** The AMB asset provider's operations run directly against the emulator (no engine): the edge cases of each. */
import { UNKNOWN } from "../../lib/facts";
import { provider, type AmbAssetInputs, type AmbAssetOutputs } from "../../providers/ambAsset";
import { describeOwned, parseOwnedDescription } from "../../providers/ownership";
import { startProviderWorld, writesOf, type ProviderWorld } from "./providerWorld";

const OWNER = "amb-cce-connect/dev-retail";
const OTHER = "amb-cce-connect/dev-retail-copy";

let world: ProviderWorld;
let asset: { id: string; appId: string };
let serviceId: string;
beforeEach(async () => {
  world = await startProviderWorld();
  asset = await world.seedAsset("Retail");
  await world.portal.updateAmbAsset(asset.id, { name: "Retail", description: "Store 12" });
  serviceId = (await world.portal.createService({ name: "AMB Retail" })).value.id;
  await world.takeRequests();
});
afterEach(async () => {
  await world.dispose();
});

async function checked(news: Record<string, unknown>): Promise<AmbAssetInputs> {
  const result = await provider.check!({}, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as AmbAssetInputs;
}

const inputsFor = (overrides: Record<string, unknown> = {}) =>
  checked({ appId: asset.appId, accountName: "Retail", serviceId, owner: OWNER, ...overrides });

async function create(overrides: Record<string, unknown> = {}) {
  const { id, outs } = await provider.create(await inputsFor(overrides));
  return { id, outs: outs as AmbAssetOutputs };
}

/** The asset's settings and marker as the portal shows them. */
async function tenantView() {
  const current = await world.portal.getAmbAssetWithSettings(asset.id);
  return {
    engageServiceId: current.engageRegistration.serviceId,
    dataStream: current.dataStream.enabled,
    description: current.description,
  };
}

describe("check", () => {
  it("refuses Data Stream off without a reason, naming the key", async () => {
    const result = await provider.check!(
      {},
      { appId: "a", accountName: "A", serviceId: "s", owner: OWNER, dataStream: false },
    );
    expect(result.failures).toEqual([
      {
        property: "dataStreamWaiver",
        reason: expect.stringMatching(/^dataStreamWaiver: Data Stream is disabled/),
      },
    ]);
  });

  it("lets the service id still unknown during preview through", async () => {
    expect(await inputsFor({ serviceId: UNKNOWN })).toMatchObject({ serviceId: UNKNOWN, dataStream: true });
  });
});

describe("create", () => {
  it("records the asset's original settings in its marker, then registers it and turns Data Stream on", async () => {
    const { id, outs } = await create();
    expect(id).toBe(asset.id);
    expect(outs.prior).toEqual({ engageServiceId: null, dataStream: false });
    expect(await tenantView()).toEqual({
      engageServiceId: serviceId,
      dataStream: true,
      description: describeOwned("Store 12", OWNER, { engage: "none", dataStream: "off" }),
    });
  });

  it("refuses an asset another stack owns before any write, and one Apple has not approved yet", async () => {
    await world.portal.updateAmbAsset(asset.id, { name: "Retail", description: describeOwned("", OTHER) });
    await world.takeRequests();
    await expect(create()).rejects.toThrow(`is managed by stack ${OTHER}`);
    expect(writesOf(await world.takeRequests())).toEqual([]);

    const inReview = await world.seedAsset("Pending", "In review");
    await expect(create({ appId: inReview.appId, accountName: "Pending" })).rejects.toThrow(
      /is still "In review" at Apple/,
    );
  });

  it("retried after a create that failed half way, keeps the original settings and registers once", async () => {
    await world.emulator.control.addFault({
      route: "dataStream.set",
      action: { type: "status", status: 500 },
      count: 10,
    });
    await expect(create()).rejects.toThrow(/server error/);
    await world.emulator.control.clearFaults();
    // The registration's answer is lost this time: the PUT is repeated and still registers the asset once.
    await world.emulator.control.addFault({
      route: "engage.register",
      action: { type: "drop" },
      phase: "after",
      count: 1,
    });
    const { outs } = await create();
    expect(outs.prior).toEqual({ engageServiceId: null, dataStream: false });
    expect(await tenantView()).toMatchObject({ engageServiceId: serviceId, dataStream: true });
  });
});

describe("read", () => {
  it("reads the asset with its settings in one request and finds what the portal changed", async () => {
    const { id, outs } = await create();
    await world.emulator.control.unregisterEngage(asset.id);
    await world.emulator.control.setDataStream(asset.id, false);
    await world.takeRequests();
    const read = await provider.read!(id, outs);
    expect(await world.takeRequests()).toEqual({ "GET asset.getWithSettings": 1 });
    expect(read.inputs).toMatchObject({ serviceId: "", dataStream: false, owner: OWNER });
    expect(read.props).toMatchObject({ prior: outs.prior, assetId: asset.id });
  });

  it("drops an asset deleted from Webex Connect", async () => {
    const { id, outs } = await create();
    await world.portal.unregisterFromEngage(asset.id);
    await world.portal.deleteAmbAsset(asset.id);
    expect(await provider.read!(id, outs)).toEqual({});
  });

  it("reads another stack's takeover as an owner change", async () => {
    const { id, outs } = await create();
    const stored = parseOwnedDescription((await world.portal.getAmbAsset(asset.id)).description);
    await world.portal.updateAmbAsset(asset.id, {
      name: "Retail",
      description: describeOwned(stored.description, OTHER, stored.notes),
    });
    expect((await provider.read!(id, outs)).inputs).toMatchObject({ owner: OTHER });
  });
});

describe("update", () => {
  it("acts on the asset as it is, not on stale outputs: moves it back from the service the portal chose", async () => {
    const { id, outs } = await create();
    // Since the last refresh, a portal user registered the asset with another service and turned Data Stream off.
    const other = (await world.portal.createService({ name: "Other" })).value.id;
    await world.portal.unregisterFromEngage(asset.id);
    await world.portal.registerToEngage(asset.id, other);
    await world.portal.setDataStream(asset.id, false);
    const { outs: updated } = await provider.update!(id, outs, await inputsFor({ accountName: "Retail 2" }));
    expect(await tenantView()).toMatchObject({ engageServiceId: serviceId, dataStream: true });
    expect(updated).toMatchObject({ accountName: "Retail 2", prior: outs.prior });
  });

  it("refuses to take back an asset another stack took over", async () => {
    const { id, outs } = await create();
    await world.portal.updateAmbAsset(asset.id, { name: "Retail", description: describeOwned("", OTHER) });
    await world.takeRequests();
    await expect(provider.update!(id, outs, await inputsFor())).rejects.toThrow(
      `is managed by stack ${OTHER}`,
    );
    expect(writesOf(await world.takeRequests())).toEqual([]);
  });
});

describe("delete", () => {
  it("gives the asset back as it found it, and treats an asset already gone as done", async () => {
    const { id, outs } = await create();
    await provider.delete!(id, outs);
    expect(await tenantView()).toEqual({ engageServiceId: null, dataStream: false, description: "Store 12" });

    await world.portal.deleteAmbAsset(asset.id);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });

  it("restores the settings the marker recorded, even when the state's record is stale", async () => {
    const { id, outs } = await create();
    await provider.delete!(id, { ...outs, prior: { engageServiceId: serviceId, dataStream: true } });
    expect(await tenantView()).toEqual({ engageServiceId: null, dataStream: false, description: "Store 12" });
  });

  it("leaves an asset another stack has taken over to that stack", async () => {
    const { id, outs } = await create();
    await world.portal.updateAmbAsset(asset.id, { name: "Retail", description: describeOwned("", OTHER) });
    await world.takeRequests();
    await provider.delete!(id, outs);
    expect(writesOf(await world.takeRequests())).toEqual([]);
    expect(await tenantView()).toMatchObject({ engageServiceId: serviceId, dataStream: true });
  });
});
