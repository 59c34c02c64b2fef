/** The providers' Webex Connect settings: environment over stack config, every problem named, never the token. */
import { credentialOf, readSettings, STALE_SETTINGS_HINT } from "../../providers/settings";

const TOKEN = "wxc-token-3b1f-DO-NOT-PRINT";
const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const STACK_WITHOUT_REGION = { "webexconnect:orgId": "org-4411-contact-center", "webexconnect:token": TOKEN };
const STACK = { "webexconnect:region": "eu", ...STACK_WITHOUT_REGION };
const REGION_FIX = "pulumi config set webexconnect:region <eu|us|uk|ca|au|sg|in|jp>";
const TOKEN_FIX =
  "pulumi config set --secret webexconnect:token <token>, or export WEBEX_CONNECT_TOKEN; " +
  "for scheduled runs use the renewing credential instead (webexconnect:clientId, webexconnect:clientSecret, webexconnect:refreshToken)";

/** The problems of a refused configuration; every refusal ends with the hint about refreshes and --run-program. */
function problemsOf(values: Record<string, string>, env: NodeJS.ProcessEnv = {}): string {
  try {
    readSettings(config(values), env);
  } catch (error) {
    const message = (error as Error).message;
    expect(message.endsWith(`\n${STALE_SETTINGS_HINT}`)).toBe(true);
    return message.slice(0, -STALE_SETTINGS_HINT.length - 1);
  }
  throw new Error("the settings were accepted");
}

describe("readSettings", () => {
  it("reads the stack's config", () => {
    expect(readSettings(config(STACK), {})).toEqual({
      region: "eu",
      organizationId: "org-4411-contact-center",
      token: TOKEN,
    });
  });

  it("prefers the environment over the stack's config, and ignores empty variables", () => {
    const env = {
      WEBEX_CONNECT_REGION: "us",
      WEBEX_CONNECT_TOKEN: "token-from-ci",
      WEBEX_CONNECT_ORG_ID: "",
      WEBEX_CONNECT_BASE_URL: "http://127.0.0.1:8787",
      WEBEX_CONNECT_MODELED_BASE_URL: "http://127.0.0.1:8788",
    };
    expect(readSettings(config(STACK), env)).toEqual({
      region: "us",
      organizationId: "org-4411-contact-center",
      token: "token-from-ci",
      baseUrl: "http://127.0.0.1:8787",
      modeledBaseUrl: "http://127.0.0.1:8788",
    });
  });

  it("accepts a baseUrl in place of a region (the emulator)", () => {
    expect(
      readSettings(config({ ...STACK_WITHOUT_REGION, "webexconnect:baseUrl": "http://127.0.0.1:8787" }), {}),
    ).toEqual({
      organizationId: "org-4411-contact-center",
      token: TOKEN,
      baseUrl: "http://127.0.0.1:8787",
    });
  });

  it("names every missing key with its fix", () => {
    expect(problemsOf({})).toBe(
      "Webex Connect settings are invalid:\n" +
        "  webexconnect:orgId is missing: pulumi config set webexconnect:orgId <org id>\n" +
        `  webexconnect:token is missing: ${TOKEN_FIX}`,
    );
  });

  it("names a key set to blanks as missing", () => {
    expect(problemsOf({ ...STACK, "webexconnect:orgId": "  ", "webexconnect:token": "   " })).toBe(
      "Webex Connect settings are invalid:\n" +
        '  webexconnect:orgId ("  ") is missing: pulumi config set webexconnect:orgId <org id>\n' +
        `  webexconnect:token is missing: ${TOKEN_FIX}`,
    );
  });

  it("names invalid values with the value and the fix", () => {
    expect(
      problemsOf({ ...STACK, "webexconnect:region": "mars", "webexconnect:baseUrl": "127.0.0.1 port 8787" }),
    ).toBe(
      "Webex Connect settings are invalid:\n" +
        `  webexconnect:region ("mars") is not one of eu, us, uk, ca, au, sg, in, jp: ${REGION_FIX}\n` +
        '  webexconnect:baseUrl ("127.0.0.1 port 8787") Invalid URL: pulumi config set webexconnect:baseUrl https://…',
    );
  });

  it("asks for a region or a baseUrl when neither is set", () => {
    expect(problemsOf(STACK_WITHOUT_REGION)).toBe(
      `Webex Connect settings are invalid:\n  webexconnect:region neither a region nor a baseUrl is set: ${REGION_FIX}`,
    );
  });

  it("never shows the token, from the stack or from the environment", () => {
    const broken = { ...STACK, "webexconnect:region": "mars", "webexconnect:orgId": " " };
    for (const message of [problemsOf(broken), problemsOf(broken, { WEBEX_CONNECT_TOKEN: TOKEN })]) {
      expect(message).toContain("webexconnect:region");
      expect(message).not.toContain(TOKEN);
    }
  });
});

