/**
 * Onboards one AMB asset on one environment: writes stacks/Pulumi.<env>-<asset>.yaml from flags, copying the
 * tenant, edge and cluster settings of a template stack, and validates the file exactly as the program will before
 * writing it. Nothing is written when anything is wrong.
 *
 *   npm run new-stack -- --env staging --asset billing --app-id <App ID> --amb-account-id <uuid> \
 *     --account-name <AccountName> --fqdn <edge FQDN> [--from staging-retail] [--msp-link <link>] \
 *     [--out-dir stacks] [--force]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Document } from "yaml";
import {
  isSecure,
  rawStackConfig,
  stackFileConfig,
  stackFileSource,
  stackNameOfFile,
} from "../config/rawStackConfig";
import { assetSection, environmentSchema } from "../config/sections";
import { ENVIRONMENTS, parseStackConfig, StackConfigError } from "../config/stackConfig";
import { PROJECT_NAME, SETTINGS_ENV, SETTINGS_KEYS } from "../lib/facts";
import { MSP_LINK_EXAMPLE } from "../lib/appleRegistration";

interface FlagSpec {
  readonly kind: "value" | "switch";
  readonly required?: boolean;
  /** The stack config key the flag's value lands in: its problems are reported on the flag. */
  readonly configKey?: string;
  readonly what: string;
  readonly example?: string;
}

const FLAGS = {
  env: {
    kind: "value",
    required: true,
    configKey: `${PROJECT_NAME}:environment`,
    what: `the environment (${ENVIRONMENTS.join(", ")})`,
    example: "staging",
  },
  asset: {
    kind: "value",
    required: true,
    configKey: `${PROJECT_NAME}:asset.key`,
    what: "a short key for the AMB asset (1-20 lower-case letters or digits; it names the stack <env>-<asset>)",
    example: "billing",
  },
  "app-id": {
    kind: "value",
    required: true,
    configKey: `${PROJECT_NAME}:asset.appId`,
    what: "the App ID of the AMB asset (Webex Connect → Assets → Apps)",
    example: "a1b2c3d4",
  },
  "amb-account-id": {
    kind: "value",
    required: true,
    configKey: `${PROJECT_NAME}:asset.ambAccountId`,
    what: "the AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>)",
    example: "0b6f3a52-7c1d-4e8a-9f20-5d3c8b1a6e47",
  },
  "account-name": {
    kind: "value",
    required: true,
    configKey: `${PROJECT_NAME}:asset.accountName`,
    what: "the Messages for Business account name, as in &name=<AccountName>",
    example: "Billing_Desk",
  },
  fqdn: {
    kind: "value",
    required: true,
    configKey: `${PROJECT_NAME}:edge.fqdn`,
    what: "the FQDN of the edge proxy in front of Cloud Connect (the CCE Domain field)",
    example: "amb-billing.staging.cc.example.com",
  },
  "msp-link": {
    kind: "value",
    configKey: `${PROJECT_NAME}:asset.mspLink`,
    what: 'the link Apple shows after "Connect"',
    example: MSP_LINK_EXAMPLE,
  },
  "event-id": {
    kind: "value",
    configKey: `${PROJECT_NAME}:flows.eventId`,
    what: "the custom event the tenant's common webhook flow raises for this asset (common webhook mode only)",
    example: "amb-billing-events",
  },
  from: {
    kind: "value",
    what: "the stack to copy the tenant, edge and cluster settings from",
    example: "staging-retail",
  },
  "out-dir": { kind: "value", what: "the folder of the stack files", example: "stacks" },
  force: { kind: "switch", what: "overwrite an existing stack file" },
} satisfies Record<string, FlagSpec>;

type FlagName = keyof typeof FLAGS;
type Flags = Partial<Record<FlagName, string>>;

const DEFAULT_STACKS_DIR = path.join(__dirname, "..", "stacks");
/** Validation stands in for the token the user sets after `pulumi stack init`; its value is never read. */
const TOKEN_SET_AFTER_ONBOARDING = { [SETTINGS_ENV.token]: "set-after-onboarding" };

export class NewStackError extends Error {
  constructor(readonly problems: readonly string[]) {
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    super(`Nothing was written: ${count}.\n  ${problems.join("\n  ")}`);
  }
}

