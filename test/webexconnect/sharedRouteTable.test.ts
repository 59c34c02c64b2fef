/**
 * The client against the emulator, for every route of the route table and every error path (401, 403, 404, 409,
 * 400, 429 after retries, AMB create refused).
 *
 * What this cannot show: a difference from the real Webex Connect. The client and the emulator are built from one
 * shared route table (webexconnect/routes.ts) and one set of schemas, so a route or a field that is wrong there is
 * wrong in both, and both agree. Only the routes marked "documented" in routes.ts come from Cisco's published API.
 * Each test starts from its own data and runs alone (`-t`); the last one drives every route on an emulator of its own.
 */
import { ROUTE_NAMES } from "../../webexconnect";
import {
  ORG,
  OTHER_TOKEN,
  READ_ONLY_TOKEN,
  RENEWING_CREDENTIAL,
  flowDefinition,
  rejectionOf,
  startTestEmulator,
  testClient,
  type TestClient,
  type TestEmulator,
} from "./harness";

let emulator: TestEmulator;
let client: TestClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = testClient(emulator.url);
});
afterAll(() => emulator.dispose());

async function seedOnlineAsset(name: string) {
  return emulator.control.seedAsset({ organizationId: ORG, name, status: "Online" });
}

async function newService(name: string) {
  return (await client.createService({ name, description: `${name} for tests` })).value;
}

describe("AMB assets (documented asset API)", () => {
  test("lists every page and maps the Apple account id to ambAccountId", async () => {
    const seeded = await Promise.all(
      ["Acme_A", "Acme_B", "Acme_C"].map((name) => emulator.control.seedAsset({ organizationId: ORG, name })),
    );
    const listCalls = async () => (await emulator.control.requests()).counts["asset.list"]?.GET ?? 0;
    const callsBefore = await listCalls();
    const listed = await client.listAmbAssets({ pageSize: 2 });
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
    const seeded = await seedOnlineAsset("Acme_Find");
    expect((await client.getAmbAssetByAppId(seeded.appId)).id).toBe(seeded.id);
    expect(await client.findAmbAssetByAppId("no-such-app")).toBeUndefined();
    const error = await rejectionOf(client.getAmbAssetByAppId("no-such-app"));
    expect(error).toMatchObject({ name: "NotFoundError" });
    expect(error.message).toContain(`AMB asset with App ID no-such-app was not found in organization ${ORG}`);
    expect(error.message).toContain("register.apple.com");
  });

  test("reads and updates an asset; Apple-owned fields are refused with their name", async () => {
    const seeded = await seedOnlineAsset("Acme_Update");
    const updated = await client.updateAmbAsset(seeded.id, {
      name: "Acme support",
      description: "AMB for support",
    });
    expect(updated).toMatchObject({
      name: "Acme support",
      description: "AMB for support",
      accountName: "Acme_Update",
    });
    expect(await client.getAmbAsset(seeded.id)).toEqual(updated);

    const blank = await rejectionOf(client.updateAmbAsset(seeded.id, { name: " ", description: "" }));
    expect(blank).toMatchObject({ name: "ValidationError" });
    expect(blank.field).toBe("name");
    const appIdChange = await rejectionOf(
      client.updateAmbAsset(seeded.id, { name: "x", description: "", appId: "other" } as never),
    );
    expect(appIdChange).toMatchObject({ kind: "validation", field: "appId", status: 400 });
  });

  test("creating an AMB asset is refused with the Apple registration steps and the &name= link", async () => {
    const error = await rejectionOf(client.createAmbAsset({ name: "TestAccount_Cisco" }));
    expect(error).toMatchObject({ name: "ValidationError" });
    expect(error).toMatchObject({ field: "channel", route: "asset.create", method: "POST", status: 400 });
    expect(error.message).toContain("https://register.apple.com");
    expect(error.message).toContain("&name=TestAccount_Cisco");
  });

  test("deletes an asset; an asset bound to a live flow is a conflict until the flow is deactivated", async () => {
    const asset = await seedOnlineAsset("Acme_Delete");
    const service = await newService("svc-delete-asset");
    const flow = (await client.importFlow(service.id, { name: "bound", definition: flowDefinition("bound") }))
      .value;
    await client.publishFlow(service.id, flow.id, asset.id);

    const conflict = await rejectionOf(client.deleteAmbAsset(asset.id));
    expect(conflict).toMatchObject({ name: "ConflictError" });
    expect(conflict.message).toContain("deactivate");

    await client.deactivateFlow(service.id, flow.id);
    await client.deleteAmbAsset(asset.id);
    const gone = await rejectionOf(client.getAmbAsset(asset.id));
    expect(gone).toMatchObject({ name: "NotFoundError" });
    expect(gone.message).toContain(`AMB asset ${asset.id} was not found in organization ${ORG}`);
  });
});

