/** The table form the binding-error tests share: a template, bindings that break it, the problems bindFlow reports. */
import {
  bindFlow,
  formatProblem,
  loadTemplate,
  type FlowBindings,
  type FlowDocument,
  type TemplateName,
} from "../../../flows";
import { VALID_BINDINGS } from "../support";

export interface BadBinding {
  readonly name: string;
  readonly template: TemplateName;
  readonly bindings?: FlowBindings;
  readonly edit?: (template: FlowDocument) => void;
  readonly expected: readonly string[];
}

export const BARE = "the Domain field takes a bare hostname.";
export const TASK = 'AppleMessages_inbound_flow: node 150 "CCE Create Task", field';

/** One test per case: binding fails with exactly the expected problems, in order. */
export function describeBadBindings(cases: readonly BadBinding[]): void {
  describe("bindFlow with bad bindings", () => {
    it.each(cases)("$name", ({ template: name, bindings = VALID_BINDINGS, edit, expected }) => {
      const template = loadTemplate(name);
      edit?.(template);
      const result = bindFlow(template, bindings);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual(expected);
    });
  });
}
