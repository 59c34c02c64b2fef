/** The client against the emulator (see routeSuite.ts): AMB assets (documented asset API), their Webex Engage registration and Data Stream (modeled). */
import { ORG, flowDefinition, rejectionOf } from "../harness";
import { useRouteSuite } from "./routeSuite";

const suite = useRouteSuite();

describe("AMB assets (documented asset API)", () => {
  test("lists every page and maps the Apple account id to ambAccountId", async () => {
    const seeded = await Promise.all(
      ["Acme_A", "Acme_B", "Acme_C"].map((name) =>
        suite.emulator.control.seedAsset({ organizationId: ORG, name }),
      ),
    );
    const listCalls = async () => (await suite.emulator.control.requests()).counts["asset.list"]?.GET ?? 0;
    const callsBefore = await listCalls();
    const listed = await suite.client.listAmbAssets({ pageSize: 2 });
    expect(listed.map((asset) => asset.id)).toEqual(expect.arrayContaining(seeded.map((asset) => asset.id)));
    const first = listed.find((asset) => asset.id === seeded[0].id)!;
    expect(first).toMatchObject({
      appId: seeded[0].appId,
      ambAccountId: seeded[0].abcAccountId,
      accountName: "Acme_A",
      status: "In review",
      channel: "applebusinesschat",
      channelId: 23,
    });
    expect((await listCalls()) - callsBefore).toBe(Math.ceil(listed.length / 2));
  });

  test("finds an asset by App ID, and names App ID and organization when it is missing", async () => {
    const seeded = await suite.seedOnlineAsset("Acme_Find");
    expect((await suite.client.getAmbAssetByAppId(seeded.appId)).id).toBe(seeded.id);
    expect(await suite.client.findAmbAssetByAppId("no-such-app")).toBeUndefined();
    const error = await rejectionOf(suite.client.getAmbAssetByAppId("no-such-app"));
    expect(error).toMatchObject({ name: "NotFoundError" });
    expect(error.message).toContain(`AMB asset with App ID no-such-app was not found in organization ${ORG}`);
    expect(error.message).toContain("register.apple.com");
  });

  test("reads and updates an asset; Apple-owned fields are refused with their name", async () => {
    const seeded = await suite.seedOnlineAsset("Acme_Update");
    const updated = await suite.client.updateAmbAsset(seeded.id, {
      name: "Acme support",
      description: "AMB for support",
    });
    expect(updated).toMatchObject({
      name: "Acme support",
      description: "AMB for support",
      accountName: "Acme_Update",
    });
    expect(await suite.client.getAmbAsset(seeded.id)).toEqual(updated);

    const blank = await rejectionOf(suite.client.updateAmbAsset(seeded.id, { name: " ", description: "" }));
    expect(blank).toMatchObject({ name: "ValidationError" });
    expect(blank.field).toBe("name");
    const appIdChange = await rejectionOf(
      suite.client.updateAmbAsset(seeded.id, { name: "x", description: "", appId: "other" } as never),
    );
    expect(appIdChange).toMatchObject({ kind: "validation", field: "appId", status: 400 });
  });

  test("creating an AMB asset is refused with the Apple registration steps and the &name= link", async () => {
    const error = await rejectionOf(suite.client.createAmbAsset({ name: "TestAccount_Cisco" }));
    expect(error).toMatchObject({ name: "ValidationError" });
    expect(error).toMatchObject({ field: "channel", route: "asset.create", method: "POST", status: 400 });
    expect(error.message).toContain("https://register.apple.com");
    expect(error.message).toContain("&name=TestAccount_Cisco");
  });

  test("deletes an asset; an asset bound to a live flow is a conflict until the flow is deactivated", async () => {
    const asset = await suite.seedOnlineAsset("Acme_Delete");
    const service = await suite.newService("svc-delete-asset");
    const flow = (
      await suite.client.importFlow(service.id, { name: "bound", definition: flowDefinition("bound") })
    ).value;
    await suite.client.publishFlow(service.id, flow.id, asset.id);

    const conflict = await rejectionOf(suite.client.deleteAmbAsset(asset.id));
    expect(conflict).toMatchObject({ name: "ConflictError" });
    expect(conflict.message).toContain("deactivate");

    await suite.client.deactivateFlow(service.id, flow.id);
    await suite.client.deleteAmbAsset(asset.id);
    const gone = await rejectionOf(suite.client.getAmbAsset(asset.id));
    expect(gone).toMatchObject({ name: "NotFoundError" });
    expect(gone.message).toContain(`AMB asset ${asset.id} was not found in organization ${ORG}`);
  });
});

