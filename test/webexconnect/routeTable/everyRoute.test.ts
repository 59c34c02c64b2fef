/** The client reaches every route of the route table, on an emulator of its own (see routeSuite.ts). */
import { ROUTE_NAMES } from "../../../webexconnect";
import {
  ORG,
  RENEWING_CREDENTIAL,
  flowDefinition,
  rejectionOf,
  startTestEmulator,
  testClient,
} from "../harness";

test("the client reaches every route of the route table (on an emulator of its own, so it runs alone)", async () => {
  const own = await startTestEmulator();
  try {
    // The renewing credential makes the client call the token route first.
    const api = testClient(own.url, { token: undefined, credential: RENEWING_CREDENTIAL });
    const asset = await own.control.seedAsset({ organizationId: ORG, name: "Acme_Routes", status: "Online" });
    expect(await rejectionOf(api.createAmbAsset({ name: "Acme_Routes" }))).toMatchObject({
      name: "ValidationError",
    });
    await api.listAmbAssets();
    await api.getAmbAsset(asset.id);
    await api.getAmbAssetWithSettings(asset.id);
    await api.updateAmbAsset(asset.id, { name: "Acme routes", description: "" });
    const service = (await api.createService({ name: "svc-routes" })).value;
    await api.listServices();
    await api.getService(service.id);
    await api.updateService(service.id, { name: "svc-routes", description: "every route" });
    await api.getServiceCredentials(service.id);
    await api.getEngageRegistration(asset.id);
    await api.registerToEngage(asset.id, service.id);
    await api.unregisterFromEngage(asset.id);
    await api.getDataStream(asset.id);
    await api.setDataStream(asset.id, true);
    const flow = (await api.importFlow(service.id, { name: "routes", definition: flowDefinition("routes") }))
      .value;
    await api.listFlows(service.id);
    await api.getFlow(service.id, flow.id);
    await api.saveFlowDraft(service.id, flow.id, flowDefinition("routes, second draft"));
    await api.renameFlow(service.id, flow.id, "routes-renamed");
    await api.publishFlow(service.id, flow.id, asset.id);
    const [version] = await api.listFlowVersions(service.id, flow.id);
    await api.getFlowVersion(service.id, flow.id, version.id);
    await api.deactivateFlow(service.id, flow.id);
    await api.deleteFlow(service.id, flow.id);
    await api.deleteService(service.id);
    await api.deleteAmbAsset(asset.id);
    const { counts } = await own.control.requests();
    expect(ROUTE_NAMES.filter((route) => !counts[route])).toEqual([]);
  } finally {
    await own.dispose();
  }
});
