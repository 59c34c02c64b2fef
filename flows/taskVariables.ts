/**
 * The CCE Create Task's variables, one definition for the stack config (flows.callVariables / flows.eccVariables)
 * and the flow binding (validate.ts): call variables are named `cv_…` and hold at most 40 bytes, ECC variables are
 * named `user_…` and hold at most 210 bytes (the Create Task documentation's limits).
 */

export const TASK_VARIABLES = {
  callVariables: {
    prefix: "cv_",
    maxBytes: 40,
    kind: "call variable",
    article: "a",
    elsewhere: 'ECC variables ("user_…") go in eccVariables',
  },
  eccVariables: {
    prefix: "user_",
    maxBytes: 210,
    kind: "ECC variable",
    article: "an",
    elsewhere: 'call variables ("cv_…") go in callVariables',
  },
} as const;

export type TaskVariableField = keyof typeof TASK_VARIABLES;
export const TASK_VARIABLE_FIELDS = Object.keys(TASK_VARIABLES) as TaskVariableField[];

/** What is wrong with one variable of `field` (its name, or its literal value's length); undefined when nothing. */
export function taskVariableProblem(
  field: TaskVariableField,
  name: string,
  value: unknown,
): string | undefined {
  const rule = TASK_VARIABLES[field];
  const shownName = JSON.stringify(name);
  if (!name.startsWith(rule.prefix)) {
    return `${shownName} is not ${rule.article} ${rule.kind} name: ${rule.kind} names start with "${rule.prefix}"; ${rule.elsewhere}.`;
  }
  if (!/^[A-Za-z0-9_]+$/.test(name.slice(rule.prefix.length))) {
    return `${shownName} needs a name after the "${rule.prefix}" prefix, in letters, digits and _ only.`;
  }
  if (typeof value !== "string") return `must be a string, not ${JSON.stringify(value)}.`;
  // A $(…) reference is resolved at run time; only literal values can be measured here.
  const bytes = Buffer.byteLength(value, "utf8");
  if (value.includes("$(") || bytes <= rule.maxBytes) return undefined;
  return `is ${bytes} bytes long; ${rule.article} ${rule.kind} holds at most ${rule.maxBytes} bytes (UTF-8). Fix: shorten it.`;
}