describe("Webex Engage registration and Data Stream (modeled)", () => {
  test("registers to one service, refuses a second, unregisters", async () => {
    const asset = await suite.seedOnlineAsset("Acme_Engage");
    const service = await suite.newService("svc-engage");
    const other = await suite.newService("svc-engage-other");
    expect(await suite.client.getEngageRegistration(asset.id)).toEqual({
      assetId: asset.id,
      registered: false,
      serviceId: null,
    });

    expect(await suite.client.registerToEngage(asset.id, service.id)).toMatchObject({
      registered: true,
      serviceId: service.id,
    });
    expect(await suite.client.registerToEngage(asset.id, service.id)).toMatchObject({
      registered: true,
      serviceId: service.id,
    });
    const conflict = await rejectionOf(suite.client.registerToEngage(asset.id, other.id));
    expect(conflict).toMatchObject({ name: "ConflictError" });
    expect(conflict.message).toContain("unregister");

    const unknownService = await rejectionOf(suite.client.registerToEngage(asset.id, "svc-missing"));
    expect(unknownService).toMatchObject({ kind: "validation", field: "serviceId" });

    expect(await suite.client.unregisterFromEngage(asset.id)).toMatchObject({
      registered: false,
      serviceId: null,
    });
    expect(await suite.client.getEngageRegistration(asset.id)).toMatchObject({ registered: false });
  });

  test("toggles Data Stream per asset", async () => {
    const asset = await suite.seedOnlineAsset("Acme_Stream");
    expect(await suite.client.getDataStream(asset.id)).toEqual({ assetId: asset.id, enabled: false });
    expect(await suite.client.setDataStream(asset.id, true)).toEqual({ assetId: asset.id, enabled: true });
    expect(await suite.client.getDataStream(asset.id)).toEqual({ assetId: asset.id, enabled: true });
    const invalid = await rejectionOf(suite.client.setDataStream(asset.id, "yes" as never));
    expect(invalid).toMatchObject({ kind: "validation", field: "enabled" });
  });

  test("the asset read with its settings answers both settings with the asset, in one request", async () => {
    const asset = await suite.seedOnlineAsset("Acme_Settings");
    const service = await suite.newService("svc-settings");
    await suite.client.registerToEngage(asset.id, service.id);
    await suite.client.setDataStream(asset.id, true);
    expect(await suite.client.getAmbAssetWithSettings(asset.id)).toEqual({
      ...(await suite.client.getAmbAsset(asset.id)),
      engageRegistration: await suite.client.getEngageRegistration(asset.id),
      dataStream: await suite.client.getDataStream(asset.id),
    });
    expect(await suite.client.getAmbAssetWithSettings(asset.id)).toMatchObject({
      engageRegistration: { registered: true, serviceId: service.id },
      dataStream: { enabled: true },
    });
    const gone = await rejectionOf(suite.client.getAmbAssetWithSettings("amb-missing"));
    expect(gone).toMatchObject({ name: "NotFoundError" });
    expect(gone.message).toContain("AMB asset amb-missing");
  });

  test("unknown asset ids are 404s that name the asset", async () => {
    const error = await rejectionOf(suite.client.getDataStream("amb-missing"));
    expect(error).toMatchObject({ name: "NotFoundError" });
    expect(error.message).toContain("AMB asset amb-missing");
  });
});
