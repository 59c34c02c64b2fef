/**
 * Under about 30% injected faults (429, 5xx before and after processing, dropped connections) the
 * client's calls still succeed within their deadline, and the emulator's state proves that no
 * write was applied twice.
 */
import type { FaultRuleInput } from "../../emulator/faults";
import {
  ORG,
  flowDefinition,
  rejectionOf,
  startTestEmulator,
  testClient,
  type TestClient,
  type TestEmulator,
} from "./harness";

const DEADLINE_MS = 10_000;

/** Roughly 30% of requests fail; "after" faults lose the response of a request that was applied. */
const THIRTY_PERCENT_FAULTS: FaultRuleInput[] = [
  { action: { type: "status", status: 429, retryAfterSeconds: 0 }, probability: 0.08 },
  { action: { type: "status", status: 503 }, probability: 0.06 },
  { action: { type: "drop" }, probability: 0.04 },
  { action: { type: "status", status: 502 }, phase: "after", probability: 0.06 },
  { action: { type: "status", status: 504 }, phase: "after", probability: 0.04 },
  { action: { type: "drop" }, phase: "after", probability: 0.04 },
];

let emulator: TestEmulator;
let client: TestClient;

beforeEach(async () => {
  emulator = await startTestEmulator({ seed: 20240611 });
  client = testClient(emulator.url, {
    retry: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 20 },
    deadlineMs: DEADLINE_MS,
  });
});
afterEach(() => emulator.dispose());

async function injectThirtyPercentFaults() {
  for (const rule of THIRTY_PERCENT_FAULTS) await emulator.control.addFault(rule);
}

async function faultsThatFired(): Promise<number> {
  return (await emulator.control.listFaults()).reduce((sum, rule) => sum + rule.fired, 0);
}

test("20 service creates with search-before-create make exactly 20 services", async () => {
  await injectThirtyPercentFaults();
  const names = Array.from({ length: 20 }, (_, index) => `svc-fault-${index}`);
  const started = Date.now();
  const results = await Promise.all(names.map((name) => client.createService({ name })));
  expect(Date.now() - started).toBeLessThan(DEADLINE_MS);

  const services = Object.values((await emulator.control.dumpState()).services);
  expect(services.map((service) => service.name).sort()).toEqual([...names].sort());
  expect(new Set(results.map((result) => result.value.id)).size).toBe(20);
  expect(await faultsThatFired()).toBeGreaterThan(10);
  const creates = (await emulator.control.requests()).counts["service.create"]?.POST ?? 0;
  expect(creates).toBeGreaterThan(20);
});

test("a flow imported and published under faults exists once, with one version", async () => {
  const asset = await emulator.control.seedAsset({
    organizationId: ORG,
    name: "Acme_Faults",
    status: "Online",
  });
  const { value: service } = await client.createService({ name: "svc-flows-under-faults" });
  await injectThirtyPercentFaults();

  for (let round = 0; round < 5; round++) {
    const name = `AppleMessages_flow_${round}`;
    const { value: flow } = await client.importFlow(service.id, { name, definition: flowDefinition(name) });
    const published = await client.publishFlow(service.id, flow.id, asset.id);
    expect(published.flow).toMatchObject({
      status: "live",
      boundAssetId: asset.id,
      liveVersionId: published.versionId,
    });
  }

  const state = await emulator.control.dumpState();
  const flows = Object.values(state.flows);
  expect(flows.map((flow) => flow.name).sort()).toEqual(
    [0, 1, 2, 3, 4].map((round) => `AppleMessages_flow_${round}`),
  );
  for (const flow of flows)
    expect(Object.values(state.versions).filter((version) => version.flowId === flow.id)).toHaveLength(1);
  expect(await faultsThatFired()).toBeGreaterThan(0);
});

