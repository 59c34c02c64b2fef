/** The client against the emulator (see routeSuite.ts): Flows (modeled). */
import { flowDefinition, rejectionOf } from "../harness";
import { useRouteSuite } from "./routeSuite";

const suite = useRouteSuite();

describe("flows (modeled)", () => {
  test("import, adopt by name, save draft, rename, list with paging", async () => {
    const service = await suite.newService("svc-flows");
    const imported = await suite.client.importFlow(service.id, {
      name: "AppleMessages_inbound_flow",
      definition: flowDefinition("v1"),
    });
    expect(imported.adopted).toBe(false);
    expect(imported.value).toMatchObject({
      status: "draft",
      liveVersionId: null,
      boundAssetId: null,
      serviceId: service.id,
    });
    const again = await suite.client.importFlow(service.id, {
      name: "AppleMessages_inbound_flow",
      definition: flowDefinition("v1"),
    });
    expect(again).toEqual({ value: imported.value, adopted: true });

    const saved = await suite.client.saveFlowDraft(service.id, imported.value.id, flowDefinition("v2"));
    expect(saved.draftDefinition).toEqual(flowDefinition("v2"));
    const renamed = await suite.client.renameFlow(service.id, imported.value.id, "AppleMessages_inbound");
    expect(renamed.name).toBe("AppleMessages_inbound");
    expect((await suite.client.getFlow(service.id, imported.value.id)).name).toBe("AppleMessages_inbound");

    for (const event of ["CREATED", "QUEUED", "ROUTED", "CLOSED", "TRANSFERRED"])
      await suite.client.importFlow(service.id, {
        name: `AppleMessages_${event}`,
        definition: flowDefinition(event),
      });
    const flows = await suite.client.listFlows(service.id, { pageSize: 2 });
    expect(flows).toHaveLength(6);
    expect(await suite.client.listFlows(service.id, { name: "AppleMessages_ROUTED" })).toHaveLength(1);
    expect(await suite.client.findFlowByName(service.id, "AppleMessages_nope")).toBeUndefined();
  });

  test("publish makes immutable versions bound to exactly one asset", async () => {
    const assetA = await suite.seedOnlineAsset("Acme_FlowA");
    const assetB = await suite.seedOnlineAsset("Acme_FlowB");
    const service = await suite.newService("svc-publish");
    const flow = (
      await suite.client.importFlow(service.id, { name: "webhook", definition: flowDefinition("one") })
    ).value;

    const first = await suite.client.publishFlow(service.id, flow.id, assetA.id);
    expect(first.flow).toMatchObject({
      status: "live",
      liveVersionId: first.versionId,
      boundAssetId: assetA.id,
    });
    await suite.client.saveFlowDraft(service.id, flow.id, flowDefinition("two"));
    const second = await suite.client.publishFlow(service.id, flow.id, assetA.id);
    expect(second.versionId).not.toBe(first.versionId);

    const firstVersion = await suite.client.getFlowVersion(service.id, flow.id, first.versionId);
    expect(firstVersion).toMatchObject({
      number: 1,
      assetId: assetA.id,
      origin: "api",
      definition: flowDefinition("one"),
    });
    const versions = await suite.client.listFlowVersions(service.id, flow.id, { pageSize: 1 });
    expect(versions.map((version) => version.id)).toEqual([first.versionId, second.versionId]);

    const rebind = await rejectionOf(suite.client.publishFlow(service.id, flow.id, assetB.id));
    expect(rebind).toMatchObject({ name: "ConflictError" });
    expect(rebind.message).toContain("exactly one asset");
    const deleteLive = await rejectionOf(suite.client.deleteFlow(service.id, flow.id));
    expect(deleteLive).toMatchObject({ name: "ConflictError" });

    const inactive = await suite.client.deactivateFlow(service.id, flow.id);
    expect(inactive).toMatchObject({ status: "inactive", liveVersionId: null, boundAssetId: null });
    expect((await suite.client.deactivateFlow(service.id, flow.id)).status).toBe("inactive");
    const rebound = await suite.client.publishFlow(service.id, flow.id, assetB.id);
    expect(rebound.flow.boundAssetId).toBe(assetB.id);

    await suite.client.deactivateFlow(service.id, flow.id);
    await suite.client.deleteFlow(service.id, flow.id);
    expect(
      await rejectionOf(suite.client.getFlowVersion(service.id, flow.id, first.versionId)),
    ).toMatchObject({
      name: "NotFoundError",
    });
  });

  test("a portal edit of the live flow shows up as a new live version", async () => {
    const asset = await suite.seedOnlineAsset("Acme_Portal");
    const service = await suite.newService("svc-portal");
    const flow = (
      await suite.client.importFlow(service.id, { name: "inbound", definition: flowDefinition("ours") })
    ).value;
    const published = await suite.client.publishFlow(service.id, flow.id, asset.id);

    const edited = await suite.emulator.control.portalEditFlow(flow.id, flowDefinition("portal user"));
    const current = await suite.client.getFlow(service.id, flow.id);
    expect(current.liveVersionId).toBe(edited.id);
    expect(current.liveVersionId).not.toBe(published.versionId);
    expect(await suite.client.getFlowVersion(service.id, flow.id, edited.id)).toMatchObject({
      origin: "portal",
      number: 2,
      definition: flowDefinition("portal user"),
    });
  });

  test("400s name the offending field; unknown ids are 404s that say what was looked up", async () => {
    const service = await suite.newService("svc-validation");
    const noNodes = await rejectionOf(
      suite.client.importFlow(service.id, { name: "bad", definition: {} as never }),
    );
    expect(noNodes).toMatchObject({ name: "ValidationError" });
    expect(noNodes.field).toBe("definition.nodes");
    const missingFlow = await rejectionOf(suite.client.getFlow(service.id, "flow-missing"));
    expect(missingFlow.message).toContain(`Flow flow-missing in service ${service.id} was not found`);
    const missingService = await rejectionOf(suite.client.listFlows("svc-missing"));
    expect(missingService).toMatchObject({ name: "NotFoundError" });
  });
});
