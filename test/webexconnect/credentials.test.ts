/**
 * The renewing credential against the emulator's token endpoint and clock: renewal before expiry, a 401 answered by
 * one renewal, an expired refresh token or 12-hour token named with how to renew it, rotation and expiry notices.
 */
import { renewalDueAt, RENEWAL_MARGIN_MS } from "../../webexconnect";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  ORG,
  REFRESH_TOKEN,
  RENEWING_CREDENTIAL,
  TOKEN,
  rejectionOf,
  startTestEmulator,
  testClient,
  type TestClient,
  type TestEmulator,
} from "./harness";
import type { OAuthClient } from "../../emulator/server";

const HOUR = 3600;

let emulator: TestEmulator;
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => emulator.dispose());

/** A clock the test moves together with the emulator's, as if the process had run that long. */
function movableClock() {
  let offsetMs = 0;
  return {
    clock: { now: () => Date.now() + offsetMs },
    advance: async (seconds: number) => {
      offsetMs += seconds * 1000;
      await emulator.control.advanceClock(seconds);
    },
  };
}

function renewingClient(overrides: Parameters<typeof testClient>[1] = {}): TestClient {
  return testClient(emulator.url, { token: undefined, credential: RENEWING_CREDENTIAL, ...overrides });
}

/**
 * A second emulator whose integration has a 60-second access token and `client` settings, and a client of it that
 * records notices and whose clock the test moves (`later`: 45 s on, so the token is due for renewal).
 */
async function withShortLivedTokens(
  client: Partial<OAuthClient>,
  body: (run: {
    client: TestClient;
    notices: string[];
    later(): void;
    emulator: TestEmulator;
  }) => Promise<void>,
) {
  const other = await startTestEmulator({
    oauthClients: {
      [CLIENT_ID]: {
        clientSecret: CLIENT_SECRET,
        refreshToken: REFRESH_TOKEN,
        organizationId: ORG,
        accessTokenSeconds: 60,
        ...client,
      },
    },
  });
  try {
    const notices: string[] = [];
    let offsetMs = 0;
    const renewing = testClient(other.url, {
      token: undefined,
      credential: { ...RENEWING_CREDENTIAL, source: "webexconnect:refreshToken" },
      notice: (message) => notices.push(message),
      clock: { now: () => Date.now() + offsetMs },
    });
    await body({ client: renewing, notices, later: () => (offsetMs += 45_000), emulator: other });
  } finally {
    await other.dispose();
  }
}

async function requestsOf(route: string) {
  return (await emulator.control.requests()).recent.filter((request) => request.route === route);
}

test("renewal is due a margin before expiry, or halfway through a short lifetime", () => {
  expect(renewalDueAt(1_000, 12 * HOUR)).toBe(1_000 + 12 * HOUR * 1000 - RENEWAL_MARGIN_MS);
  expect(renewalDueAt(0, 60)).toBe(30_000);
});

test("a process running 13 hours renews its access token before it expires: the API never sees it expired", async () => {
  const time = movableClock();
  const client = renewingClient({ clock: time.clock });
  await client.listServices();
  await time.advance(6 * HOUR);
  await client.listServices();
  expect(await requestsOf("auth.accessToken")).toHaveLength(1);

  await time.advance(7 * HOUR);
  await client.listServices();
  expect((await requestsOf("auth.accessToken")).map((request) => request.outcome)).toEqual([200, 200]);
  expect((await requestsOf("service.list")).map((request) => request.outcome)).toEqual([200, 200, 200]);
});

test("an access token the server rejects early is renewed once and the call goes through", async () => {
  const client = renewingClient();
  await client.listServices();
  // Only the emulator's clock moves: the client still believes its token is good.
  await emulator.control.advanceClock(13 * HOUR);
  await client.listServices();
  expect((await requestsOf("service.list")).map((request) => request.outcome)).toEqual([200, 401, 200]);
  expect(await requestsOf("auth.accessToken")).toHaveLength(2);
});

