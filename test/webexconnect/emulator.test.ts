/** Emulator behaviour seen over raw HTTP, and its small parts (fault injector, token bucket). */
import { createFaultInjector, seededRandom } from "../../emulator/faults";
import { createRateLimiter } from "../../emulator/rateLimit";
import { CONTROL_TOKEN_HEADER } from "../../emulator/controlApi";
import { ORG, OTHER_ORG, TOKEN, startTestEmulator, type TestEmulator } from "./harness";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.dispose());

async function raw(path: string, init: RequestInit = {}, organizationId = ORG) {
  const response = await fetch(`${emulator.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, "x-organization-id": organizationId, ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe("HTTP surface", () => {
  test("unknown paths are 404 and known paths with another method are 405", async () => {
    expect((await raw("/v1/nothing")).status).toBe(404);
    expect((await raw("/v1/services", { method: "DELETE" })).status).toBe(405);
  });

  test("missing organization header is a 400 naming it; unknown token a 401", async () => {
    const missing = await fetch(`${emulator.url}/v1/services`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ field: "x-organization-id" });
    expect((await raw("/v1/services", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });

  test("bodies must be JSON, page sizes are bounded, the asset API only serves channel=applebusinesschat", async () => {
    const badJson = await raw("/v1/services", {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect(badJson).toMatchObject({ status: 400, body: { code: "invalid_json", field: "body" } });
    expect((await raw("/v1/services?pageSize=1000")).body).toMatchObject({ field: "pageSize" });
    expect((await raw("/v2/digital/app?channel=email")).body).toMatchObject({ field: "channel" });
  });

  test("organizations are isolated: another organization's ids are 404", async () => {
    const asset = await emulator.control.seedAsset({ organizationId: OTHER_ORG, name: "Other_Org" });
    expect((await raw(`/v2/digital/app/${asset.id}?channel=applebusinesschat`)).status).toBe(404);
  });

  test("the control surface needs its own token", async () => {
    expect((await fetch(`${emulator.url}/_emulator/state`)).status).toBe(401);
    const withApiToken = await fetch(`${emulator.url}/_emulator/state`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(withApiToken.status).toBe(401);
    const wrong = await fetch(`${emulator.url}/_emulator/state`, {
      headers: { [CONTROL_TOKEN_HEADER]: "guess" },
    });
    expect(wrong.status).toBe(401);
  });

  test("fault rules are validated: a 429 after processing would lie to the client", async () => {
    await expect(
      emulator.control.addFault({ action: { type: "status", status: 429 }, phase: "after" }),
    ).rejects.toThrow(/phase/);
  });

  test("reset empties the state", async () => {
    await emulator.control.seedAsset({ organizationId: ORG, name: "To_Reset" });
    await emulator.control.reset();
    const state = await emulator.control.dumpState();
    expect([state.assets, state.services, state.flows, state.versions]).toEqual([{}, {}, {}, {}]);
  });
});

describe("fault injector", () => {
  test("count-limited rules fire exactly that often, for their route and method only", () => {
    const faults = createFaultInjector(seededRandom(1));
    faults.add({
      route: "service.get",
      method: "GET",
      action: { type: "status", status: 503 },
      phase: "before",
      count: 2,
    });
    const fired = [1, 2, 3].map(() => faults.fire("service.get", "GET", "before").terminal);
    expect(fired).toEqual([{ type: "status", status: 503 }, { type: "status", status: 503 }, undefined]);
    expect(faults.fire("service.list", "GET", "before").terminal).toBeUndefined();
    expect(faults.fire("service.get", "GET", "after").terminal).toBeUndefined();
  });

  test("probabilities are repeatable from a seed and close to the asked rate", () => {
    const run = (seed: number) => {
      const faults = createFaultInjector(seededRandom(seed));
      faults.add({ action: { type: "drop" }, phase: "before", probability: 0.3 });
      return Array.from(
        { length: 1000 },
        () => faults.fire("flow.get", "GET", "before").terminal !== undefined,
      );
    };
    expect(run(42)).toEqual(run(42));
    const rate = run(42).filter(Boolean).length / 1000;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
  });

  test("latency adds up and does not stop a status rule", () => {
    const faults = createFaultInjector(seededRandom(3));
    faults.add({ action: { type: "latency", ms: 20 }, phase: "before" });
    faults.add({ action: { type: "latency", ms: 30 }, phase: "before" });
    faults.add({ action: { type: "status", status: 502 }, phase: "before" });
    expect(faults.fire("asset.get", "GET", "before")).toEqual({
      latencyMs: 50,
      terminal: { type: "status", status: 502 },
    });
  });
});

describe("token bucket", () => {
  test("allows a burst, then asks to wait until a token has refilled", () => {
    let now = 0;
    const limiter = createRateLimiter(() => now);
    const limit = { capacity: 2, refillPerSecond: 0.25 };
    expect([limiter.take("t", limit), limiter.take("t", limit)]).toEqual([
      { allowed: true },
      { allowed: true },
    ]);
    expect(limiter.take("t", limit)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    expect(limiter.take("other", limit)).toEqual({ allowed: true });
    now = 4_000;
    expect(limiter.take("t", limit)).toEqual({ allowed: true });
  });
});
