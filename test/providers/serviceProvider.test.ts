/** The service provider's operations run directly against the emulator (no engine): the edge cases of each. */
import { UNKNOWN } from "../../lib/facts";
import { describeOwned } from "../../providers/ownership";
import { provider, type ServiceInputs, type ServiceOutputs } from "../../providers/service";
import { startProviderWorld, writesOf, type ProviderWorld } from "./providerWorld";

const OWNER = "amb-cce-connect/dev-retail";
const OTHER = "amb-cce-connect/dev-retail-copy";

let world: ProviderWorld;
beforeEach(async () => {
  world = await startProviderWorld();
});
afterEach(async () => {
  await world.dispose();
});

/** What check makes of the inputs, as the engine would pass them to create. */
async function checked(news: Record<string, unknown>): Promise<ServiceInputs> {
  const result = await provider.check!({}, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as ServiceInputs;
}

async function create(news: Record<string, unknown>) {
  const { id, outs } = await provider.create(await checked(news));
  return { id, outs: outs as ServiceOutputs };
}

describe("check", () => {
  it("fills the defaults, and names the missing adoptId of an adoption by id", async () => {
    expect(await checked({ name: "AMB", owner: OWNER })).toEqual({
      name: "AMB",
      description: "",
      adopt: "none",
      owner: OWNER,
    });
    expect(await provider.check!({}, { name: "AMB", owner: OWNER, adopt: "byId" })).toEqual({
      failures: [
        {
          property: "adoptId",
          reason: 'adoptId: adopt is "byId" but adoptId is not set: give the id of the existing service',
        },
      ],
    });
  });

  it("lets a name still unknown during preview through, and checks the rest", async () => {
    expect(await checked({ name: UNKNOWN, owner: OWNER })).toEqual({
      name: UNKNOWN,
      description: "",
      adopt: "none",
      owner: OWNER,
    });
    expect((await provider.check!({}, { name: UNKNOWN, owner: "" })).failures).toEqual([
      { property: "owner", reason: expect.stringMatching(/^owner: /) },
    ]);
  });
});

describe("create", () => {
  it("marks the service with its owning stack and returns its credentials", async () => {
    const { id, outs } = await create({ name: "AMB Retail", description: "Retail", owner: OWNER });
    const stored = await world.portal.getService(id);
    expect(stored.description).toBe(describeOwned("Retail", OWNER));
    const { serviceKey, jwtSecret } = await world.portal.getServiceCredentials(id);
    expect(outs).toMatchObject({ serviceId: id, adopted: false, credentials: { serviceKey, jwtSecret } });
  });

  it("creates one service when the answer to the create is lost and the create is retried", async () => {
    await world.emulator.control.addFault({
      route: "service.create",
      action: { type: "drop" },
      phase: "after",
      count: 1,
    });
    const { id } = await create({ name: "AMB Retail", owner: OWNER });
    expect((await world.portal.listServices()).map((service) => service.id)).toEqual([id]);
    expect((await world.takeRequests())["POST service.create"]).toBe(1);
  });

  it("takes over its own service left by an interrupted run, and refuses another stack's of the same name", async () => {
    const left = await world.portal.createService({
      name: "AMB Retail",
      description: describeOwned("", OWNER),
    });
    expect((await create({ name: "AMB Retail", owner: OWNER })).id).toBe(left.value.id);

    await expect(create({ name: "AMB Retail", owner: OTHER })).rejects.toThrow(
      `A Webex Connect service named "AMB Retail" already exists (id ${left.value.id}) and is not managed by ` +
        `${OTHER}: set service.adopt to "byName" to use it as it is, or choose another service.name`,
    );
    expect(await world.portal.listServices()).toHaveLength(1);
  });

  it("refuses, before any write, a service for an asset another stack owns", async () => {
    const asset = await world.seedAsset("Retail");
    await world.portal.updateAmbAsset(asset.id, { name: "Retail", description: describeOwned("", OTHER) });
    await world.takeRequests();
    await expect(
      create({ name: "AMB Retail", owner: OWNER, forAsset: { appId: asset.appId } }),
    ).rejects.toThrow(`is managed by stack ${OTHER}`);
    expect(writesOf(await world.takeRequests())).toEqual([]);
    expect(await world.portal.listServices()).toEqual([]);
  });

  it("adopts by name without changing the service, and says how to fix a name that matches none", async () => {
    const existing = await world.portal.createService({ name: "Shared", description: "hand-made" });
    await world.takeRequests();
    const { id, outs } = await create({ name: "Shared", owner: OWNER, adopt: "byName" });
    expect(id).toBe(existing.value.id);
    expect(outs.adopted).toBe(true);
    expect(writesOf(await world.takeRequests())).toEqual([]);

    await expect(create({ name: "Missing", owner: OWNER, adopt: "byName" })).rejects.toThrow(
      'service.adopt is "byName" but no Webex Connect service is named "Missing": fix service.name, or set ' +
        'service.adopt to "none" to create it',
    );
  });
});

describe("read", () => {
  it("reads one object, and finds a rename made in the portal", async () => {
    const { id, outs } = await create({ name: "AMB Retail", description: "Retail", owner: OWNER });
    await world.portal.updateService(id, { name: "Renamed", description: describeOwned("Retail", OWNER) });
    await world.takeRequests();
    const read = await provider.read!(id, outs);
    expect(await world.takeRequests()).toEqual({ "GET service.get": 1 });
    expect(read.inputs).toMatchObject({ name: "Renamed", description: "Retail" });
    expect(read.props).toMatchObject({ name: "Renamed", credentials: outs.credentials });
  });

  it("reads back the inputs it was created with when nothing changed, the program's own forAsset included", async () => {
    const asset = await world.seedAsset("Retail");
    const news = {
      name: "AMB Retail",
      description: "Retail",
      owner: OWNER,
      forAsset: { appId: asset.appId },
    };
    const { id, outs } = await create(news);
    // forAsset is no field of the portal's: read keeps it, so a refresh reports no drift in it.
    expect((await provider.read!(id, outs)).inputs).toEqual(await checked(news));
  });

  it("drops a service deleted in the portal", async () => {
    const { id, outs } = await create({ name: "AMB Retail", owner: OWNER });
    await world.portal.deleteService(id);
    expect(await provider.read!(id, outs)).toEqual({});
  });

  it("keeps an adopted service's recorded inputs whatever its owner changed", async () => {
    const existing = await world.portal.createService({ name: "Shared", description: "hand-made" });
    const { id, outs } = await create({ name: "Shared", owner: OWNER, adopt: "byName" });
    await world.portal.updateService(id, { name: "Shared (renamed)", description: "edited" });
    const read = await provider.read!(id, outs);
    expect(read.inputs).toMatchObject({ name: "Shared", adopt: "byName" });
    expect(id).toBe(existing.value.id);
  });
});

describe("update", () => {
  it("writes the desired name and description, whatever the portal changed since the last refresh", async () => {
    const { id, outs } = await create({ name: "AMB Retail", description: "Retail", owner: OWNER });
    await world.portal.updateService(id, { name: "Portal name", description: "portal text" });
    const news = await checked({ name: "AMB Retail 2", description: "Retail", owner: OWNER });
    const { outs: updated } = await provider.update!(id, outs, news);
    expect(await world.portal.getService(id)).toMatchObject({
      name: "AMB Retail 2",
      description: describeOwned("Retail", OWNER),
    });
    expect(updated).toMatchObject({ serviceId: id, credentials: outs.credentials });
  });
});

describe("delete", () => {
  it("deletes its own service, and treats one already gone as deleted", async () => {
    const { id, outs } = await create({ name: "AMB Retail", owner: OWNER });
    await provider.delete!(id, outs);
    expect(await world.portal.listServices()).toEqual([]);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });

  it("never deletes an adopted service", async () => {
    await world.portal.createService({ name: "Shared", description: "hand-made" });
    const { id, outs } = await create({ name: "Shared", owner: OWNER, adopt: "byName" });
    await world.takeRequests();
    await provider.delete!(id, outs);
    expect(await world.takeRequests()).toEqual({});
    expect(await world.portal.getService(id)).toMatchObject({ name: "Shared", description: "hand-made" });
  });
});
