/** The providers' one client factory: built from configure's settings by default, replaced by tests. */
import type * as pulumi from "@pulumi/pulumi";
import { replaceClientFactory, webexClient } from "../../providers/client";
import { provider } from "../../providers/service";
import { ORG, startTestEmulator, testClient, TOKEN, type TestEmulator } from "../webexconnect/harness";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.dispose();
});

function stackConfig(values: Record<string, string>): pulumi.dynamic.Config {
  return {
    get: (key) => values[key],
    require: (key) => {
      if (values[key] === undefined) throw new Error(`missing ${key}`);
      return values[key];
    },
  };
}

const OWNER = "amb-cce-connect/dev-retail";
const SETTINGS = () => ({
  "webexconnect:orgId": ORG,
  "webexconnect:token": TOKEN,
  "webexconnect:baseUrl": emulator.url,
});

test("by default the providers' client is built from the settings configure was given", async () => {
  await provider.configure!({ config: stackConfig(SETTINGS()) });
  const { id } = await provider.create({ name: "Configured", description: "", adopt: "none", owner: OWNER });
  expect((await testClient(emulator.url).getService(id)).name).toBe("Configured");

  await expect(provider.configure!({ config: stackConfig({ "webexconnect:token": TOKEN }) })).rejects.toThrow(
    /webexconnect:orgId is missing/,
  );
});

test("a replaced factory builds the one client every provider call uses, until the default is restored", async () => {
  const built: unknown[] = [];
  const restore = replaceClientFactory(() => {
    const client = testClient(emulator.url);
    built.push(client);
    return client;
  });
  try {
    expect(webexClient()).toBe(webexClient());
    expect(built).toEqual([webexClient()]);
  } finally {
    restore();
  }
  await provider.configure!({ config: stackConfig(SETTINGS()) });
  expect(built).not.toContain(webexClient());
});
