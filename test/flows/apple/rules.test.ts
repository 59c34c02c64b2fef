import {
  APPLE_MESSAGE_RULES,
  formatAppleMessageProblem,
  validateAppleMessage,
  type AppleMessageRule,
} from "../../../flows/apple";
import { RULE_CASES } from "./ruleCases";

const rulesWithCases = APPLE_MESSAGE_RULES.map((rule) => [rule.id, rule] as const);

function casesOf(rule: AppleMessageRule) {
  const cases = RULE_CASES[rule.id];
  if (cases === undefined)
    throw new Error(`rule ${rule.id} has no cases in test/flows/apple/ruleCases.ts: add them`);
  return cases;
}

describe("the rule registry", () => {
  it("gives every rule its own id, a description and a source page", () => {
    const ids = APPLE_MESSAGE_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of APPLE_MESSAGE_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.source.url).toMatch(/^https:\/\//);
      expect(rule.source.apple).toBe(rule.source.publisher === "Apple");
    }
  });

  it("has a passing and a failing case for every rule", () => {
    const lacking = APPLE_MESSAGE_RULES.filter((rule) => {
      const cases = RULE_CASES[rule.id];
      return cases === undefined || cases.passes.length === 0 || cases.fails.length === 0;
    }).map((rule) => rule.id);
    expect(lacking).toEqual([]);
  });

  it("has no cases for rules that do not exist", () => {
    const known = new Set(APPLE_MESSAGE_RULES.map((rule) => rule.id));
    expect(Object.keys(RULE_CASES).filter((id) => !known.has(id))).toEqual([]);
  });
});

describe.each(rulesWithCases)("rule %s", (_id, rule) => {
  it("finds nothing wrong in its passing cases", () => {
    for (const message of casesOf(rule).passes) {
      expect(validateAppleMessage(message, "passing").map(formatAppleMessageProblem)).toEqual([]);
    }
  });

  it("reports each failing case at its field, naming the rule and its source, and nothing else", () => {
    for (const { message, field } of casesOf(rule).fails) {
      const problems = validateAppleMessage(message, "failing");
      expect(problems.map((problem) => `${problem.rule} ${problem.field}`)).toEqual([`${rule.id} ${field}`]);
      const [problem] = problems;
      expect(problem.source).toBe(rule.source.url);
      const line = formatAppleMessageProblem(problem);
      expect(line).toContain(rule.source.url);
      expect(line).toContain(rule.source.apple ? "Apple:" : `${rule.source.publisher}, not Apple:`);
      expect(line.startsWith(`failing: ${field === "" ? "the message" : `field ${field}`}: `)).toBe(true);
    }
  });
});
