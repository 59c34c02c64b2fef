/**
 * What the onboarding tests share: a temporary stacks folder with staging-retail and prod-retail (fresh for each
 * test), good flags, and the problems of a run that must fail after checking that it wrote nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { NewStackError } from "../../ops/onboarding";
import { newStackFromArgs } from "../../scripts/newStack";
import { readStackFileConfig, STACKS_DIR, type StackFileConfig } from "../config/support";

export type Mapping = Record<string, unknown>;

export const CREDENTIAL_STEP =
  "set the Webex Connect credential, each part with pulumi config set --secret <key> <value> --stack " +
  "staging-billing: for scheduled runs webexconnect:clientId, webexconnect:clientSecret, webexconnect:refreshToken " +
  "(CI: WEBEX_CONNECT_CLIENT_ID, WEBEX_CONNECT_CLIENT_SECRET, WEBEX_CONNECT_REFRESH_TOKEN); or a 12-hour " +
  "webexconnect:token (CI: WEBEX_CONNECT_TOKEN)";

const GOOD_FLAGS = {
  "--env": "staging",
  "--asset": "billing",
  "--app-id": "b7d2e4f1-billing",
  "--amb-account-id": "5d2c8e4f-1a3b-4c6d-9e8f-7a6b5c4d3e2f",
  "--account-name": "Billing_Desk",
  "--fqdn": "amb-billing.staging.cc.example.com",
};

let dir: string;
/** The temporary stacks folder of the running test. */
export const stacksDir = () => dir;

/** A stack file in the temporary stacks folder: staging-retail's config with some sections changed. */
export function writeStack(name: string, edit: (config: StackFileConfig) => void = () => {}) {
  const config = readStackFileConfig(path.join(STACKS_DIR, "Pulumi.staging-retail.yaml"));
  edit(config);
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify({ config }));
}

export const section = (config: StackFileConfig, name: string) =>
  config[`amb-cce-connect:${name}`] as Mapping;

/** The default template of a staging stack, with its own App ID, changed further by `edit`. */
export const writeStagingRetail = (edit: (config: StackFileConfig) => void = () => {}) =>
  writeStack("staging-retail", (config) => {
    section(config, "asset").appId = "app-retail-staging";
    edit(config);
  });

/** An earlier staging-billing stack file, with another App ID and FQDN than GOOD_FLAGS. */
export const writeEarlierBilling = () =>
  writeStack("staging-billing", (config) => {
    section(config, "asset").key = "billing";
    section(config, "asset").appId = "app-billing-old";
    section(config, "edge").fqdn = "amb-billing-old.staging.cc.example.com";
  });

export function argv(flags: Record<string, string | undefined> = {}, ...extra: string[]): string[] {
  const all: Record<string, string | undefined> = { ...GOOD_FLAGS, "--out-dir": dir, ...flags };
  return [
    ...Object.entries(all).flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
    ...extra,
  ];
}

/** The problems of a run that must fail, after checking that it wrote nothing. */
export function problemsOf(args: string[]): readonly string[] {
  const before = fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]);
  let problems: readonly string[] | undefined;
  try {
    newStackFromArgs(args);
  } catch (error) {
    if (!(error instanceof NewStackError)) throw error;
    problems = error.problems;
  }
  const after = fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]);
  expect(after).toEqual(before);
  if (problems === undefined) throw new Error("the run succeeded");
  return problems;
}

/** A fresh stacks folder for each test of the calling file. */
export function useStacksFolder(): void {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "new-stack-"));
    writeStagingRetail();
    writeStack("prod-retail", (config) => {
      config["amb-cce-connect:environment"] = "prod";
      section(config, "asset").appId = "app-retail-prod";
      section(config, "edge").fqdn = "amb-retail.prod.cc.example.com";
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
}
