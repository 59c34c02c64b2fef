/**
 * How the stack schema's problems read: each on its Pulumi config key as the user writes it, with what the key takes,
 * what it got and how to write it; values pasted with blanks, quotes or invisible characters said as such. Never a
 * secret's value: the schema sees only whether each credential part is set and secret.
 */
import { z } from "zod";
import { OPEN_ALLOW_LIST_WAIVER, SINGLE_NODE_WAIVER } from "../components/cloudConnectEdgeArgs";
import { describeIssues } from "../lib/issues";
import { PROJECT_NAME } from "../lib/facts";
import { pastedTextProblem } from "../lib/pastedText";
import { isMapping, unknownKeysMessage } from "./schemaParts";

/** Pulumi config key of each top-level section, as the user writes it in Pulumi.<stack>.yaml. */
export function configKeyOf(path: readonly PropertyKey[]): string {
  const [section, ...rest] = path.map(String);
  if (section === undefined) return PROJECT_NAME;
  if (section === "stackName") return "stack name";
  if (section === "webexConnect") {
    const [field, ...more] = rest;
    if (field === undefined) return "webexconnect";
    // The credential's parts are keys of their own: webexconnect:token, webexconnect:clientId, …
    if (field === "credential") return `webexconnect:${more[0] ?? "token"}`;
    return [`webexconnect:${field}`, ...more].join(".");
  }
  return [`${PROJECT_NAME}:${section}`, ...rest].join(".");
}

/** "The stack configuration has N problems:" and one indented line per problem. */
export function problemsMessage(problems: readonly string[]): string {
  return `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n  ${problems.join("\n  ")}`;
}

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problemsMessage(problems));
  }
}

/** For fields without a message of their own: zod's default for an absent value does not say "missing". */
export function missingValueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `is missing: add it to the stack file (type: ${issue.expected})`;
  }
  // A mapping inside a component's arguments (autoscaling, resources, …) names its keys like a section does.
  if (issue.code === "unrecognized_keys" && issue.inst instanceof z.ZodObject) {
    return unknownKeysMessage(issue.keys, Object.keys(issue.inst.shape));
  }
  return undefined;
}

/** How a stack file writes a value of each type, and how to say it. */
const TYPES: Record<string, { name: string; example: (key: string) => string }> = {
  number: { name: "a number", example: (key) => `${key}: 2` },
  string: { name: "text", example: (key) => `${key}: "value"` },
  boolean: { name: "true or false", example: (key) => `${key}: true` },
  array: { name: "a list", example: (key) => `${key}: [a, b] (or one "- item" a line)` },
  object: { name: "a mapping", example: (key) => `${key}: {name: value} (or indented "name: value" lines)` },
  record: { name: "a mapping", example: (key) => `${key}: {name: value} (or indented "name: value" lines)` },
};

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "empty (null)";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * A type error says what type the key takes, what it got and how to write it; quoting is the usual slip: YAML
 * reads `3` as a number and `"3"` as text.
 */
function typeMessage(expected: string, input: unknown, key: string): string {
  const type = TYPES[expected] ?? { name: expected, example: (name: string) => `${name}: …` };
  const got = `is ${typeOfValue(input)}, but it must be ${type.name}`;
  if (expected === "string" && (typeof input === "number" || typeof input === "boolean")) {
    return `${got}: put it in quotes, e.g. ${key}: ${JSON.stringify(String(input))}`;
  }
  if (typeof input === "string") {
    const unquoted = input.trim();
    if (expected === "number" && unquoted !== "" && Number.isFinite(Number(unquoted))) {
      return `${got}: write it without quotes, e.g. ${key}: ${Number(unquoted)}`;
    }
    if (expected === "boolean" && ["true", "false"].includes(unquoted.toLowerCase())) {
      return `${got}: write it without quotes, e.g. ${key}: ${unquoted.toLowerCase()}`;
    }
  }
  return `${got}, e.g. ${type.example(key)}`;
}

/** Free text, where blanks and quotes are the user's own: a description or the reason of a waiver. */
const FREE_TEXT_KEYS = new Set([
  "description",
  "dataStreamWaiver",
  SINGLE_NODE_WAIVER,
  OPEN_ALLOW_LIST_WAIVER,
]);

/** One-line values as pasted (lib/pastedText.ts), each with its path in the raw configuration. */
export function pastedValueProblems(
  value: unknown,
  path: PropertyKey[] = [],
): Array<{ path: PropertyKey[]; message: string }> {
  if (typeof value === "string") {
    // Multi-line text (PEM) and blanks only (the schema says "is empty") are not pasted one-line values.
    const problem = value.includes("\n") || value.trim() === "" ? undefined : pastedTextProblem(value);
    return problem === undefined ? [] : [{ path, message: problem }];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => pastedValueProblems(item, [...path, index]));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    FREE_TEXT_KEYS.has(key) ? [] : pastedValueProblems(item, [...path, key]),
  );
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) =>
  prefix.every((part, index) => String(path[index]) === String(part));

/**
 * One line per problem: the values as pasted first, then the schema's issues, less those about a value already
 * reported as pasted.
 */
export function stackConfigProblems(
  pasted: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  schemaIssues: readonly z.core.$ZodIssue[],
): string[] {
  const issues = schemaIssues.filter(
    (issue) => !pasted.some((problem) => startsWith(issue.path, problem.path)),
  );
  return [
    ...pasted.map((problem) => `${configKeyOf(problem.path)}: ${problem.message}`),
    ...issues.map((issue) => {
      const key = String(issue.path.at(-1) ?? configKeyOf(issue.path));
      const retyped =
        issue.code === "invalid_type" &&
        issue.input !== undefined &&
        issue.message.startsWith("Invalid input")
          ? { ...issue, code: "custom" as const, message: typeMessage(issue.expected, issue.input, key) }
          : issue;
      // A whole mapping as "got" would repeat the stack file back; the message names the key instead.
      const input = isMapping(issue.input) ? undefined : issue.input;
      const [line] = describeIssues("", [{ ...retyped, path: [], input } as typeof issue]);
      return `${configKeyOf(issue.path)}${line}`;
    }),
  ];
}