export interface NewStack {
  readonly stackName: string;
  readonly file: string;
  readonly template: string;
  readonly nextSteps: readonly string[];
}

const flagNames = () => (Object.keys(FLAGS) as FlagName[]).map((name) => `--${name}`).join(", ");
const isFlagName = (name: string): name is FlagName => name in FLAGS;

/** `--name value`, `--name=value` and `--force`; every problem at once, each naming the flag. */
function parseFlags(argv: readonly string[]): { flags: Flags; problems: string[] } {
  const flags: Flags = {};
  const problems: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(argv[index]);
    if (!match) {
      problems.push(`${JSON.stringify(argv[index])} is not a flag: flags are ${flagNames()}`);
      continue;
    }
    const [, name, inline] = match;
    if (!isFlagName(name)) {
      problems.push(`--${name} is not a flag of new-stack: use one of ${flagNames()}`);
      continue;
    }
    const spec: FlagSpec = FLAGS[name];
    if (spec.kind === "switch") {
      if (inline === undefined) flags[name] = "true";
      else problems.push(`--${name} takes no value: write just --${name}`);
      continue;
    }
    const value = inline ?? (argv[index + 1]?.startsWith("--") ? undefined : argv[++index]);
    if (value === undefined)
      problems.push(`--${name} needs a value: give ${spec.what}, e.g. --${name} ${spec.example}`);
    else flags[name] = value;
  }
  for (const [name, spec] of Object.entries(FLAGS) as Array<[FlagName, FlagSpec]>) {
    if (
      spec.required &&
      flags[name] === undefined &&
      !problems.some((problem) => problem.startsWith(`--${name} `))
    ) {
      problems.push(`--${name}: is missing: give ${spec.what}, e.g. --${name} ${spec.example}`);
    }
  }
  // The stack's name, its template and the names derived from the asset key need these two right first.
  for (const [name, schema] of [
    ["env", environmentSchema],
    ["asset", assetSection.shape.key],
  ] as const) {
    const value = flags[name];
    const checked = value === undefined ? undefined : schema.safeParse(value);
    if (checked?.success === false) {
      problems.push(`--${name}: ${checked.error.issues[0].message} (got ${JSON.stringify(value)})`);
    }
  }
  return { flags, problems };
}

type Mapping = Record<string, unknown>;

/** Paths of encrypted values: they are bound to the template's encryption salt and cannot be copied. */
function encryptedPaths(value: unknown, at: string): string[] {
  if (isSecure(value)) return [at];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => encryptedPaths(item, `${at}.${key}`));
}

/** The new stack's config: the flags, names derived from the asset key, everything else from the template. */
function newStackConfig(
  template: Mapping,
  flags: Required<Pick<Flags, "env" | "asset">> & Flags,
  stackName: string,
) {
  const section = (name: string) => (template[`${PROJECT_NAME}:${name}`] ?? {}) as Mapping;
  const webexConnect = Object.fromEntries(
    Object.entries(template).filter(
      ([key]) => key.startsWith("webexconnect:") && key !== SETTINGS_KEYS.token,
    ),
  );
  const templateService = section("service");
  // A service the template adopts is shared; one the template creates belongs to it, so the new stack gets its own.
  const service =
    (templateService.adopt ?? "none") === "none"
      ? { ...templateService, name: `AMB ${flags["account-name"]} (${flags.env})` }
      : templateService;
  const { renderYamlToDirectory, ...kubernetes } = section("kubernetes");
  const config: Mapping = {
    ...webexConnect,
    [`${PROJECT_NAME}:environment`]: flags.env,
    [`${PROJECT_NAME}:service`]: service,
    [`${PROJECT_NAME}:asset`]: {
      key: flags.asset,
      appId: flags["app-id"],
      ambAccountId: flags["amb-account-id"],
      accountName: flags["account-name"],
      mspLink: flags["msp-link"],
    },
    [`${PROJECT_NAME}:cloudConnect`]: section("cloudConnect"),
    [`${PROJECT_NAME}:edge`]: {
      ...section("edge"),
      fqdn: flags.fqdn,
      // The front certificate is the FQDN's own.
      frontTls: { existingSecretName: frontTlsSecretName(flags.asset) },
    },
    [`${PROJECT_NAME}:integrationService`]: section("integrationService"),
    [`${PROJECT_NAME}:flows`]: flowsFor(template[`${PROJECT_NAME}:flows`] as Mapping | undefined, flags),
    [`${PROJECT_NAME}:kubernetes`]: {
      ...kubernetes,
      namespace: `amb-${flags.asset}`,
      ...(renderYamlToDirectory === undefined
        ? {}
        : { renderYamlToDirectory: `.work/rendered/${stackName}` }),
    },
  };
  return JSON.parse(JSON.stringify(config)) as Mapping; // drops the flags not given
}

