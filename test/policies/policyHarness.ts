/**
 * Runs one policy the way the @pulumi/policy server does, without the server: properties wrapped in the SDK's own
 * unknown-checking proxy, an args object of the shape the server builds, reportViolation calls collected, and the
 * SDK's unknown-value error caught and kept as the preview advisory the server would print.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { policySdkInternals } from "../../policies/rules/policySdkInternals";

const sdk = policySdkInternals();

export interface FakeResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

export interface PolicyRun {
  violations: Array<{ message: string; urn?: string }>;
  /** The message of the preview advisory, when the policy skipped values that are not known yet. */
  skipped?: string;
}

export const urnOf = (resource: FakeResource) =>
  `urn:pulumi:test::amb-cce-connect::${resource.type}::${resource.name}`;

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const common = {
  opts: OPTIONS,
  isType: () => false,
  getConfig: <T extends object>() => ({}) as T,
  notApplicable: (reason?: string): never => {
    throw new Error(`the policy declared itself not applicable: ${reason}`);
  },
};

async function collect(validate: (report: ReportViolation) => Promise<void> | void): Promise<PolicyRun> {
  const run: PolicyRun = { violations: [] };
  try {
    await validate((message, urn) => run.violations.push(urn === undefined ? { message } : { message, urn }));
  } catch (error) {
    if (!(error instanceof sdk.UnknownValueError)) throw error;
    run.skipped = error.message;
  }
  return run;
}

export function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: FakeResource,
): Promise<PolicyRun> {
  const args: ResourceValidationArgs = {
    ...common,
    type: resource.type,
    name: resource.name,
    urn: urnOf(resource),
    props: sdk.unknownCheckingProxy(resource.props),
    stackTags: new Map(),
    asType: () => undefined,
  };
  const validations = [policy.validateResource ?? []].flat();
  return collect(async (report) => {
    for (const validate of validations) await validate(args, report);
  });
}

export function runStackPolicy(policy: StackValidationPolicy, resources: FakeResource[]): Promise<PolicyRun> {
  const policyResources: PolicyResource[] = resources.map((resource) => ({
    ...common,
    type: resource.type,
    name: resource.name,
    urn: urnOf(resource),
    props: sdk.unknownCheckingProxy(resource.props),
    dependencies: [],
    propertyDependencies: {},
    asType: () => undefined,
  }));
  return collect((report) =>
    policy.validateStack({ ...common, resources: policyResources, stackTags: new Map() }, report),
  );
}

export const messagesOf = (run: PolicyRun) => run.violations.map((violation) => violation.message);
