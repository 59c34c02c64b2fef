/**
 * What every section of the stack schema is built from: strict mappings whose missing or misspelt keys are named,
 * identifiers checked as copied from a console, and the small helpers the sections' rules share.
 */
import { z } from "zod";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Where the user sees a complete example of every section. */
const EXAMPLE_STACK_FILE = "stacks/Pulumi.staging-retail.yaml";

export function isMapping(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const plural = keys.length > 1;
  const shown = keys.map((key) => JSON.stringify(key)).join(", ");
  return `has unknown key${plural ? "s" : ""} ${shown}: remove ${plural ? "them" : "it"} or fix the spelling (known keys: ${known.join(", ")})`;
}

/**
 * A mapping of the stack file. Strict, so a misspelt key is reported instead of silently ignored; a missing or
 * misspelt mapping says which keys it takes.
 */
export function section<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return unknownKeysMessage(issue.keys, known);
      if (issue.input === undefined) {
        return `is missing: add it to the stack file (${EXAMPLE_STACK_FILE} shows every section)`;
      }
      return `must be a mapping with the keys ${known.join(", ")}`;
    },
  });
}

/** A section's cross-field rule runs even when one of its fields is wrong, so one run reports every problem. */
export const evenWithFieldProblems = { when: (payload: z.core.ParsePayload) => isMapping(payload.value) };

/** An identifier as Webex Connect shows it: one word, copied exactly. */
export const identifier = (what: string, example: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `is missing: give ${what}, e.g. ${example}` : undefined),
    })
    .trim()
    .min(1, `is empty: give ${what}, e.g. ${example}`)
    .regex(/^\S*$/, `contains whitespace: copy ${what} exactly as Webex Connect shows it`);

/** The App ID of an AMB asset, in the asset section and in the common flow's routes. */
export const appIdSchema = identifier(
  "the App ID of the AMB asset (Webex Connect → Assets → Apps)",
  '"a1b2c3d4"',
);

/** Names that occur more than once, each once. */
export function duplicates(names: readonly string[]): string[] {
  return [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
}