/**
 * Per-asset mode copies the template's flows settings. In common mode the new stack is never the owner of the
 * tenant's common flow: it gets its own event id, and the owner's routes gain this asset (see nextSteps).
 */
function flowsFor(templateFlows: Mapping | undefined, flags: Flags): Mapping | undefined {
  if (templateFlows?.webhooks !== "common") return templateFlows;
  const { callVariables, eccVariables } = templateFlows;
  return { webhooks: "common", eventId: flags["event-id"], callVariables, eccVariables };
}

const frontTlsSecretName = (asset: string) => `amb-${asset}-front-tls`;

function stackFileText(config: Mapping, stackName: string, template: string): string {
  const document = new Document({ config });
  document.commentBefore =
    ` Stack ${stackName}, written by scripts/new-stack.ts with the settings of ${template}.` +
    "\n Token: pulumi config set --secret webexconnect:token, or WEBEX_CONNECT_TOKEN in CI.";
  return document.toString();
}

/** Problems of the generated file, each on the flag it came from, or on the template for copied settings. */
function onFlagsOrTemplate(problems: readonly string[], template: string, stacksDir: string): string[] {
  const flagOf = Object.entries(FLAGS).flatMap(([name, spec]: [string, FlagSpec]) =>
    spec.configKey ? [[`${spec.configKey}: `, `--${name}: `] as const] : [],
  );
  const templateFile = path.join(stacksDir, `Pulumi.${template}.yaml`);
  return problems.map((problem) => {
    const flag = flagOf.find(([prefix]) => problem.startsWith(prefix));
    if (flag) return flag[1] + problem.slice(flag[0].length);
    return `${problem} (copied from ${template}: fix ${templateFile}, or pass another --from)`;
  });
}

/** The local default deploys to the local API server without waiting (kubernetes.skipAwait): no template for others. */
function isLocalDefault(stacksDir: string, stack: string): boolean {
  const file = path.join(stacksDir, `Pulumi.${stack}.yaml`);
  const kubernetes = stackFileConfig(fs.readFileSync(file, "utf8"), file)[`${PROJECT_NAME}:kubernetes`];
  return (kubernetes as { skipAwait?: unknown } | undefined)?.skipAwait === true;
}

/** Checks the flags, writes the stack file and returns what to do next; throws NewStackError, writing nothing. */
export function newStack(argv: readonly string[]): NewStack {
  const { flags, problems } = parseFlags(argv);
  if (problems.length > 0 || flags.env === undefined || flags.asset === undefined)
    throw new NewStackError(problems);
  const { env, asset } = flags;
  const stacksDir = path.resolve(flags["out-dir"] ?? DEFAULT_STACKS_DIR);
  const stackName = `${env}-${asset}`;
  const existing = fs.existsSync(stacksDir)
    ? fs
        .readdirSync(stacksDir)
        .map(stackNameOfFile)
        .filter((name): name is string => name !== undefined)
        .sort()
    : [];
  const template =
    flags.from ??
    existing.find(
      (name) => name.startsWith(`${env}-`) && name !== stackName && !isLocalDefault(stacksDir, name),
    );
  if (template === undefined || !existing.includes(template)) {
    const choices = existing.length > 0 ? `one of ${existing.join(", ")}` : "none exists there yet";
    throw new NewStackError([
      flags.from === undefined
        ? `--from: is missing: no ${env} stack in ${stacksDir} to copy the tenant, edge and cluster settings from; give --from <stack> (${choices})`
        : `--from: ${JSON.stringify(flags.from)} is not a stack in ${stacksDir}: use ${choices}`,
    ]);
  }

  const templateFile = path.join(stacksDir, `Pulumi.${template}.yaml`);
  const templateConfig = stackFileConfig(fs.readFileSync(templateFile, "utf8"), templateFile);
  const config = newStackConfig(templateConfig, { ...flags, env, asset }, stackName);
  const found: string[] = encryptedPaths(config, "").map(
    (at) =>
      `--from: ${template} holds an encrypted value at ${at.slice(1)}, which cannot be copied to another stack: ` +
      "pass another --from, or remove it from the template and set it after `pulumi stack init` with " +
      "`pulumi config set --secret --path`",
  );
  const text = stackFileText(config, stackName, template);
  try {
    parseStackConfig(rawStackConfig(stackFileSource(stackName, text), TOKEN_SET_AFTER_ONBOARDING));
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    found.push(...onFlagsOrTemplate(error.problems, template, stacksDir));
  }
  found.push(
    ...claimedElsewhere(
      stacksDir,
      existing.filter((name) => name !== stackName),
      flags,
    ),
  );
  const file = path.join(stacksDir, `Pulumi.${stackName}.yaml`);
  if (fs.existsSync(file) && flags.force === undefined) {
    found.push(`${file} exists already: pass --force to overwrite it, or choose another --asset`);
  }
  if (found.length > 0) throw new NewStackError(found);

  fs.writeFileSync(file, text);
  return { stackName, file, template, nextSteps: nextSteps(config, stackName) };
}