describe("the renewing credential", () => {
  const RENEWING = {
    "webexconnect:clientId": "C0ffee-client-id-77",
    "webexconnect:clientSecret": "secret-9a8b7c-DO-NOT-PRINT",
    "webexconnect:refreshToken": "refresh-5d4e3f-DO-NOT-PRINT",
  };
  const STACK_WITHOUT_TOKEN = {
    "webexconnect:region": "eu",
    "webexconnect:orgId": "org-4411-contact-center",
  };

  it("replaces the token: client id, secret and refresh token, named by their config keys", () => {
    const settings = readSettings(config({ ...STACK_WITHOUT_TOKEN, ...RENEWING }), {});
    expect(credentialOf(settings, {})).toEqual({
      kind: "refreshToken",
      clientId: RENEWING["webexconnect:clientId"],
      clientSecret: RENEWING["webexconnect:clientSecret"],
      refreshToken: RENEWING["webexconnect:refreshToken"],
      source: "webexconnect:refreshToken",
    });
  });

  it("wins over a token, and comes from the environment in CI, named by its variable", () => {
    const env = {
      WEBEX_CONNECT_CLIENT_ID: "ci-client",
      WEBEX_CONNECT_CLIENT_SECRET: "ci-secret",
      WEBEX_CONNECT_REFRESH_TOKEN: "ci-refresh",
    };
    expect(credentialOf(readSettings(config(STACK), env), env)).toEqual({
      kind: "refreshToken",
      clientId: "ci-client",
      clientSecret: "ci-secret",
      refreshToken: "ci-refresh",
      source: "WEBEX_CONNECT_REFRESH_TOKEN",
    });
    const tokenOnly = { WEBEX_CONNECT_TOKEN: "token-from-ci" };
    expect(credentialOf(readSettings(config(STACK), tokenOnly), tokenOnly)).toEqual({
      kind: "token",
      token: "token-from-ci",
      source: "WEBEX_CONNECT_TOKEN",
    });
  });

  it("needs all three parts, names each missing one with its fix, and never shows a value", () => {
    const partial = { ...STACK, "webexconnect:clientSecret": RENEWING["webexconnect:clientSecret"] };
    const together = "webexconnect:clientId, webexconnect:clientSecret, webexconnect:refreshToken";
    const message = problemsOf(partial);
    expect(message).toBe(
      "Webex Connect settings are invalid:\n" +
        `  webexconnect:clientId is missing (the renewing credential needs ${together} together): ` +
        "pulumi config set --secret webexconnect:clientId <client id>, or export WEBEX_CONNECT_CLIENT_ID\n" +
        `  webexconnect:refreshToken is missing (the renewing credential needs ${together} together): ` +
        "pulumi config set --secret webexconnect:refreshToken <refresh token>, or export WEBEX_CONNECT_REFRESH_TOKEN",
    );
    const blanks = problemsOf({ ...STACK_WITHOUT_TOKEN, ...RENEWING, "webexconnect:clientId": " " });
    expect(blanks).toContain("webexconnect:clientId is missing");
    for (const text of [message, blanks])
      for (const value of [...Object.values(RENEWING), TOKEN]) expect(text).not.toContain(value);
  });
});