describe("Webex Engage registration and Data Stream (modeled)", () => {
  test("registers to one service, refuses a second, unregisters", async () => {
    const asset = await seedOnlineAsset("Acme_Engage");
    const service = await newService("svc-engage");
    const other = await newService("svc-engage-other");
    expect(await client.getEngageRegistration(asset.id)).toEqual({
      assetId: asset.id,
      registered: false,
      serviceId: null,
    });

    expect(await client.registerToEngage(asset.id, service.id)).toMatchObject({
      registered: true,
      serviceId: service.id,
    });
    expect(await client.registerToEngage(asset.id, service.id)).toMatchObject({
      registered: true,
      serviceId: service.id,
    });
    const conflict = await rejectionOf(client.registerToEngage(asset.id, other.id));
    expect(conflict).toMatchObject({ name: "ConflictError" });
    expect(conflict.message).toContain("unregister");

    const unknownService = await rejectionOf(client.registerToEngage(asset.id, "svc-missing"));
    expect(unknownService).toMatchObject({ kind: "validation", field: "serviceId" });

    expect(await client.unregisterFromEngage(asset.id)).toMatchObject({ registered: false, serviceId: null });
    expect(await client.getEngageRegistration(asset.id)).toMatchObject({ registered: false });
  });

  test("toggles Data Stream per asset", async () => {
    const asset = await seedOnlineAsset("Acme_Stream");
    expect(await client.getDataStream(asset.id)).toEqual({ assetId: asset.id, enabled: false });
    expect(await client.setDataStream(asset.id, true)).toEqual({ assetId: asset.id, enabled: true });
    expect(await client.getDataStream(asset.id)).toEqual({ assetId: asset.id, enabled: true });
    const invalid = await rejectionOf(client.setDataStream(asset.id, "yes" as never));
    expect(invalid).toMatchObject({ kind: "validation", field: "enabled" });
  });

  test("the asset read with its settings answers both settings with the asset, in one request", async () => {
    const asset = await seedOnlineAsset("Acme_Settings");
    const service = await newService("svc-settings");
    await client.registerToEngage(asset.id, service.id);
    await client.setDataStream(asset.id, true);
    expect(await client.getAmbAssetWithSettings(asset.id)).toEqual({
      ...(await client.getAmbAsset(asset.id)),
      engageRegistration: await client.getEngageRegistration(asset.id),
      dataStream: await client.getDataStream(asset.id),
    });
    expect(await client.getAmbAssetWithSettings(asset.id)).toMatchObject({
      engageRegistration: { registered: true, serviceId: service.id },
      dataStream: { enabled: true },
    });
    const gone = await rejectionOf(client.getAmbAssetWithSettings("amb-missing"));
    expect(gone).toMatchObject({ name: "NotFoundError" });
    expect(gone.message).toContain("AMB asset amb-missing");
  });

  test("unknown asset ids are 404s that name the asset", async () => {
    const error = await rejectionOf(client.getDataStream("amb-missing"));
    expect(error).toMatchObject({ name: "NotFoundError" });
    expect(error.message).toContain("AMB asset amb-missing");
  });
});