/** Each stack has its own AMB asset (its flows go live bound to it) and its own edge FQDN. */
function claimedElsewhere(stacksDir: string, others: readonly string[], flags: Flags): string[] {
  const claimed = others.map((name) => {
    const config = stackFileConfig(fs.readFileSync(path.join(stacksDir, `Pulumi.${name}.yaml`), "utf8"));
    const { appId } = (config[`${PROJECT_NAME}:asset`] ?? {}) as Mapping;
    const { fqdn } = (config[`${PROJECT_NAME}:edge`] ?? {}) as Mapping;
    return { name, appId, fqdn };
  });
  const users = (claims: (stack: (typeof claimed)[number]) => boolean) =>
    claimed
      .filter(claims)
      .map((stack) => stack.name)
      .join(", ");
  const appIdUsers = users((stack) => stack.appId === flags["app-id"]);
  const fqdnUsers = users((stack) => stack.fqdn === flags.fqdn);
  return [
    ...(appIdUsers
      ? [
          `--app-id: ${JSON.stringify(flags["app-id"])} is the AMB asset of ${appIdUsers} already: each stack needs ` +
            "its own AMB asset (its flows go live bound to that one asset); give this asset's App ID",
        ]
      : []),
    ...(fqdnUsers
      ? [
          `--fqdn: ${JSON.stringify(flags.fqdn)} is the edge of ${fqdnUsers} already: give this stack its own FQDN`,
        ]
      : []),
  ];
}

function nextSteps(config: Mapping, stackName: string): string[] {
  const asset = config[`${PROJECT_NAME}:asset`] as { key: string; appId: string };
  const edge = config[`${PROJECT_NAME}:edge`] as { fqdn: string };
  const { namespace } = config[`${PROJECT_NAME}:kubernetes`] as { namespace: string };
  const flows = config[`${PROJECT_NAME}:flows`] as { webhooks?: string; eventId?: string } | undefined;
  return [
    `pulumi stack init ${stackName}`,
    `pulumi config set --secret webexconnect:token <token> --stack ${stackName}   (CI: export ${SETTINGS_ENV.token} instead)`,
    `create the kubernetes.io/tls Secret ${frontTlsSecretName(asset.key)} in namespace ${namespace} with the certificate of ${edge.fqdn}`,
    ...(flows?.webhooks === "common"
      ? [
          `add {appId: ${asset.appId}, eventId: ${flows.eventId}} to flows.destinationRoutes of the tenant's owner stack (the one with commonFlowOwner: true), then pulumi up that stack`,
        ]
      : []),
    `pulumi preview --stack ${stackName}`,
  ];
}

if (require.main === module) {
  try {
    const created = newStack(process.argv.slice(2));
    const shown = path.relative(process.cwd(), created.file);
    console.log(
      `Wrote ${shown.startsWith("..") ? created.file : shown} (settings copied from ${created.template}).`,
    );
    console.log(
      `Next steps:\n${created.nextSteps.map((step, index) => `  ${index + 1}. ${step}`).join("\n")}`,
    );
  } catch (error) {
    if (!(error instanceof NewStackError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
