/** The onboarding script: a good run writes a stack file the program accepts; bad flags write nothing. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { parseStackConfig } from "../../config/stackConfig";
import { NewStackError } from "../../ops/onboarding";
import { newStackFromArgs as newStack } from "../../scripts/new-stack";
import { rawOfFile, readStackFileConfig, STACKS_DIR, type StackFileConfig } from "../config/support";

type Mapping = Record<string, unknown>;

const CREDENTIAL_STEP =
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

/** A stack file in the temporary stacks folder: staging-retail's config with some sections changed. */
function writeStack(name: string, edit: (config: StackFileConfig) => void = () => {}) {
  const config = readStackFileConfig(path.join(STACKS_DIR, "Pulumi.staging-retail.yaml"));
  edit(config);
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify({ config }));
}

const section = (config: StackFileConfig, name: string) => config[`amb-cce-connect:${name}`] as Mapping;

/** The default template of a staging stack, with its own App ID, changed further by `edit`. */
const writeStagingRetail = (edit: (config: StackFileConfig) => void = () => {}) =>
  writeStack("staging-retail", (config) => {
    section(config, "asset").appId = "app-retail-staging";
    edit(config);
  });

/** An earlier staging-billing stack file, with another App ID and FQDN than GOOD_FLAGS. */
const writeEarlierBilling = () =>
  writeStack("staging-billing", (config) => {
    section(config, "asset").key = "billing";
    section(config, "asset").appId = "app-billing-old";
    section(config, "edge").fqdn = "amb-billing-old.staging.cc.example.com";
  });

function argv(flags: Record<string, string | undefined> = {}, ...extra: string[]): string[] {
  const all: Record<string, string | undefined> = { ...GOOD_FLAGS, "--out-dir": dir, ...flags };
  return [
    ...Object.entries(all).flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
    ...extra,
  ];
}

/** The problems of a run that must fail, after checking that it wrote nothing. */
function problemsOf(args: string[]): readonly string[] {
  const before = fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]);
  let problems: readonly string[] | undefined;
  try {
    newStack(args);
  } catch (error) {
    if (!(error instanceof NewStackError)) throw error;
    problems = error.problems;
  }
  const after = fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]);
  expect(after).toEqual(before);
  if (problems === undefined) throw new Error("the run succeeded");
  return problems;
}

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