test("idempotent writes and deletes converge under faults", async () => {
  const assets = await Promise.all(
    [0, 1, 2, 3].map((index) =>
      emulator.control.seedAsset({ organizationId: ORG, name: `Acme_${index}`, status: "Online" }),
    ),
  );
  const { value: service } = await client.createService({ name: "svc-converge" });
  await injectThirtyPercentFaults();

  await Promise.all(
    assets.map(async (asset) => {
      await client.registerToEngage(asset.id, service.id);
      await client.setDataStream(asset.id, true);
      await client.updateAmbAsset(asset.id, {
        name: `${asset.name} support`,
        description: "set under faults",
      });
    }),
  );
  await client.updateService(service.id, { name: "svc-converged", description: "renamed under faults" });
  await Promise.all(assets.slice(0, 2).map((asset) => client.unregisterFromEngage(asset.id)));
  await Promise.all(assets.slice(0, 2).map((asset) => client.deleteAmbAsset(asset.id)));

  const state = await emulator.control.dumpState();
  expect(Object.keys(state.assets).sort()).toEqual(
    assets
      .slice(2)
      .map((asset) => asset.id)
      .sort(),
  );
  for (const asset of Object.values(state.assets))
    expect(asset).toMatchObject({
      engageServiceId: service.id,
      dataStreamEnabled: true,
      description: "set under faults",
    });
  expect(state.services[service.id]).toMatchObject({
    name: "svc-converged",
    description: "renamed under faults",
  });
});

test("one trackingid spans a call's retries and appears in the final error", async () => {
  const { value: service } = await client.createService({ name: "svc-tracking" });
  await emulator.control.addFault({
    route: "service.get",
    action: { type: "status", status: 503 },
    count: 2,
  });
  await client.getService(service.id);
  await emulator.control.addFault({
    route: "service.get",
    action: { type: "status", status: 400 },
    count: 1,
  });
  const error = await rejectionOf(client.getService(service.id));
  expect(error).toMatchObject({ name: "ValidationError" });

  const gets = (await emulator.control.requests()).recent.filter(
    (request) => request.route === "service.get",
  );
  expect(gets.map((request) => request.outcome)).toEqual([503, 503, 200, 400]);
  expect(new Set(gets.slice(0, 3).map((request) => request.trackingId)).size).toBe(1);
  expect(gets[3].trackingId).toBe(error.trackingId);
  expect(gets[3].trackingId).not.toBe(gets[0].trackingId);
});

test("a 500 on an idempotent request is retried; the error of a lasting one has one period", async () => {
  const { value: service } = await client.createService({ name: "svc-500" });
  await emulator.control.addFault({
    route: "service.get",
    action: { type: "status", status: 500 },
    count: 1,
  });
  await expect(client.getService(service.id)).resolves.toMatchObject({ id: service.id });
  await emulator.control.addFault({
    route: "dataStream.set",
    action: { type: "status", status: 500 },
    count: 100,
  });
  const asset = await emulator.control.seedAsset({ organizationId: ORG, name: "Acme_500", status: "Online" });
  const error = await rejectionOf(client.setDataStream(asset.id, true));
  expect(error).toMatchObject({ name: "ServerError" });
  expect(error.attempts as number).toBeGreaterThan(1);
  expect(error.message).not.toMatch(/\.\./);
  const gets = (await emulator.control.requests()).recent.filter(
    (request) => request.route === "service.get",
  );
  expect(gets.slice(-2).map((request) => request.outcome)).toEqual([500, 200]);
});

test("a create whose response is lost is searched for, not repeated", async () => {
  await emulator.control.addFault({
    route: "service.create",
    action: { type: "drop" },
    phase: "after",
    count: 1,
  });
  const result = await client.createService({ name: "svc-lost-response" });
  expect(result.adopted).toBe(false);
  const counts = (await emulator.control.requests()).counts;
  expect(counts["service.create"]?.POST).toBe(1);
  expect(Object.values((await emulator.control.dumpState()).services)).toHaveLength(1);
});

test("a slow server trips the per-request timeout, and the deadline bounds the whole call", async () => {
  await emulator.control.addFault({ route: "service.list", action: { type: "latency", ms: 300 } });
  // Each attempt lasts its 50 ms timeout (a timer may fire a millisecond early), so at most some 20 fit in the 1 s
  // deadline: ending there, far below the 50 attempts allowed, proves the deadline ended the call, on any machine
  // however loaded (a wall-clock bound failed once under load 12).
  const maxAttempts = 50;
  const impatient = testClient(emulator.url, {
    requestTimeoutMs: 50,
    deadlineMs: 1_000,
    retry: { maxAttempts, baseDelayMs: 5, maxDelayMs: 10 },
  });
  const error = await rejectionOf(impatient.listServices());
  expect(error).toMatchObject({ name: "NetworkError" });
  expect(error.code).toBe("ETIMEDOUT");
  expect(error.attempts as number).toBeGreaterThan(1);
  expect(error.attempts as number).toBeLessThanOrEqual(25);
});
