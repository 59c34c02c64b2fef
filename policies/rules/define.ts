/**
 * Turns a rule's pure check into the policy object @pulumi/policy runs: plain properties in, violations out, and
 * the values skipped at preview reported as the server's preview advisory.
 */
import type {
  EnforcementLevel,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { plainCopy, type Outcome, type Props, type ResourceView } from "./engineValues";

interface RuleInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
}

export interface ResourceRule extends RuleInfo {
  appliesTo(resource: ResourceView): boolean;
  check(resource: ResourceView): Outcome;
}

export interface StackRule extends RuleInfo {
  check(resources: ResourceView[]): Outcome;
}

function view(resource: {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}): ResourceView {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: plainCopy(resource.props) as Props,
  };
}

function report(outcome: Outcome, reportViolation: ReportViolation): void {
  for (const violation of outcome.violations) reportViolation(violation.message, violation.urn);
  const skipped = outcome.skippedError();
  if (skipped !== undefined) throw skipped;
}

export function resourcePolicy(rule: ResourceRule): ResourceValidationPolicy {
  const { name, description, enforcementLevel } = rule;
  return {
    name,
    description,
    enforcementLevel,
    validateResource: (args, reportViolation) => {
      const resource = view(args);
      if (rule.appliesTo(resource)) report(rule.check(resource), reportViolation);
    },
  };
}

export function stackPolicy(rule: StackRule): StackValidationPolicy {
  const { name, description, enforcementLevel } = rule;
  return {
    name,
    description,
    enforcementLevel,
    validateStack: (args, reportViolation) => report(rule.check(args.resources.map(view)), reportViolation),
  };
}
