/**
 * The client against the emulator, for every route of the route table and every error path (401, 403, 404, 409,
 * 400, 429 after retries, AMB create refused).
 *
 * What this cannot show: a difference from the real Webex Connect. The client and the emulator are built from one
 * shared route table (webexconnect/routes.ts) and one set of schemas, so a route or a field that is wrong there is
 * wrong in both, and both agree. Only the routes marked "documented" in routes.ts come from Cisco's published API.
 * Each test starts from its own data and runs alone (`-t`); everyRoute.test.ts drives every route on an emulator of its own.
 */

import { ORG, startTestEmulator, testClient, type TestClient, type TestEmulator } from "../harness";

/** What the route-table suites share: an emulator of the file's own, a client on it, and ways to seed data. */
export interface RouteSuite {
  readonly emulator: TestEmulator;
  readonly client: TestClient;
  seedOnlineAsset(name: string): ReturnType<TestEmulator["control"]["seedAsset"]>;
  newService(name: string): Promise<Awaited<ReturnType<TestClient["createService"]>>["value"]>;
}

/** Registers the file's emulator start and stop; the emulator and the client are there once tests run. */
export function useRouteSuite(): RouteSuite {
  let emulator: TestEmulator | undefined;
  let client: TestClient | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    client = testClient(emulator.url);
  });
  afterAll(() => emulator?.dispose());
  const suite: RouteSuite = {
    get emulator() {
      if (!emulator) throw new Error("the route suite's emulator is used before beforeAll started it");
      return emulator;
    },
    get client() {
      if (!client) throw new Error("the route suite's client is used before beforeAll created it");
      return client;
    },
    seedOnlineAsset: (name) =>
      suite.emulator.control.seedAsset({ organizationId: ORG, name, status: "Online" }),
    newService: async (name) =>
      (await suite.client.createService({ name, description: `${name} for tests` })).value,
  };
  return suite;
}
