/**
 * readStackConfig inside a Pulumi program (the runtime's mocks, no engine): it reads the stack's config through the
 * same mapping as the stack-file tests, so what they prove of the files holds for `pulumi up`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WebexConnectCredentialInput } from "../../components/integrationService";
import { readStackConfig } from "../../config/readStackConfig";
import { parseStackConfig, StackConfigError } from "../../config/stackConfig";
import { SETTINGS_ENV } from "../../lib/facts";
import {
  projectWith,
  rawOfFile,
  readStackFileConfig,
  STACKS_DIR,
  TOKEN_VALUE,
  type StackFileConfig,
} from "./support";

const STACK = "staging-retail";
const FILE = path.join(STACKS_DIR, `Pulumi.${STACK}.yaml`);
const TOKEN_KEY = "webexconnect:token";

/** The project folder of the current test: its stack file says which values are stored encrypted. */
let projectDir: string | undefined;

/**
 * The stack's config as the language host hands it to the program (strings, structured values as JSON), and the
 * stack file it came from, with `secretKeys` stored encrypted.
 */
function runWith(config: StackFileConfig, secretKeys: string[]) {
  const values = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  pulumi.runtime.setAllConfig(values, secretKeys);
  const written = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      secretKeys.includes(key) ? { secure: "v1:ciphertext" } : value,
    ]),
  );
  projectDir = projectWith(STACK, written);
}

/** readStackConfig as the program calls it, in the project folder of runWith. */
const read = () => {
  const { integrationService, ...rest } = readStackConfig(projectDir);
  const { webexConnectCredential, ...settings } = integrationService;
  return { config: { ...rest, integrationService: settings }, webexConnectCredential };
};

const outputValue = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

/** The problems readStackConfig refuses the configuration with (none when it accepts it). */
function refusal(): string[] {
  try {
    read();
    return [];
  } catch (error) {
    return (error as StackConfigError).problems;
  }
}

/** The credential's parts with their values; fails unless every part is a Pulumi secret. */
async function secretParts(credential: WebexConnectCredentialInput): Promise<Record<string, string>> {
  const parts: Record<string, string> = {};
  for (const [name, part] of Object.entries(credential)) {
    const output = pulumi.output(part as pulumi.Input<string>);
    expect([name, await pulumi.isSecret(output)]).toEqual([name, true]);
    parts[name] = await outputValue(output);
  }
  return parts;
}

