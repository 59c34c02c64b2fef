/**
 * readStackConfig inside a Pulumi program (the runtime's mocks, no engine): it reads the stack's config through the
 * same mapping as the stack-file tests, so what they prove of the files holds for `pulumi up`.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "../../config/readStackConfig";
import { parseStackConfig, StackConfigError } from "../../config/stackConfig";
import { SETTINGS_ENV } from "../../lib/facts";
import { rawOfFile, readStackFileConfig, STACKS_DIR, TOKEN_VALUE, type StackFileConfig } from "./support";

const STACK = "staging-retail";
const FILE = path.join(STACKS_DIR, `Pulumi.${STACK}.yaml`);
const TOKEN_KEY = "webexconnect:token";

/** The stack's config as the language host hands it to the program: strings, structured values as JSON. */
function runWith(config: StackFileConfig, secretKeys: string[]) {
  const values = Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  pulumi.runtime.setAllConfig(values, secretKeys);
}

const outputValue = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

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
  afterAll(() => {
    process.env = savedEnv;
  });

  it("reads the stack's config as the stack file says, with the token kept secret", async () => {
    runWith({ ...readStackFileConfig(FILE), [TOKEN_KEY]: TOKEN_VALUE }, [TOKEN_KEY]);
    const { config, webexConnectToken } = readStackConfig("/project");
    expect(config).toEqual(parseStackConfig(rawOfFile(FILE)));
    expect(JSON.stringify(config)).not.toContain(TOKEN_VALUE);
    expect(await pulumi.isSecret(webexConnectToken)).toBe(true);
    expect(await outputValue(webexConnectToken)).toBe(TOKEN_VALUE);
  });

  it("refuses a token stored in plain text, without showing it", () => {
    runWith({ ...readStackFileConfig(FILE), [TOKEN_KEY]: TOKEN_VALUE }, []);
    let problems: string[] = [];
    try {
      readStackConfig("/project");
    } catch (error) {
      problems = (error as StackConfigError).problems;
    }
    expect(problems).toEqual([
      "webexconnect:token: is stored in plain text: run `pulumi config set --secret webexconnect:token <token>`",
    ]);
  });

  it("takes the token, region and organization from the environment over the stack's config", async () => {
    runWith(readStackFileConfig(FILE), []);
    process.env[SETTINGS_ENV.token] = TOKEN_VALUE;
    process.env[SETTINGS_ENV.region] = "us";
    process.env[SETTINGS_ENV.organizationId] = "org-from-ci";
    const { config, webexConnectToken } = readStackConfig("/project");
    expect(config.webexConnect).toEqual({ region: "us", orgId: "org-from-ci", tokenIsSecret: true });
    expect(await pulumi.isSecret(webexConnectToken)).toBe(true);
    expect(await outputValue(webexConnectToken)).toBe(TOKEN_VALUE);
  });

  it("resolves the render folder against the project folder", () => {
    const config = readStackFileConfig(FILE);
    config["amb-cce-connect:kubernetes"] = {
      namespace: "amb-retail",
      renderYamlToDirectory: ".work/rendered/x",
    };
    runWith({ ...config, [TOKEN_KEY]: TOKEN_VALUE }, [TOKEN_KEY]);
    expect(readStackConfig("/project").config.kubernetes.renderYamlToDirectory).toBe(
      "/project/.work/rendered/x",
    );
  });
});