describe("a good run", () => {
  it("writes a stack file the program accepts, with the template's tenant, edge and cluster", () => {
    const created = newStack(
      argv({ "--msp-link": "https://business-chat.imiconnect.io/applebusinesschat/login?id=42" }),
    );
    expect(created.file).toBe(path.join(dir, "Pulumi.staging-billing.yaml"));
    expect(created.template).toBe("staging-retail");
    const config = parseStackConfig(rawOfFile(created.file));
    const template = parseStackConfig(rawOfFile(path.join(dir, "Pulumi.staging-retail.yaml")));
    expect(config.stackName).toBe("staging-billing");
    expect(config.asset).toEqual({
      key: "billing",
      appId: "b7d2e4f1-billing",
      ambAccountId: "5d2c8e4f-1a3b-4c6d-9e8f-7a6b5c4d3e2f",
      accountName: "Billing_Desk",
      mspLink: "https://business-chat.imiconnect.io/applebusinesschat/login?id=42",
      dataStream: true,
    });
    expect(config.webexConnect).toEqual(template.webexConnect);
    expect(config.service).toEqual({ ...template.service, name: "AMB Billing_Desk (staging)" });
    expect(config.edge).toEqual({
      ...template.edge,
      fqdn: "amb-billing.staging.cc.example.com",
      frontTls: { existingSecretName: "amb-billing-front-tls" },
    });
    expect(config.cloudConnect).toEqual(template.cloudConnect);
    expect(config.integrationService).toEqual(template.integrationService);
    expect(config.kubernetes).toEqual({ ...template.kubernetes, namespace: "amb-billing" });
    expect(created.nextSteps).toEqual([
      "pulumi stack init staging-billing",
      CREDENTIAL_STEP,
      "create the kubernetes.io/tls Secret amb-billing-front-tls in namespace amb-billing with the certificate of amb-billing.staging.cc.example.com",
      "pulumi preview --stack staging-billing",
    ]);
  });

  it("never writes the template's credential, and needs the new stack's own", () => {
    writeStagingRetail((config) => {
      for (const part of ["token", "clientId", "clientSecret", "refreshToken"])
        config[`webexconnect:${part}`] = { secure: "v1:ciphertext-of-the-retail-stack" };
    });
    const created = newStack(argv());
    expect(fs.readFileSync(created.file, "utf8")).not.toContain("ciphertext");
    expect(() => parseStackConfig(rawOfFile(created.file, {}))).toThrow(
      "webexconnect:token: is missing: run `pulumi config set --secret webexconnect:token <token>`, or export WEBEX_CONNECT_TOKEN",
    );
  });

  it("does not take the local default (skipAwait, local API server) as a dev stack's default template", () => {
    const devStack = (name: string, kubernetes: Mapping) => {
      const config = readStackFileConfig(path.join(STACKS_DIR, "Pulumi.dev-retail.yaml"));
      config["amb-cce-connect:kubernetes"] = kubernetes;
      section(config, "asset").key = name.slice("dev-".length);
      section(config, "asset").appId = `app-${name}`;
      section(config, "edge").fqdn = `${name}.dev.cc.example.com`;
      fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify({ config }));
    };
    devStack("dev-demo", { namespace: "amb-demo", context: "amb-local", skipAwait: true });
    devStack("dev-retail", { namespace: "amb-retail", context: "cce-dev" });
    const created = newStack(argv({ "--env": "dev", "--fqdn": "amb-billing.dev.cc.example.com" }));
    expect(created.template).toBe("dev-retail");
    expect(parseStackConfig(rawOfFile(created.file)).kubernetes).toEqual({
      namespace: "amb-billing",
      context: "cce-dev",
    });
  });

  it("follows a template that renders manifests and adopts a shared service, in common webhook mode", () => {
    writeStack("dev-demo", (config) => {
      config["amb-cce-connect:environment"] = "dev";
      config["amb-cce-connect:service"] = { name: "Shared AMB", adopt: "byName" };
      config["amb-cce-connect:flows"] = {
        webhooks: "common",
        destinationRoutes: [{ appId: "app-demo", eventId: "evt-demo" }],
      };
      config["amb-cce-connect:kubernetes"] = {
        namespace: "amb-demo",
        renderYamlToDirectory: ".work/rendered/dev-demo",
      };
      section(config, "asset").key = "demo";
      section(config, "asset").appId = "app-demo";
      section(config, "edge").fqdn = "amb-demo.dev.cc.example.com";
      section(config, "cloudConnect").nodes = [
        { name: "publisher", host: "cloudconnect-pub.dev.cc.example.com" },
        { name: "subscriber", host: "cloudconnect-sub.dev.cc.example.com" },
      ];
    });
    const created = newStack(
      argv({
        "--env": "dev",
        "--fqdn": "amb-billing.dev.cc.example.com",
        "--event-id": "amb-billing-events",
      }),
    );
    expect(created.template).toBe("dev-demo");
    const config = parseStackConfig(rawOfFile(created.file));
    expect(config.service).toEqual({ name: "Shared AMB", description: "", adopt: "byName" });
    expect(config.kubernetes).toEqual({
      namespace: "amb-billing",
      renderYamlToDirectory: ".work/rendered/dev-billing",
    });
    expect(created.nextSteps).toContain(
      "add {appId: b7d2e4f1-billing, eventId: amb-billing-events} to flows.destinationRoutes of the tenant's owner stack (the one with commonFlowOwner: true), then pulumi up that stack",
    );
  });

  it("takes the template given by --from, and overwrites with --force", () => {
    writeEarlierBilling();
    const created = newStack(argv({ "--from": "prod-retail", "--env": "staging" }, "--force"));
    expect(created.template).toBe("prod-retail");
    expect(parseStackConfig(rawOfFile(created.file)).asset.appId).toBe("b7d2e4f1-billing");
  });
});

