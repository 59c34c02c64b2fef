/** The providers' Webex Connect settings: environment over stack config, every problem named, never the token. */
import { readSettings } from "../../providers/settings";

const TOKEN = "wxc-token-3b1f-DO-NOT-PRINT";
const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const STACK_WITHOUT_REGION = { "webexconnect:orgId": "org-4411-contact-center", "webexconnect:token": TOKEN };
const STACK = { "webexconnect:region": "eu", ...STACK_WITHOUT_REGION };
const REGION_FIX = "pulumi config set webexconnect:region <eu|us|uk|ca|au|sg|in|jp>";
const TOKEN_FIX =
  "pulumi config set --secret webexconnect:token <token>, or export WEBEX_CONNECT_TOKEN; " +
  "for scheduled runs use the renewing credential instead (webexconnect:clientId, webexconnect:clientSecret, webexconnect:refreshToken)";

function problemsOf(values: Record<string, string>, env: NodeJS.ProcessEnv = {}): string {
  try {
    readSettings(config(values), env);
  } catch (error) {
    return (error as Error).message;
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
