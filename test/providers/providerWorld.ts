/**
 * Provider unit tests without the engine: an in-process emulator (a real HTTP server on loopback) and the providers'
 * client factory swapped for a client of that emulator with short backoffs. The test then calls a provider's
 * check/diff/create/read/update/delete as the engine would, and looks at the tenant through the same API (as a
 * portal user would change it) and at the requests the emulator counted.
 */
import { replaceClientFactory } from "../../providers/client";
import type { HttpMethod, RouteName } from "../../webexconnect/routes";
import { ORG, startTestEmulator, testClient, type TestEmulator } from "../webexconnect/harness";

export interface ProviderWorld {
  emulator: TestEmulator;
  /** A second client of the same tenant: the portal user who changes things between two runs. */
  portal: ReturnType<typeof testClient>;
  /** The requests since the last call, as `"<METHOD> <route>": count`. */
  takeRequests(): Promise<Record<string, number>>;
  /** Seeds an AMB asset as Apple registration leaves it ("Online" unless told otherwise). */
  seedAsset(name: string, status?: "Online" | "In review"): Promise<{ id: string; appId: string }>;
  dispose(): Promise<void>;
}

export async function startProviderWorld(): Promise<ProviderWorld> {
  const emulator = await startTestEmulator();
  const restore = replaceClientFactory(() => testClient(emulator.url));
  let assets = 0;
  return {
    emulator,
    portal: testClient(emulator.url),
    async takeRequests() {
      const { counts } = await emulator.control.requests();
      await emulator.control.clearRequests();
      const flat: Record<string, number> = {};
      for (const [route, methods] of Object.entries(counts) as Array<[RouteName, Record<HttpMethod, number>]>)
        for (const [method, count] of Object.entries(methods)) flat[`${method} ${route}`] = count;
      return flat;
    },
    async seedAsset(name, status = "Online") {
      assets += 1;
      const appId = `app-${assets}-${name.toLowerCase()}`;
      return emulator.control.seedAsset({ organizationId: ORG, name, appId, status });
    },
    async dispose() {
      restore();
      await emulator.dispose();
    },
  };
}

/** Only the writes of a request count: what a refused or read-only operation must leave empty. */
export function writesOf(requests: Record<string, number>): string[] {
  return Object.keys(requests).filter((key) => !key.startsWith("GET "));
}
