/**
 * Brings an existing, hand-built Webex Connect setup under code (docs/operations.md, "Export an existing tenant"):
 *
 *   WEBEX_CONNECT_CLIENT_ID=… WEBEX_CONNECT_CLIENT_SECRET=… WEBEX_CONNECT_REFRESH_TOKEN=… (or WEBEX_CONNECT_TOKEN=…) \
 *   npm run export -- --org <organization id> --region <region> --env <env> \
 *     (--app-id <App ID> … | --all) [--asset-key <key>] [--keep-theirs <template|all>] [--take-ours <template|all>] \
 *     [--kubernetes-from stacks/Pulumi.<stack>.yaml] [--base-url <url>] [--force]
 *
 * The credential is read from the environment only, never from a flag (shell history): the renewing credential
 * when its three parts are set, else the token, as the providers read it (providers/settings.ts). Progress goes to
 * stderr.
 */
import * as readline from "node:readline/promises";
import { ENVIRONMENTS, type Environment } from "../config/stackConfig";
import { listTemplates, type TemplateName } from "../flows";
import { runExport } from "../ops/export/run";
import type { FlowChoice } from "../ops/export/stackFile";
import type { FlowPlan } from "../ops/export/plan";
import { SETTINGS_ENV } from "../lib/facts";
import { createWebexConnectClient } from "../webexconnect";
import { isRegion, REGIONS } from "../lib/facts";
import { credentialOf, readSettings } from "../providers/settings";

const VALUE_FLAGS = [
  "org",
  "region",
  "base-url",
  "env",
  "app-id",
  "asset-key",
  "keep-theirs",
  "take-ours",
  "kubernetes-from",
];
const SWITCHES = ["all", "force", "help"];

function usage(problem?: string): never {
  const text = [
    ...(problem ? [`export: ${problem}`, ""] : []),
    "usage: WEBEX_CONNECT_CLIENT_ID=… WEBEX_CONNECT_CLIENT_SECRET=… WEBEX_CONNECT_REFRESH_TOKEN=… (or",
    "       WEBEX_CONNECT_TOKEN=…) npm run export -- --org <organization id> (--region <region> | --base-url <url>)",
    "         --env <env> (--app-id <App ID> … | --all) [--asset-key <key>] [--keep-theirs <template|all>]",
    "         [--take-ours <template|all>] [--kubernetes-from <stack file>] [--force]",
    `  environments: ${ENVIRONMENTS.join(", ")}; regions: ${REGIONS.join(", ")}; templates: ${listTemplates().join(", ")}`,
  ].join("\n");
  process.stderr.write(`${text}\n`);
  process.exit(problem ? 2 : 0);
}

function parseFlags(argv: string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index].replace(/^--/, "");
    if (!argv[index].startsWith("--") || ![...VALUE_FLAGS, ...SWITCHES].includes(name))
      usage(`unknown argument ${JSON.stringify(argv[index])}`);
    if (SWITCHES.includes(name)) {
      flags.set(name, ["true"]);
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined || value.startsWith("--")) usage(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
    index += 1;
  }
  return flags;
}

function templates(values: string[] | undefined, flag: string): Array<TemplateName | "all"> {
  return (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => {
      if (value === "all" || (listTemplates() as string[]).includes(value))
        return value as TemplateName | "all";
      return usage(`--${flag} ${JSON.stringify(value)} is not a flow template (or "all")`);
    });
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.has("help")) usage();
  const one = (name: string) => flags.get(name)?.at(-1);
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const prompt = interactive
    ? readline.createInterface({ input: process.stdin, output: process.stderr })
    : undefined;
  try {
    const organizationId = one("org") ?? process.env[SETTINGS_ENV.organizationId];
    if (!organizationId) usage(`--org is missing: give the Webex Connect organization ID`);
    const region = one("region") ?? process.env[SETTINGS_ENV.region];
    const baseUrl = one("base-url") ?? process.env[SETTINGS_ENV.baseUrl];
    if (region !== undefined && !isRegion(region))
      usage(`--region ${region} is not one of ${REGIONS.join(", ")}`);
    if (!region && !baseUrl) usage("--region is missing (or --base-url for the emulator)");
    const env =
      one("env") ??
      (prompt ? (await prompt.question(`environment (${ENVIRONMENTS.join(", ")}): `)).trim() : undefined);
    if (!env) usage("--env is missing");
    if (!(ENVIRONMENTS as readonly string[]).includes(env))
      usage(`--env ${env} is not one of ${ENVIRONMENTS.join(", ")}`);
    const appIds = flags.has("all") ? "all" : (flags.get("app-id") ?? []);
    if (appIds !== "all" && appIds.length === 0) usage("give --app-id <App ID> (repeatable) or --all");
    const ask = prompt
      ? async (flow: FlowPlan): Promise<FlowChoice> => {
          process.stderr.write(`\n${flow.name} differs from our template (ours → theirs):\n`);
          for (const change of flow.changes) process.stderr.write(`  - ${change.line}\n`);
          const answer = await prompt.question("keep theirs as an override (t) or take ours (o)? [t/o] ");
          return answer.trim().toLowerCase().startsWith("o") ? "ours" : "theirs";
        }
      : undefined;
    // The flags win over the environment; the credential comes from the environment alone.
    const settingsEnv = {
      ...process.env,
      [SETTINGS_ENV.organizationId]: organizationId,
      [SETTINGS_ENV.region]: region,
      [SETTINGS_ENV.baseUrl]: baseUrl,
    };
    let settings: ReturnType<typeof readSettings>;
    try {
      settings = readSettings({ get: () => undefined }, settingsEnv, "");
    } catch (error) {
      return usage((error as Error).message);
    }
    const client = createWebexConnectClient({
      organizationId: settings.organizationId,
      region: settings.region,
      baseUrl: settings.baseUrl,
      modeledBaseUrl: settings.modeledBaseUrl,
      credential: credentialOf(settings, settingsEnv),
      notice: (message) => process.stderr.write(`==> [export] ${message}\n`),
    });
    const results = await runExport(
      client,
      {
        appIds,
        environment: env as Environment,
        assetKey: one("asset-key"),
        region,
        baseUrl,
        kubernetesFrom: one("kubernetes-from"),
        keepTheirs: templates(flags.get("keep-theirs"), "keep-theirs"),
        takeOurs: templates(flags.get("take-ours"), "take-ours"),
        projectDir: process.cwd(),
        force: flags.has("force"),
        ask,
      },
      (line) => process.stderr.write(`==> [export] ${line}\n`),
    );
    for (const result of results) {
      process.stdout.write(`${result.files.stackFile.path}\t${result.reportPath}\n`);
    }
  } finally {
    prompt?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`export: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
