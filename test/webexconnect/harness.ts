/** Shared setup for the Webex Connect tests: an emulator on a temp data dir and a client with small backoffs. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clientOn } from "../../webexconnect/client";
import { openConnection, type WebexConnectClientOptions } from "../../webexconnect/connection";
import { testOnlyCalls } from "./testOnlyCalls";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";

export const ORG = "org-acme";
export const OTHER_ORG = "org-other";
export const TOKEN = "tok-acme-5f0c2d9e7b1a";
export const OTHER_TOKEN = "tok-other-8a7b6c5d4e3f";
/** Holds only read permissions: for 403-with-scope tests. */
export const READ_ONLY_TOKEN = "tok-readonly-1a2b3c4d5e";

export const TEST_TOKENS: EmulatorOptions["tokens"] = {
  [TOKEN]: { organizationId: ORG },
  [OTHER_TOKEN]: { organizationId: OTHER_ORG },
  [READ_ONLY_TOKEN]: { organizationId: ORG, permissions: ["assets:read", "services:read", "flows:read"] },
};

/** The renewing credential of an integration authorized for ORG. */
export const CLIENT_ID = "client-acme-2b7d";
export const CLIENT_SECRET = "client-secret-acme-9d8c1f";
export const REFRESH_TOKEN = "refresh-acme-7e6f5a4b3c";
export const RENEWING_CREDENTIAL = {
  kind: "refreshToken",
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  refreshToken: REFRESH_TOKEN,
} as const;

export const TEST_OAUTH_CLIENTS: EmulatorOptions["oauthClients"] = {
  [CLIENT_ID]: { clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, organizationId: ORG },
};

export interface TestEmulator extends RunningEmulator {
  dataDir: string;
  /** Closes the server and removes the data dir. */
  dispose(): Promise<void>;
}

export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "wxc-emulator-"));
}

export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? makeDataDir();
  const emulator = await startEmulator({
    seed: 7,
    tokens: TEST_TOKENS,
    oauthClients: TEST_OAUTH_CLIENTS,
    ...options,
    dataDir,
  });
  return {
    ...emulator,
    dataDir,
    dispose: async () => {
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The client with small backoffs, plus the calls only tests make (testOnlyCalls.ts) on the same connection. */
export function testClient(url: string, overrides: Partial<WebexConnectClientOptions> = {}) {
  const connection = openConnection({
    baseUrl: url,
    token: TOKEN,
    organizationId: ORG,
    retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 40 },
    deadlineMs: 10_000,
    requestTimeoutMs: 2_000,
    ...overrides,
  });
  return { ...clientOn(connection), ...testOnlyCalls(connection) };
}

export type TestClient = ReturnType<typeof testClient>;

export function flowDefinition(label: string) {
  return {
    nodes: [
      { id: 1, type: "start", label },
      { id: 2, type: "cceCreateTask", domain: "cc.example.com" },
    ],
  };
}

/** Resolves with the rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
