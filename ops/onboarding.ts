/**
 * Onboarding one AMB asset on one environment: a stack file (stacks/Pulumi.<env>-<asset>.yaml) from the inputs of
 * scripts/newStack.ts, copying the tenant, edge and cluster settings of a template stack, validated exactly as the
 * program will before it is written. Nothing is written when anything is wrong; every problem names the flag or the
 * template key to fix.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Document } from "yaml";
import { CREDENTIAL_PARTS, RENEWING_PARTS } from "../config/credentialSchema";
import { discoverStacks, isSecure, stackFileConfigOf, stackFileSource } from "../config/projectFiles";
import { rawStackConfig } from "../config/rawStackConfig";
import { parseStackConfig, StackConfigError } from "../config/stackConfig";
import { PROJECT_NAME, SETTINGS_ENV, SETTINGS_KEYS } from "../lib/facts";
import { FLAGS, inputProblems, type FlagSpec, type Flags } from "./onboardingInputs";

const DEFAULT_STACKS_DIR = path.join(__dirname, "..", "stacks");
/** The template's credential is its own: the new stack gets its own after `pulumi stack init`. */
const CREDENTIAL_KEYS: readonly string[] = CREDENTIAL_PARTS.map((part) => SETTINGS_KEYS[part]);
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
      ([key]) => key.startsWith("webexconnect:") && !CREDENTIAL_KEYS.includes(key),
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
    ` Stack ${stackName}, written by scripts/newStack.ts with the settings of ${template}.` +
    "\n Credential (each part with pulumi config set --secret, or its WEBEX_CONNECT_* variable in CI): for" +
    "\n scheduled runs webexconnect:clientId, webexconnect:clientSecret, webexconnect:refreshToken; or a" +
    "\n 12-hour webexconnect:token.";
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
  const kubernetes = stackFileConfigOf({ stackConfigDir: stacksDir }, stack)[`${PROJECT_NAME}:kubernetes`];
  return (kubernetes as { skipAwait?: unknown } | undefined)?.skipAwait === true;
}

/** Checks the inputs, writes the stack file and returns what to do next; throws NewStackError, writing nothing. */
export function newStack(flags: Flags): NewStack {
  const problems = inputProblems(flags);
  if (problems.length > 0 || flags.env === undefined || flags.asset === undefined)
    throw new NewStackError(problems);
  const { env, asset } = flags;
  const stacksDir = path.resolve(flags["out-dir"] ?? DEFAULT_STACKS_DIR);
  const stackName = `${env}-${asset}`;
  const existing = discoverStacks({ stackConfigDir: stacksDir });
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

  const templateConfig = stackFileConfigOf({ stackConfigDir: stacksDir }, template);
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
    const config = stackFileConfigOf({ stackConfigDir: stacksDir }, name);
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
    `set the Webex Connect credential, each part with pulumi config set --secret <key> <value> --stack ${stackName}: ` +
      `for scheduled runs ${RENEWING_PARTS.map((part) => SETTINGS_KEYS[part]).join(", ")} ` +
      `(CI: ${RENEWING_PARTS.map((part) => SETTINGS_ENV[part]).join(", ")}); or a 12-hour ${SETTINGS_KEYS.token} ` +
      `(CI: ${SETTINGS_ENV.token})`,
    `create the kubernetes.io/tls Secret ${frontTlsSecretName(asset.key)} in namespace ${namespace} with the certificate of ${edge.fqdn}`,
    ...(flows?.webhooks === "common"
      ? [
          `add {appId: ${asset.appId}, eventId: ${flows.eventId}} to flows.destinationRoutes of the tenant's owner stack (the one with commonFlowOwner: true), then pulumi up that stack`,
        ]
      : []),
    `pulumi preview --stack ${stackName}`,
  ];
}
