/** What a rule is: an id that stays, what it checks, the page it comes from, and the check itself. */
import { BUILT_IN_KINDS, type MessageKind } from "./kinds";
import { asFields, isText, shown, type Path } from "./read";
import type { RuleSource } from "./sources";

/** One thing wrong, where it is, and how to fix it. */
export interface Finding {
  readonly path: Path;
  readonly message: string;
}

/** The kinds a rule checks; "interactive" is an interactive message whose type cannot be told. */
export type RuleScope = readonly (MessageKind | "interactive")[] | "any";

export interface AppleMessageRule {
  /** Stable: tests, docs and other code name rules by it. */
  readonly id: string;
  readonly description: string;
  readonly source: RuleSource;
  readonly appliesTo: RuleScope;
  /** Reads the message defensively: a field of the wrong shape is this rule's finding or no finding, never a throw. */
  readonly check: (message: unknown) => Finding[];
}

export const INTERACTIVE_SCOPE: RuleScope = [...BUILT_IN_KINDS, "iMessageApp", "interactive"];
/** Built-in types plus the interactive message whose type cannot be told: all carry Apple's data envelope. */
export const BUILT_IN_SCOPE: RuleScope = [...BUILT_IN_KINDS, "interactive"];

export const INTERACTIVE_DATA: Path = ["interactiveData"];
export const DATA: Path = ["interactiveData", "data"];

export function finding(path: Path, message: string): Finding {
  return { path, message };
}

/** A finding for each of `keys` that `holder` lacks: absent, not a string, or blank. */
export function missingTexts(holder: unknown, path: Path, keys: readonly string[], what: string): Finding[] {
  const fields = asFields(holder);
  return keys
    .filter((key) => !isText(fields?.[key]))
    .map((key) => finding([...path, key], `is ${shown(fields?.[key])}; every ${what} needs a ${key}.`));
}

/** A finding for each of `keys` that `holder` has, but not as a string. */
export function nonStrings(holder: unknown, path: Path, keys: readonly string[]): Finding[] {
  const fields = asFields(holder);
  return keys
    .filter((key) => fields?.[key] !== undefined && typeof fields[key] !== "string")
    .map((key) => finding([...path, key], `is ${shown(fields?.[key])}; it must be a string.`));
}