describe("services (modeled)", () => {
  test("create adopts an existing service of the same name instead of duplicating it", async () => {
    const first = await client.createService({ name: "svc-adopt" });
    const second = await client.createService({ name: "svc-adopt" });
    expect(first.adopted).toBe(false);
    expect(second).toEqual({ value: first.value, adopted: true });
    expect(await client.listServices({ name: "svc-adopt" })).toHaveLength(1);
  });

  test("get, list with paging and name filter, rename, credentials, delete", async () => {
    const names = ["svc-page-1", "svc-page-2", "svc-page-3"];
    const services = [];
    for (const name of names) services.push(await newService(name));
    const all = await client.listServices({ pageSize: 2 });
    expect(all.map((service) => service.name)).toEqual(expect.arrayContaining(names));
    expect(await client.findServiceByName("svc-page-2")).toMatchObject({ id: services[1].id });

    const renamed = await client.updateService(services[0].id, {
      name: "svc-page-1-renamed",
      description: "new",
    });
    expect(renamed).toMatchObject({ name: "svc-page-1-renamed", description: "new" });
    expect(await client.getService(services[0].id)).toEqual(renamed);

    const credentials = await client.getServiceCredentials(services[0].id);
    expect(credentials.serviceId).toBe(services[0].id);
    expect(Buffer.from(credentials.jwtSecret, "base64")).toHaveLength(32);
    expect(credentials.serviceKey).not.toBe("");
    expect(JSON.stringify(renamed)).not.toContain(credentials.jwtSecret);

    await client.deleteService(services[2].id);
    const gone = await rejectionOf(client.getService(services[2].id));
    expect(gone).toMatchObject({ name: "NotFoundError" });
    expect(gone.message).toContain(`Service ${services[2].id} was not found in organization ${ORG}`);
  });

  test("a service with a live flow or an Engage registration cannot be deleted", async () => {
    const asset = await seedOnlineAsset("Acme_SvcDelete");
    const service = await newService("svc-busy");
    const flow = (await client.importFlow(service.id, { name: "live", definition: flowDefinition("live") }))
      .value;
    await client.publishFlow(service.id, flow.id, asset.id);
    expect(await rejectionOf(client.deleteService(service.id))).toMatchObject({ name: "ConflictError" });

    await client.deactivateFlow(service.id, flow.id);
    await client.registerToEngage(asset.id, service.id);
    const registered = await rejectionOf(client.deleteService(service.id));
    expect(registered).toMatchObject({ name: "ConflictError" });
    expect(registered.message).toContain(asset.id);

    await client.unregisterFromEngage(asset.id);
    await client.deleteService(service.id);
    expect(await rejectionOf(client.getFlow(service.id, flow.id))).toMatchObject({ name: "NotFoundError" });
  });
});

