/** The onboarding script refuses a bad run as a whole: it writes nothing and names each flag, its value and the fix. */
import {
  argv,
  problemsOf,
  section,
  stacksDir,
  useStacksFolder,
  writeEarlierBilling,
  writeStagingRetail,
} from "./newStackFixture";

useStacksFolder();

describe("a bad run writes nothing and names each flag, its value and the fix", () => {
  const cases: ReadonlyArray<{ name: string; args: () => string[]; problems: readonly string[] }> = [
    {
      name: "unknown flags, stray words, flags without a value, missing flags",
      args: () => [
        "--env",
        "staging",
        "--bogus",
        "billing",
        "--app-id",
        "--force=yes",
        "--out-dir",
        stacksDir(),
      ],
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
        '--msp-link: "business-chat" is not an https URL. Fix: copy the link Apple shows after "Connect", e.g. ' +
          "https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>.",
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
    const shown = problemsOf(args()).map((problem) => problem.split(stacksDir()).join("<dir>"));
    expect(shown).toEqual(problems);
  });
});
