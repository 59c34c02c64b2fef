/** The client against the emulator (see routeSuite.ts): Services (modeled). */
import { ORG, flowDefinition, rejectionOf } from "../harness";
import { useRouteSuite } from "./routeSuite";

const suite = useRouteSuite();

describe("services (modeled)", () => {
  test("create adopts an existing service of the same name instead of duplicating it", async () => {
    const first = await suite.client.createService({ name: "svc-adopt" });
    const second = await suite.client.createService({ name: "svc-adopt" });
    expect(first.adopted).toBe(false);
    expect(second).toEqual({ value: first.value, adopted: true });
    expect(await suite.client.listServices({ name: "svc-adopt" })).toHaveLength(1);
  });

  test("get, list with paging and name filter, rename, credentials, delete", async () => {
    const names = ["svc-page-1", "svc-page-2", "svc-page-3"];
    const services = [];
    for (const name of names) services.push(await suite.newService(name));
    const all = await suite.client.listServices({ pageSize: 2 });
    expect(all.map((service) => service.name)).toEqual(expect.arrayContaining(names));
    expect(await suite.client.findServiceByName("svc-page-2")).toMatchObject({ id: services[1].id });

    const renamed = await suite.client.updateService(services[0].id, {
      name: "svc-page-1-renamed",
      description: "new",
    });
    expect(renamed).toMatchObject({ name: "svc-page-1-renamed", description: "new" });
    expect(await suite.client.getService(services[0].id)).toEqual(renamed);

    const credentials = await suite.client.getServiceCredentials(services[0].id);
    expect(credentials.serviceId).toBe(services[0].id);
    expect(Buffer.from(credentials.jwtSecret, "base64")).toHaveLength(32);
    expect(credentials.serviceKey).not.toBe("");
    expect(JSON.stringify(renamed)).not.toContain(credentials.jwtSecret);

    await suite.client.deleteService(services[2].id);
    const gone = await rejectionOf(suite.client.getService(services[2].id));
    expect(gone).toMatchObject({ name: "NotFoundError" });
    expect(gone.message).toContain(`Service ${services[2].id} was not found in organization ${ORG}`);
  });

  test("a service with a live flow or an Engage registration cannot be deleted", async () => {
    const asset = await suite.seedOnlineAsset("Acme_SvcDelete");
    const service = await suite.newService("svc-busy");
    const flow = (
      await suite.client.importFlow(service.id, { name: "live", definition: flowDefinition("live") })
    ).value;
    await suite.client.publishFlow(service.id, flow.id, asset.id);
    expect(await rejectionOf(suite.client.deleteService(service.id))).toMatchObject({
      name: "ConflictError",
    });

    await suite.client.deactivateFlow(service.id, flow.id);
    await suite.client.registerToEngage(asset.id, service.id);
    const registered = await rejectionOf(suite.client.deleteService(service.id));
    expect(registered).toMatchObject({ name: "ConflictError" });
    expect(registered.message).toContain(asset.id);

    await suite.client.unregisterFromEngage(asset.id);
    await suite.client.deleteService(service.id);
    expect(await rejectionOf(suite.client.getFlow(service.id, flow.id))).toMatchObject({
      name: "NotFoundError",
    });
  });
});