describe("readStackConfig in a Pulumi program", () => {
  const savedEnv = { ...process.env };
  beforeAll(() =>
    pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
      "amb-cce-connect",
      STACK,
    ),
  );
  beforeEach(() => {
    for (const name of Object.values(SETTINGS_ENV)) delete process.env[name];
  });
  afterEach(() => {
    if (projectDir !== undefined) fs.rmSync(projectDir, { recursive: true, force: true });
    projectDir = undefined;
  });
  afterAll(() => {
    process.env = savedEnv;
  });

  it("reads the stack's config as the stack file says, with the token kept secret", async () => {
    runWith({ ...readStackFileConfig(FILE), [TOKEN_KEY]: TOKEN_VALUE }, [TOKEN_KEY]);
    const { config, webexConnectCredential } = read();
    const { secretSettings, ...parsed } = parseStackConfig(rawOfFile(FILE));
    expect(secretSettings).toEqual([]);
    expect(config).toEqual({
      ...parsed,
      integrationService: { ...parsed.integrationService, secretSettings: {} },
    });
    expect(JSON.stringify(config)).not.toContain(TOKEN_VALUE);
    expect(await secretParts(webexConnectCredential)).toEqual({ token: TOKEN_VALUE });
  });

  it("reads a setting stored encrypted (set --secret --path) as a Pulumi secret, apart from the plain ones", async () => {
    const file = readStackFileConfig(FILE);
    const section = file["amb-cce-connect:integrationService"] as { settings: Record<string, unknown> };
    const withSettings = (apiToken: unknown) => ({
      ...file,
      "amb-cce-connect:integrationService": {
        ...section,
        settings: { ...section.settings, API_TOKEN: apiToken },
      },
    });
    // The language host hands the program the value decrypted, and names the key as a secret.
    const decrypted = withSettings("api-token-7d1e");
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(decrypted).map(([key, value]) => [
          key,
          typeof value === "string" ? value : JSON.stringify(value),
        ]),
      ),
      ["amb-cce-connect:integrationService"],
    );
    projectDir = projectWith(STACK, withSettings({ secure: "v1:ciphertext" }));
    process.env[SETTINGS_ENV.token] = TOKEN_VALUE;
    const { config } = read();
    expect(config.integrationService.settings).toEqual({ LOG_LEVEL: "info" });
    expect(Object.keys(config.integrationService.secretSettings)).toEqual(["API_TOKEN"]);
    const value = config.integrationService.secretSettings.API_TOKEN;
    expect(await pulumi.isSecret(value)).toBe(true);
    expect(await outputValue(value)).toBe("api-token-7d1e");
  });

  it("refuses a token stored in plain text, without showing it", () => {
    runWith({ ...readStackFileConfig(FILE), [TOKEN_KEY]: TOKEN_VALUE }, []);
    const problems = refusal();
    expect(problems).toEqual([
      "webexconnect:token: is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
    ]);
  });

  it("takes the token, region and organization from the environment over the stack's config", async () => {
    runWith(readStackFileConfig(FILE), []);
    process.env[SETTINGS_ENV.token] = TOKEN_VALUE;
    process.env[SETTINGS_ENV.region] = "us";
    process.env[SETTINGS_ENV.organizationId] = "org-from-ci";
    const { config, webexConnectCredential } = read();
    expect(config.webexConnect).toEqual({ region: "us", orgId: "org-from-ci", credential: "token" });
    expect(await secretParts(webexConnectCredential)).toEqual({ token: TOKEN_VALUE });
  });

  it("reads the renewing credential, every part a secret, from the stack's secrets or the environment", async () => {
    const renewing = {
      "webexconnect:clientId": "client-id-in-config",
      "webexconnect:clientSecret": "client-secret-in-config",
      "webexconnect:refreshToken": "refresh-token-in-config",
    };
    runWith({ ...readStackFileConfig(FILE), ...renewing }, Object.keys(renewing));
    process.env[SETTINGS_ENV.refreshToken] = "refresh-token-from-ci";
    const { config, webexConnectCredential } = read();
    expect(config.webexConnect.credential).toBe("refreshToken");
    expect(await secretParts(webexConnectCredential)).toEqual({
      clientId: "client-id-in-config",
      clientSecret: "client-secret-in-config",
      refreshToken: "refresh-token-from-ci",
    });
  });

  it("refuses a renewing credential with a part in plain text and a part missing, naming each key", () => {
    const partial = {
      "webexconnect:clientId": "client-id-in-config",
      "webexconnect:refreshToken": "refresh-token-in-config",
    };
    runWith({ ...readStackFileConfig(FILE), ...partial }, ["webexconnect:refreshToken"]);
    const problems = refusal();
    expect(problems).toEqual([
      "webexconnect:clientId: is stored in plain text: run `pulumi config set --secret webexconnect:clientId <client id>`",
      "webexconnect:clientSecret: is missing: the renewing credential needs webexconnect:clientId, " +
        "webexconnect:clientSecret, webexconnect:refreshToken together, and only webexconnect:clientId, " +
        "webexconnect:refreshToken are set. Fix: run `pulumi config set --secret webexconnect:clientSecret " +
        "<client secret>` (or export WEBEX_CONNECT_CLIENT_SECRET), or remove webexconnect:clientId, " +
        "webexconnect:refreshToken to use webexconnect:token",
    ]);
    expect(problems.join("\n")).not.toContain("client-id-in-config");
  });

  it("takes a credential its stack file does not hold (an ESC environment) as a secret", async () => {
    runWith(readStackFileConfig(FILE), []);
    pulumi.runtime.setConfig(TOKEN_KEY, TOKEN_VALUE);
    const { webexConnectCredential } = read();
    expect(await secretParts(webexConnectCredential)).toEqual({ token: TOKEN_VALUE });
  });

  it("resolves the render folder against the project folder", () => {
    const config = readStackFileConfig(FILE);
    config["amb-cce-connect:kubernetes"] = {
      namespace: "amb-retail",
      renderYamlToDirectory: ".work/rendered/x",
    };
    runWith({ ...config, [TOKEN_KEY]: TOKEN_VALUE }, [TOKEN_KEY]);
    expect(read().config.kubernetes.renderYamlToDirectory).toBe(path.join(projectDir!, ".work/rendered/x"));
  });
});
