/** Checks any message, typed or read from a flow node or a stack file, against every rule that applies to it. */
import { classify } from "./kinds";
import { dottedPath, type Path } from "./read";
import { APPLE_MESSAGE_RULES } from "./registry";
import type { AppleMessageRule } from "./rule";

export interface AppleMessageProblem {
  /** The caller's name for the message, e.g. a flow node or a stack-file key. */
  readonly messageName: string;
  /** Dotted path from the message's root, e.g. `interactiveData.data.listPicker.sections[0].items`. */
  readonly field: string;
  readonly path: Path;
  /** The rule's id (APPLE_MESSAGE_RULES). */
  readonly rule: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** The page the rule comes from. */
  readonly source: string;
  /** "Apple", or the third party whose documentation of Apple's format the rule rests on. */
  readonly publisher: string;
  readonly documentedByApple: boolean;
}

function applies(rule: AppleMessageRule, kind: ReturnType<typeof classify>): boolean {
  if (rule.appliesTo === "any") return true;
  return kind !== undefined && rule.appliesTo.includes(kind);
}

/** Every problem at once, in registry order; an empty list means Apple's documented rules are met. */
export function validateAppleMessage(message: unknown, messageName: string): AppleMessageProblem[] {
  const kind = classify(message);
  return APPLE_MESSAGE_RULES.filter((rule) => applies(rule, kind)).flatMap((rule) =>
    rule.check(message).map((found) => ({
      messageName,
      field: dottedPath(found.path),
      path: found.path,
      rule: rule.id,
      message: found.message,
      source: rule.source.url,
      publisher: rule.source.publisher,
      documentedByApple: rule.source.apple,
    })),
  );
}

/** The fix with the rule and its page: `is "…"; use … (rule envelope.bid; Apple: https://…)`. */
export function describeAppleMessageProblem(problem: AppleMessageProblem): string {
  const publisher = problem.documentedByApple ? problem.publisher : `${problem.publisher}, not Apple`;
  return `${problem.message} (rule ${problem.rule}; ${publisher}: ${problem.source})`;
}

/** `greeting: field interactiveData.bid: is "…"; use … (rule envelope.bid; Apple: https://…)`. */
export function formatAppleMessageProblem(problem: AppleMessageProblem): string {
  const field = problem.field === "" ? "the message" : `field ${problem.field}`;
  return `${problem.messageName}: ${field}: ${describeAppleMessageProblem(problem)}`;
}

export function formatAppleMessageProblems(problems: readonly AppleMessageProblem[]): string {
  return problems.map(formatAppleMessageProblem).join("\n");
}
