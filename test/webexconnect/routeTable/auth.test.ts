/** The client against the emulator (see routeSuite.ts): Auth, permissions, rate limits and the renewing credential. */
import {
  ORG,
  OTHER_TOKEN,
  READ_ONLY_TOKEN,
  RENEWING_CREDENTIAL,
  rejectionOf,
  startTestEmulator,
  testClient,
} from "../harness";
import { useRouteSuite } from "./routeSuite";

const suite = useRouteSuite();

describe("auth, permissions and rate limits", () => {
  test("a bad token is an AuthError that says how to get a fresh one", async () => {
    const badToken = "expired-token-123456";
    const error = await rejectionOf(testClient(suite.emulator.url, { token: badToken }).getService("svc-x"));
    expect(error).toMatchObject({ name: "AuthError" });
    expect(error).toMatchObject({ status: 401, route: "service.get", method: "GET", attempts: 1 });
    expect(error.message).toMatch(/fresh|refresh/);
    expect(error.message).not.toContain(badToken);
  });

  test("a token of another organization is a PermissionError", async () => {
    const error = await rejectionOf(testClient(suite.emulator.url, { token: OTHER_TOKEN }).listServices());
    expect(error).toMatchObject({ name: "PermissionError" });
    expect(error.message).toContain(`organization ${ORG}`);
  });

  test("a token without a permission is a PermissionError naming it", async () => {
    const readOnly = testClient(suite.emulator.url, { token: READ_ONLY_TOKEN });
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
    const before = (await suite.emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0;
    const renewing = testClient(suite.emulator.url, { token: undefined, credential: RENEWING_CREDENTIAL });
    await Promise.all([renewing.listServices(), renewing.listServices(), renewing.listAmbAssets()]);
    const { counts, recent } = await suite.emulator.control.requests();
    expect((counts["auth.accessToken"]?.POST ?? 0) - before).toBe(1);
    expect(recent.filter((request) => request.route === "auth.accessToken").at(-1)?.outcome).toBe(200);
  });

  test("a wrong client secret is refused as an expired or revoked refresh token, naming it", async () => {
    const error = await rejectionOf(
      testClient(suite.emulator.url, {
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
