/** The emulator keeps its state on disk: a restart on the same data dir finds everything as it was. */
import * as fs from "node:fs";
import { startEmulator } from "../../emulator/server";
import { loadState, saveState, stateFilePath } from "../../emulator/state";
import { ORG, TEST_TOKENS, flowDefinition, makeDataDir, testClient } from "./harness";

test("state survives a restart on the same data dir", async () => {
  const dataDir = makeDataDir();
  try {
    const first = await startEmulator({ dataDir, tokens: TEST_TOKENS });
    const client = testClient(first.url);
    const asset = await first.control.seedAsset({
      organizationId: ORG,
      name: "Acme_Persist",
      status: "Online",
    });
    const { value: service } = await client.createService({ name: "svc-persist", description: "kept" });
    const credentials = await client.getServiceCredentials(service.id);
    await client.registerToEngage(asset.id, service.id);
    await client.setDataStream(asset.id, true);
    const { value: flow } = await client.importFlow(service.id, {
      name: "inbound",
      definition: flowDefinition("kept"),
    });
    const published = await client.publishFlow(service.id, flow.id, asset.id);
    await first.close();

    const second = await startEmulator({ dataDir, tokens: TEST_TOKENS });
    try {
      const again = testClient(second.url);
      expect(await again.getAmbAsset(asset.id)).toMatchObject({ appId: asset.appId, status: "Online" });
      expect(await again.getService(service.id)).toEqual(service);
      expect(await again.getServiceCredentials(service.id)).toEqual(credentials);
      expect(await again.getEngageRegistration(asset.id)).toMatchObject({
        registered: true,
        serviceId: service.id,
      });
      expect(await again.getDataStream(asset.id)).toMatchObject({ enabled: true });
      expect(await again.getFlow(service.id, flow.id)).toMatchObject({
        status: "live",
        liveVersionId: published.versionId,
      });
      expect((await again.getFlowVersion(service.id, flow.id, published.versionId)).definition).toEqual(
        flowDefinition("kept"),
      );

      const { value: newer } = await again.createService({ name: "svc-after-restart" });
      expect(newer.id).not.toBe(service.id);
      expect(fs.readdirSync(dataDir)).toEqual(["state.json"]);
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a damaged state file is reported with the fix, not silently reset", () => {
  const dataDir = makeDataDir();
  try {
    fs.writeFileSync(stateFilePath(dataDir), "{ not json");
    expect(() => loadState(dataDir)).toThrow(/not valid JSON.*delete it or use another --data-dir/);
    fs.writeFileSync(stateFilePath(dataDir), JSON.stringify({ schemaVersion: 1, nextSerial: 1, assets: [] }));
    expect(() => loadState(dataDir)).toThrow(/unexpected shape at assets/);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("saving replaces the file atomically and leaves no temp file behind", () => {
  const dataDir = makeDataDir();
  try {
    const state = loadState(dataDir);
    state.nextSerial = 42;
    saveState(dataDir, state);
    expect(fs.readdirSync(dataDir)).toEqual(["state.json"]);
    expect(loadState(dataDir).nextSerial).toBe(42);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
