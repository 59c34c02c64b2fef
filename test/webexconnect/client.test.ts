import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createWebexConnectClient } from "../../webexconnect";
import { mspLinkWithAccountName } from "../../lib/appleRegistration";
import { ORG, TOKEN, rejectionOf, startTestEmulator, testClient, type TestEmulator } from "./harness";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.dispose());

/** A server that answers every request with the given status, headers and body. */
async function fixedServer(status: number, body: string, headers: Record<string, string> = {}) {
  const server = http.createServer((_, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("options", () => {
  test("a bad configuration is refused up front, naming every problem and its fix", () => {
    expect(() =>
      createWebexConnectClient({
        token: " ",
        organizationId: "",
        region: "mars" as never,
        deadlineMs: 0,
        pageSize: 500,
      }),
    ).toThrow(
      /token is empty.*organizationId is empty.*region "mars" is unknown.*deadlineMs 0 is not a positive.*pageSize 500 is out of range/,
    );
    expect(() => createWebexConnectClient({ token: "t", organizationId: "o" })).toThrow(
      /set region .* or baseUrl/,
    );
  });

  test("a modeled route without a tenant URL fails before any request, saying what to set", async () => {
    const client = createWebexConnectClient({ token: TOKEN, organizationId: ORG, region: "jp" });
    const error = await rejectionOf(client.findServiceByName("svc-anywhere"));
    expect(error).toMatchObject({ name: "ConfigurationError" });
    expect(error.message).toContain("modeledBaseUrl");
  });

  test("modeledBaseUrl sends modeled routes to the tenant URL", async () => {
    const client = createWebexConnectClient({
      token: TOKEN,
      organizationId: ORG,
      region: "eu",
      modeledBaseUrl: emulator.url,
    });
    expect(await client.findServiceByName("svc-nowhere")).toBeUndefined();
  });
});

describe("responses", () => {
  test("a response of the wrong shape is an UnexpectedResponseError naming the field", async () => {
    const server = await fixedServer(200, JSON.stringify({ id: "svc-1", name: 42 }));
    try {
      const error = await rejectionOf(testClient(server.url).getService("svc-1"));
      expect(error).toMatchObject({ name: "UnexpectedResponseError" });
      expect(error.message).toMatch(/name: .*expected string/);
    } finally {
      await server.close();
    }
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    const retryAt = new Date(Date.parse("2030-01-01T00:00:00Z"));
    const server = await fixedServer(503, "{}", { "retry-after": retryAt.toUTCString() });
    try {
      const sleeps: number[] = [];
      const clock = {
        now: () => retryAt.getTime() - 3_000,
        sleep: async (ms: number) => void sleeps.push(ms),
      };
      const error = await rejectionOf(
        testClient(server.url, { clock, retry: { maxAttempts: 2 } }).getService("svc-1"),
      );
      expect(error).toMatchObject({ name: "ServerError" });
      expect(sleeps).toEqual([3_000]);
    } finally {
      await server.close();
    }
  });

  test("a server error that outlasts the retries says after how many attempts, as a lasting 429 does", async () => {
    const server = await fixedServer(503, JSON.stringify({ code: "unavailable", message: "Try later." }));
    try {
      let now = 0;
      const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
      const error = await rejectionOf(
        testClient(server.url, {
          clock,
          retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 40 },
        }).getService("svc-1"),
      );
      expect(error).toMatchObject({ name: "ServerError", attempts: 3 });
      expect(error.message).toMatch(
        new RegExp(
          `^Webex Connect still failed with a server error \\(503\\) after 3 attempts over ${now} ms: Try later\\. ` +
            "It is usually transient",
        ),
      );
    } finally {
      await server.close();
    }
  });

  test("the deadline stops retries whose wait would not fit", async () => {
    const server = await fixedServer(429, "{}", { "retry-after": "30" });
    try {
      const sleeps: number[] = [];
      const clock = { now: () => 1_000, sleep: async (ms: number) => void sleeps.push(ms) };
      const error = await rejectionOf(testClient(server.url, { clock, deadlineMs: 20_000 }).listServices());
      expect(error).toMatchObject({ kind: "rate_limited", attempts: 1 });
      expect(sleeps).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test("a create guarded by search stops when its pauses use up the operation's deadline", async () => {
    const server = http.createServer((request, response) => {
      const listing = request.method === "GET";
      response.writeHead(listing ? 200 : 502, { "content-type": "application/json" });
      response.end(listing ? JSON.stringify({ items: [], page: 1, pageSize: 50, total: 0 }) : "{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      let now = 0;
      const clock = { now: () => now, sleep: async (ms: number) => void (now += ms), random: () => 0.99 };
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = testClient(url, {
        clock,
        deadlineMs: 50,
        retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 100 },
      });
      const error = await rejectionOf(client.createService({ name: "svc-late" }));
      expect(error).toMatchObject({
        kind: "network",
        code: "ETIMEDOUT",
        route: "service.create",
        ambiguous: false,
      });
      expect(error.message).toContain("deadline of 50 ms passed before this request was sent");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("a DELETE repeated after a lost response and answered 404 counts as done", async () => {
    const client = testClient(emulator.url);
    const { value: service } = await client.createService({ name: "svc-delete-lost" });
    await emulator.control.addFault({
      route: "service.delete",
      action: { type: "drop" },
      phase: "after",
      count: 1,
    });
    await client.deleteService(service.id);
    expect((await emulator.control.requests()).counts["service.delete"]?.DELETE).toBe(2);
    expect((await rejectionOf(client.getService(service.id))).kind).toBe("not_found");
  });
});

describe("MSP link", () => {
  test("appends &name= once, and explains a link that is not Webex Connect's for the account", () => {
    const link = "https://business-chat.imiconnect.io/applebusinesschat/login?id=0f3c";
    expect(mspLinkWithAccountName(link, " TestAccount_Cisco ")).toBe(`${link}&name=TestAccount_Cisco`);
    expect(mspLinkWithAccountName(`${link}&name=Acme_Support`, "Acme_Support")).toBe(
      `${link}&name=Acme_Support`,
    );
    expect(() => mspLinkWithAccountName(`${link}&name=Old`, "Acme_Support")).toThrow(
      /names the account "Old", but asset.accountName is "Acme_Support"/,
    );
    expect(() => mspLinkWithAccountName("https://business-chat.example.net/login?id=0f3c", "A")).toThrow(
      /is on the host "business-chat.example.net", not on Webex Connect's business-chat.imiconnect.io/,
    );
    expect(() => mspLinkWithAccountName("business-chat/login", "A")).toThrow(/is not an https URL/);
    expect(() => mspLinkWithAccountName("https://business-chat.imiconnect.io/login", "A")).toThrow(
      /no id parameter/,
    );
    expect(() => mspLinkWithAccountName(link, " ")).toThrow(/accountName is empty/);
  });
});
