/**
 * The onboarding's inputs (ops/onboarding.ts), named by their command-line flags (scripts/newStack.ts): what each
 * is, an example, the stack config key its value lands in, and which are required.
 */
import { assetSection, environmentSchema } from "../config/sections";
import { ENVIRONMENTS } from "../config/stackConfig";
import { MSP_LINK_EXAMPLE } from "../lib/appleRegistration";
import { PROJECT_NAME } from "../lib/facts";

/** One input of the onboarding, named by its command-line flag. */
export interface FlagSpec {
  readonly kind: "value" | "switch";
  readonly required?: boolean;
  /** The stack config key the flag's value lands in: its problems are reported on the flag. */
  readonly configKey?: string;
  readonly what: string;
  readonly example?: string;
}

/** The onboarding's inputs, by flag name (scripts/newStack.ts reads them from the command line). */
export const FLAGS = {
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

export type FlagName = keyof typeof FLAGS;
/** Each input as given: text, or "true" for a switch. */
export type Flags = Partial<Record<FlagName, string>>;

/**
 * Required inputs that are missing, and an environment or asset key the stack's name cannot be made from. Flags in
 * `reported` already have a problem of their own (e.g. no value) and are not reported missing again.
 */
export function inputProblems(flags: Flags, reported: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(FLAGS) as Array<[FlagName, FlagSpec]>) {
    if (spec.required && flags[name] === undefined && !reported.has(name)) {
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
  return problems;
}
