/**
 * The configuration of one stack (one environment × one AMB asset), validated as a whole before any resource is
 * created: every problem is reported at once, each naming the key, the bad value and the fix. The sections the
 * components take are built from the components' own argument schemas (components/*Args.ts, edge/types.ts for the
 * proxy knobs), so no component rule is written twice and none is checked only after the first resource exists.
 *
 * The sections live in sections.ts, edgeSection.ts and flowsSection.ts, the rules across sections in
 * crossFieldRules.ts, how problems read in problems.ts.
 */
import { z } from "zod";
import { integrationServiceSettingsShape } from "../components/integrationServiceArgs";
import { imageRule, otherEnvironmentRule, secretSettingsRule, stackNameRule } from "./crossFieldRules";
import {
  cloudConnectSection,
  edgeProxyRule,
  edgeSection,
  nodeHostsRule,
  openAllowListRule,
  repeatedNodesRule,
} from "./edgeSection";
import { flowsSection, ownRouteRule } from "./flowsSection";
import { missingValueMessage, pastedValueProblems, StackConfigError, stackConfigProblems } from "./problems";
import { section } from "./schemaParts";
import {
  assetSection,
  environmentSchema,
  kubernetesSection,
  serviceSection,
  webexConnectSection,
} from "./sections";

const stackConfigSchema = section({
  environment: environmentSchema,
  webexConnect: webexConnectSection,
  service: serviceSection,
  asset: assetSection,
  cloudConnect: cloudConnectSection,
  edge: edgeSection,
  integrationService: section(integrationServiceSettingsShape),
  /** The integration service's settings stored encrypted, by name (rawStackConfig.ts); never their values. */
  secretSettings: z.array(z.string()).default([]),
  flows: flowsSection,
  stackName: z.string(),
  kubernetes: kubernetesSection,
}).superRefine((config, ctx) => {
  // In this order, so that the problems of one stack file always read the same.
  for (const rule of [
    imageRule,
    secretSettingsRule,
    edgeProxyRule,
    openAllowListRule,
    otherEnvironmentRule,
    stackNameRule,
    ownRouteRule,
    repeatedNodesRule,
    nodeHostsRule,
  ])
    rule(config, ctx);
});

export type StackConfig = z.output<typeof stackConfigSchema>;
export { problemsMessage, StackConfigError } from "./problems";
export { ENVIRONMENTS, type Environment } from "./schemaParts";

/**
 * Validates a stack's raw configuration in one pass; throws StackConfigError listing every problem. A value as
 * pasted is reported as such, and the schema's other problems with that same value are left out.
 */
export function parseStackConfig(raw: unknown): StackConfig {
  const pasted = pastedValueProblems(raw);
  const result = stackConfigSchema.safeParse(raw, { reportInput: true, error: missingValueMessage });
  if (result.success && pasted.length === 0) return result.data;
  throw new StackConfigError(stackConfigProblems(pasted, result.error?.issues ?? []));
}
