/**
 * Onboards one AMB asset on one environment (ops/onboarding.ts): writes stacks/Pulumi.<env>-<asset>.yaml from flags,
 * copying the tenant, edge and cluster settings of a template stack, validated as the program will validate it.
 *
 *   npm run new-stack -- --env staging --asset billing --app-id <App ID> --amb-account-id <uuid> \
 *     --account-name <AccountName> --fqdn <edge FQDN> [--from staging-retail] [--msp-link <link>] \
 *     [--event-id <custom event>] [--out-dir stacks] [--force]
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { newStack, NewStackError, type NewStack } from "../ops/onboarding";
import { FLAGS, inputProblems, type FlagName, type Flags } from "../ops/onboardingInputs";

const flagList = () => Object.keys(FLAGS).map((name) => `--${name}`);
const isFlagName = (name: string): name is FlagName => Object.hasOwn(FLAGS, name);

/**
 * The flags, every problem at once, each naming the flag. parseArgs runs without `strict` so that it reports
 * tokens instead of throwing at the first problem; a value flag followed by another flag gets an empty value, so
 * that the next flag is not taken as its value.
 */
export function parseNewStackArgs(argv: readonly string[]): { flags: Flags; problems: string[] } {
  const takesValue = (arg: string) => {
    const name = arg.slice(2);
    return /^--[^=]+$/.test(arg) && isFlagName(name) && FLAGS[name].kind === "value";
  };
  const args = argv.flatMap((arg, index) =>
    takesValue(arg) && (index + 1 === argv.length || argv[index + 1].startsWith("--")) ? [arg, ""] : [arg],
  );
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, spec]) => [
      name,
      { type: spec.kind === "value" ? "string" : "boolean" },
    ]),
  ) as Record<FlagName, { type: "string" | "boolean" }>;
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const flags: Flags = {};
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") {
      const text = token.kind === "positional" ? token.value : "--";
      problems.push(`${JSON.stringify(text)} is not a flag: flags are ${flagList().join(", ")}`);
      continue;
    }
    const { name, value } = token;
    if (!isFlagName(name)) {
      problems.push(`--${name} is not a flag of new-stack: use one of ${flagList().join(", ")}`);
      continue;
    }
    const spec = FLAGS[name];
    if (spec.kind === "switch" && value !== undefined) {
      problems.push(`--${name} takes no value: write just --${name}`);
    } else if (spec.kind === "value" && !value) {
      reported.add(name);
      problems.push(`--${name} needs a value: give ${spec.what}, e.g. --${name} ${spec.example}`);
    } else flags[name] = value ?? "true";
  }
  return { flags, problems: [...problems, ...inputProblems(flags, reported)] };
}

/** The command: parses the flags, then onboards; throws NewStackError, writing nothing, when anything is wrong. */
export function newStackFromArgs(argv: readonly string[]): NewStack {
  const { flags, problems } = parseNewStackArgs(argv);
  if (problems.length > 0) throw new NewStackError(problems);
  return newStack(flags);
}

if (require.main === module) {
  try {
    const created = newStackFromArgs(process.argv.slice(2));
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