describe("flows (modeled)", () => {
  test("import, adopt by name, save draft, rename, list with paging", async () => {
    const service = await newService("svc-flows");
    const imported = await client.importFlow(service.id, {
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
    const again = await client.importFlow(service.id, {
      name: "AppleMessages_inbound_flow",
      definition: flowDefinition("v1"),
    });
    expect(again).toEqual({ value: imported.value, adopted: true });

    const saved = await client.saveFlowDraft(service.id, imported.value.id, flowDefinition("v2"));
    expect(saved.draftDefinition).toEqual(flowDefinition("v2"));
    const renamed = await client.renameFlow(service.id, imported.value.id, "AppleMessages_inbound");
    expect(renamed.name).toBe("AppleMessages_inbound");
    expect((await client.getFlow(service.id, imported.value.id)).name).toBe("AppleMessages_inbound");

    for (const event of ["CREATED", "QUEUED", "ROUTED", "CLOSED", "TRANSFERRED"])
      await client.importFlow(service.id, {
        name: `AppleMessages_${event}`,
        definition: flowDefinition(event),
      });
    const flows = await client.listFlows(service.id, { pageSize: 2 });
    expect(flows).toHaveLength(6);
    expect(await client.listFlows(service.id, { name: "AppleMessages_ROUTED" })).toHaveLength(1);
    expect(await client.findFlowByName(service.id, "AppleMessages_nope")).toBeUndefined();
  });

  test("publish makes immutable versions bound to exactly one asset", async () => {
    const assetA = await seedOnlineAsset("Acme_FlowA");
    const assetB = await seedOnlineAsset("Acme_FlowB");
    const service = await newService("svc-publish");
    const flow = (await client.importFlow(service.id, { name: "webhook", definition: flowDefinition("one") }))
      .value;

    const first = await client.publishFlow(service.id, flow.id, assetA.id);
    expect(first.flow).toMatchObject({
      status: "live",
      liveVersionId: first.versionId,
      boundAssetId: assetA.id,
    });
    await client.saveFlowDraft(service.id, flow.id, flowDefinition("two"));
    const second = await client.publishFlow(service.id, flow.id, assetA.id);
    expect(second.versionId).not.toBe(first.versionId);

    const firstVersion = await client.getFlowVersion(service.id, flow.id, first.versionId);
    expect(firstVersion).toMatchObject({
      number: 1,
      assetId: assetA.id,
      origin: "api",
      definition: flowDefinition("one"),
    });
    const versions = await client.listFlowVersions(service.id, flow.id, { pageSize: 1 });
    expect(versions.map((version) => version.id)).toEqual([first.versionId, second.versionId]);

    const rebind = await rejectionOf(client.publishFlow(service.id, flow.id, assetB.id));
    expect(rebind).toMatchObject({ name: "ConflictError" });
    expect(rebind.message).toContain("exactly one asset");
    const deleteLive = await rejectionOf(client.deleteFlow(service.id, flow.id));
    expect(deleteLive).toMatchObject({ name: "ConflictError" });

    const inactive = await client.deactivateFlow(service.id, flow.id);
    expect(inactive).toMatchObject({ status: "inactive", liveVersionId: null, boundAssetId: null });
    expect((await client.deactivateFlow(service.id, flow.id)).status).toBe("inactive");
    const rebound = await client.publishFlow(service.id, flow.id, assetB.id);
    expect(rebound.flow.boundAssetId).toBe(assetB.id);

    await client.deactivateFlow(service.id, flow.id);
    await client.deleteFlow(service.id, flow.id);
    expect(await rejectionOf(client.getFlowVersion(service.id, flow.id, first.versionId))).toMatchObject({
      name: "NotFoundError",
    });
  });

  test("a portal edit of the live flow shows up as a new live version", async () => {
    const asset = await seedOnlineAsset("Acme_Portal");
    const service = await newService("svc-portal");
    const flow = (
      await client.importFlow(service.id, { name: "inbound", definition: flowDefinition("ours") })
    ).value;
    const published = await client.publishFlow(service.id, flow.id, asset.id);

    const edited = await emulator.control.portalEditFlow(flow.id, flowDefinition("portal user"));
    const current = await client.getFlow(service.id, flow.id);
    expect(current.liveVersionId).toBe(edited.id);
    expect(current.liveVersionId).not.toBe(published.versionId);
    expect(await client.getFlowVersion(service.id, flow.id, edited.id)).toMatchObject({
      origin: "portal",
      number: 2,
      definition: flowDefinition("portal user"),
    });
  });

  test("400s name the offending field; unknown ids are 404s that say what was looked up", async () => {
    const service = await newService("svc-validation");
    const noNodes = await rejectionOf(
      client.importFlow(service.id, { name: "bad", definition: {} as never }),
    );
    expect(noNodes).toMatchObject({ name: "ValidationError" });
    expect(noNodes.field).toBe("definition.nodes");
    const missingFlow = await rejectionOf(client.getFlow(service.id, "flow-missing"));
    expect(missingFlow.message).toContain(`Flow flow-missing in service ${service.id} was not found`);
    const missingService = await rejectionOf(client.listFlows("svc-missing"));
    expect(missingService).toMatchObject({ name: "NotFoundError" });
  });
});

describe("auth, permissions and rate limits", () => {
  test("a bad token is an AuthError that says how to get a fresh one", async () => {
    const badToken = "expired-token-123456";
    const error = await rejectionOf(testClient(emulator.url, { token: badToken }).getService("svc-x"));
    expect(error).toMatchObject({ name: "AuthError" });
    expect(error).toMatchObject({ status: 401, route: "service.get", method: "GET", attempts: 1 });
    expect(error.message).toMatch(/fresh|refresh/);
    expect(error.message).not.toContain(badToken);
  });

  test("a token of another organization is a PermissionError", async () => {
    const error = await rejectionOf(testClient(emulator.url, { token: OTHER_TOKEN }).listServices());
    expect(error).toMatchObject({ name: "PermissionError" });
    expect(error.message).toContain(`organization ${ORG}`);
  });

  test("a token without a permission is a PermissionError naming it", async () => {
    const readOnly = testClient(emulator.url, { token: READ_ONLY_TOKEN });
    expect(Array.isArray(await readOnly.listServices())).toBe(true);
    const error = await rejectionOf(readOnly.createService({ name: "svc-readonly" }));
    expect(error).toMatchObject({ name: "PermissionError" });
    expect(error.requiredScope).toBe("services:write");
    expect(error.message).toContain('"services:write"');
  });

  test("429s are retried honouring Retry-After, then surface as RateLimitedError with the attempt count", async () => {
    const limited = await startTestEmulator({
      tokens: {
        "tok-limited-000": { organizationId: ORG, rateLimit: { capacity: 1, refillPerSecond: 0.5 } },
      },
    });
    try {
      const sleeps: number[] = [];
      const limitedClient = testClient(limited.url, {
        token: "tok-limited-000",
        retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 },
        clock: { sleep: async (ms) => void sleeps.push(ms) },
      });
      await limitedClient.listServices();
      const error = await rejectionOf(limitedClient.listServices());
      expect(error).toMatchObject({ name: "RateLimitedError" });
      expect(error).toMatchObject({ status: 429, attempts: 3 });
      expect(error.message).toContain("after 3 attempts");
      expect(sleeps).toHaveLength(2);
      for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(1000);
    } finally {
      await limited.dispose();
    }
  });
});

describe("the renewing credential (OAuth refresh-token grant)", () => {
  test("renews an access token once and calls the API with it, not with the refresh token", async () => {
    const before = (await emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0;
    const renewing = testClient(emulator.url, { token: undefined, credential: RENEWING_CREDENTIAL });
    await Promise.all([renewing.listServices(), renewing.listServices(), renewing.listAmbAssets()]);
    const { counts, recent } = await emulator.control.requests();
    expect((counts["auth.accessToken"]?.POST ?? 0) - before).toBe(1);
    expect(recent.filter((request) => request.route === "auth.accessToken").at(-1)?.outcome).toBe(200);
  });

  test("a wrong client secret is refused as an expired or revoked refresh token, naming it", async () => {
    const error = await rejectionOf(
      testClient(emulator.url, {
        token: undefined,
        credential: {
          ...RENEWING_CREDENTIAL,
          clientSecret: "not-the-secret",
          source: "webexconnect:refreshToken",
        },
      }).listServices(),
    );
    expect(error).toMatchObject({ name: "AuthError", route: "auth.accessToken", status: 401, attempts: 1 });
    expect(error.message).toMatch(/^Webex refused to renew the access token \(401\)/);
    expect(error.message).toContain("the refresh token (webexconnect:refreshToken) is expired or revoked");
  });
});

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