test("the 12-hour token, 13 hours later: which credential expired and how to renew it", async () => {
  await emulator.control.advanceClock(13 * HOUR);
  const error = await rejectionOf(
    testClient(emulator.url, {
      credential: { kind: "token", token: TOKEN, source: "webexconnect:token" },
      token: undefined,
    }).listServices(),
  );
  expect(error).toMatchObject({ name: "AuthError", status: 401, route: "service.list" });
  expect(error.message).toContain("Webex Connect rejected the access token (401) (The access token expired");
  expect(error.message).toContain("the static access token (webexconnect:token) is expired or invalid");
  expect(error.message).toContain("Personal access tokens last 12 hours");
  expect(error.message).toContain("set it as webexconnect:token");
  expect(error.message).toContain("use the renewing credential instead");
  // The renewing credential of the same organization still works.
  await renewingClient().listServices();
});

test("an expired refresh token is named, with how to renew it", async () => {
  await emulator.control.advanceClock(91 * 24 * HOUR);
  const error = await rejectionOf(
    renewingClient({
      credential: { ...RENEWING_CREDENTIAL, source: "WEBEX_CONNECT_REFRESH_TOKEN" },
    }).listServices(),
  );
  expect(error).toMatchObject({ name: "AuthError", status: 400, route: "auth.accessToken", attempts: 1 });
  expect(error.message).toContain(
    "Webex refused to renew the access token (400) (The refresh token expired.)",
  );
  expect(error.message).toContain("the refresh token (WEBEX_CONNECT_REFRESH_TOKEN) is expired or revoked");
  expect(error.message).toContain("authorize the integration again");
  expect(error.message).toContain("set the new refresh token as WEBEX_CONNECT_REFRESH_TOKEN");
  expect(await requestsOf("service.list")).toEqual([]);
});

test("a rotated refresh token is used for the rest of the run and announced once, without its value", async () => {
  await withShortLivedTokens(
    { rotateRefreshToken: true },
    async ({ client, notices, later, emulator: other }) => {
      await client.listServices();
      // The second renewal must present the rotated refresh token.
      later();
      await client.listServices();
      const grants = (await other.control.requests()).recent.filter((r) => r.route === "auth.accessToken");
      expect(grants.map((request) => request.outcome)).toEqual([200, 200]);
      expect(notices).toEqual([
        "Webex issued a new refresh token in place of webexconnect:refreshToken; this run uses it, but a Pulumi run " +
          "cannot write it back to the stack's configuration. If Webex retired the old one, the next run cannot renew: " +
          "authorize again and set the new refresh token as webexconnect:refreshToken.",
      ]);
      // Strict rotation (as this emulator client does): the next run, with the configured token, is refused.
      const nextRun = testClient(other.url, { token: undefined, credential: RENEWING_CREDENTIAL });
      const refused = await rejectionOf(nextRun.listServices());
      expect(refused.message).toContain("(The refresh token is not valid or was revoked.)");
      expect(refused.message).toContain(
        "the refresh token (the client's `credential.refreshToken`) is expired",
      );
    },
  );
});

test("a refresh token with less than 14 days left is announced once, with its expiry date", async () => {
  await withShortLivedTokens({ refreshTokenSeconds: 10 * 24 * HOUR }, async ({ client, notices, later }) => {
    await client.listServices();
    later();
    await client.listServices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^The refresh token \(webexconnect:refreshToken\) expires at \d{4}-\d\d-\d\dT[\d:.]+Z: authorize the integration or service app again before then and set the new refresh token as webexconnect:refreshToken\.$/,
    );
    expect(notices[0]).not.toContain(REFRESH_TOKEN);
  });
});

test("the token endpoint takes a form, and names the field it refuses", async () => {
  const response = await fetch(`${emulator.url}/v1/access_token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      refresh_token: REFRESH_TOKEN,
    }).toString(),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ code: "validation_failed", field: "grant_type" });
});