describe("a bad run writes nothing and names each flag, its value and the fix", () => {
  const cases: ReadonlyArray<{ name: string; args: () => string[]; problems: readonly string[] }> = [
    {
      name: "unknown flags, stray words, flags without a value, missing flags",
      args: () => ["--env", "staging", "--bogus", "billing", "--app-id", "--force=yes", "--out-dir", dir],
      problems: [
        "--bogus is not a flag of new-stack: use one of --env, --asset, --app-id, --amb-account-id, --account-name, --fqdn, --msp-link, --event-id, --from, --out-dir, --force",
        '"billing" is not a flag: flags are --env, --asset, --app-id, --amb-account-id, --account-name, --fqdn, --msp-link, --event-id, --from, --out-dir, --force',
        "--app-id needs a value: give the App ID of the AMB asset (Webex Connect → Assets → Apps), e.g. --app-id a1b2c3d4",
        "--force takes no value: write just --force",
        "--asset: is missing: give a short key for the AMB asset (1-20 lower-case letters or digits; it names the stack <env>-<asset>), e.g. --asset billing",
        "--amb-account-id: is missing: give the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>), e.g. --amb-account-id 0b6f3a52-7c1d-4e8a-9f20-5d3c8b1a6e47",
        "--account-name: is missing: give the Messages for Business account name, as in &name=<AccountName>, e.g. --account-name Billing_Desk",
        "--fqdn: is missing: give the FQDN of the edge proxy in front of Cloud Connect (the CCE Domain field), e.g. --fqdn amb-billing.staging.cc.example.com",
      ],
    },
    {
      name: "a bad environment and asset key",
      args: () => argv({ "--env": "qa", "--asset": "Billing" }),
      problems: [
        '--env: is not an environment: set it to one of dev, staging, prod (got "qa")',
        '--asset: must be 1-20 lower-case letters or digits, starting with a letter (it names the stack <env>-<asset>) (got "Billing")',
      ],
    },
    {
      name: "bad values, checked by the stack schema",
      args: () =>
        argv({
          "--app-id": "b7d2 billing",
          "--amb-account-id": "5D2C8E4F",
          "--account-name": "Billing Desk",
          "--fqdn": "https://amb-billing.staging.cc.example.com/",
          "--msp-link": "business-chat",
        }),
      problems: [
        '--app-id: contains whitespace: copy the App ID of the AMB asset (Webex Connect → Assets → Apps) exactly as Webex Connect shows it (got "b7d2 billing")',
        '--amb-account-id: "5D2C8E4F" is not a lower-case uuid: copy the AMB Account ID from Apple Business Register',
        '--account-name: must be the Messages for Business account name (letters, digits, _ and -), as in &name=<AccountName> (got "Billing Desk")',
        '--msp-link: is not an https URL: copy the link Apple shows after "Connect" (got "business-chat")',
        '--fqdn: "https://amb-billing.staging.cc.example.com/" has a URL scheme; the Domain field takes a bare hostname. Use "amb-billing.staging.cc.example.com" instead.',
      ],
    },
    {
      name: "an App ID and an FQDN another stack has",
      args: () => argv({ "--app-id": "app-retail-prod", "--fqdn": "amb-retail.prod.cc.example.com" }),
      problems: [
        '--fqdn: "amb-retail.prod.cc.example.com" names environment prod, but this stack\'s environment is staging: ' +
          "it would reach prod's edge. Fix: use the staging value (see the other staging stack files), or correct " +
          "amb-cce-connect:environment.",
        '--app-id: "app-retail-prod" is the AMB asset of prod-retail already: each stack needs its own AMB asset (its flows go live bound to that one asset); give this asset\'s App ID',
        '--fqdn: "amb-retail.prod.cc.example.com" is the edge of prod-retail already: give this stack its own FQDN',
      ],
    },
    {
      name: "an unknown template",
      args: () => argv({ "--from": "staging-shop" }),
      problems: ['--from: "staging-shop" is not a stack in <dir>: use one of prod-retail, staging-retail'],
    },
    {
      name: "no template of the environment",
      args: () => argv({ "--env": "dev" }),
      problems: [
        "--from: is missing: no dev stack in <dir> to copy the tenant, edge and cluster settings from; give --from <stack> (one of prod-retail, staging-retail)",
      ],
    },
    {
      name: "an existing stack file without --force",
      args: () => {
        writeEarlierBilling();
        return argv();
      },
      problems: [
        "<dir>/Pulumi.staging-billing.yaml exists already: pass --force to overwrite it, or choose another --asset",
      ],
    },
    {
      name: "a template that is itself invalid",
      args: () => {
        writeStagingRetail((config) => {
          section(config, "edge").replicas = 1;
        });
        return argv();
      },
      problems: [
        "amb-cce-connect:edge.replicas: must be at least 2 so Webex Connect keeps a path while a pod restarts or moves. Fix: use 2 or more. (got 1) (copied from staging-retail: fix <dir>/Pulumi.staging-retail.yaml, or pass another --from)",
      ],
    },
    {
      name: "a template holding an encrypted value",
      args: () => {
        writeStagingRetail((config) => {
          section(config, "edge").cloudConnectTls = {
            certificatePem: "-----BEGIN CERTIFICATE-----",
            privateKeyPem: { secure: "v1:ciphertext" },
            caCertificatePem: "-----BEGIN CERTIFICATE-----",
          };
        });
        return argv();
      },
      problems: [
        "--from: staging-retail holds an encrypted value at amb-cce-connect:edge.cloudConnectTls.privateKeyPem, which cannot be copied to another stack: pass another --from, or remove it from the template and set it after `pulumi stack init` with `pulumi config set --secret --path`",
      ],
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, { args, problems }) => {
    const shown = problemsOf(args()).map((problem) => problem.split(dir).join("<dir>"));
    expect(shown).toEqual(problems);
  });
});

describe("the command line", () => {
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        "--transpile-only",
        path.join("scripts", "new-stack.ts"),
        ...args,
      ],
      { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" },
    );

  it("prints the next steps and exits 0, or the problems and exits 1", () => {
    const good = run(argv());
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    expect(good.stdout).toBe(
      `Wrote ${path.join(dir, "Pulumi.staging-billing.yaml")} (settings copied from staging-retail).\n` +
        "Next steps:\n" +
        "  1. pulumi stack init staging-billing\n" +
        `  2. ${CREDENTIAL_STEP}\n` +
        "  3. create the kubernetes.io/tls Secret amb-billing-front-tls in namespace amb-billing with the certificate of amb-billing.staging.cc.example.com\n" +
        "  4. pulumi preview --stack staging-billing\n",
    );
    const again = run(argv());
    expect(again.status).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toBe(
      "Nothing was written: 1 problem.\n" +
        `  ${path.join(dir, "Pulumi.staging-billing.yaml")} exists already: pass --force to overwrite it, or choose another --asset\n`,
    );
  });
});
