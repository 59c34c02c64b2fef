/**
 * Rules across sections, run on the whole configuration: images pinned as the environment requires, no value that
 * names another environment, the stack named after its environment and asset, and the names of the settings stored
 * encrypted.
 */
import type { z } from "zod";
import { DEFAULT_HAPROXY_IMAGE } from "../components/cloudConnectEdgeArgs";
import { settingKeyProblem } from "../components/integrationServiceArgs";
import { imageProblem } from "../components/workloadArgs";
import { ENVIRONMENTS, type Environment } from "./schemaParts";

/** The components' image rule, with the stack's environment. */
export function imageRule(
  config: { environment: Environment; edge: { image?: string }; integrationService: { image?: string } },
  ctx: z.core.$RefinementCtx,
): void {
  const images: Array<[string, string | undefined, string | undefined]> = [
    ["edge", config.edge.image, DEFAULT_HAPROXY_IMAGE],
    ["integrationService", config.integrationService.image, undefined],
  ];
  for (const [section, image, fallback] of images) {
    const message = imageProblem(image, config.environment, fallback);
    if (message !== undefined) ctx.addIssue({ code: "custom", path: [section, "image"], message });
  }
}

/** The words by which names refer to an environment, e.g. the kubeconfig context "cce-prod". */
const ENVIRONMENT_WORDS: Record<Environment, readonly string[]> = {
  dev: ["dev", "development"],
  staging: ["staging", "stage", "stg"],
  prod: ["prod", "production", "prd"],
};

/**
 * Values copied from another environment's stack file: a name that says "dev" in a prod stack points the stack at
 * dev's cluster, proxy or nodes. Each such value, with the environment it names.
 */
function otherEnvironmentProblems(config: {
  environment: Environment;
  kubernetes: { context?: string; namespace: string };
  edge: { fqdn: string };
  cloudConnect: { nodes: Array<{ host: string }> };
  service: { name: string };
}): Array<{ path: PropertyKey[]; message: string }> {
  const named: Array<[PropertyKey[], string | undefined, string]> = [
    [["kubernetes", "context"], config.kubernetes.context, "cluster"],
    [["kubernetes", "namespace"], config.kubernetes.namespace, "namespace"],
    [["edge", "fqdn"], config.edge.fqdn, "edge"],
    ...config.cloudConnect.nodes.map((node, index): [PropertyKey[], string, string] => [
      ["cloudConnect", "nodes", index, "host"],
      node.host,
      "Cloud Connect node",
    ]),
    [["service", "name"], config.service.name, "Webex Connect service"],
  ];
  const own = ENVIRONMENT_WORDS[config.environment];
  return named.flatMap(([path, value, what]) => {
    if (value === undefined) return [];
    const words = value.toLowerCase().split(/[^a-z0-9]+/);
    const other = ENVIRONMENTS.find(
      (environment) =>
        environment !== config.environment &&
        ENVIRONMENT_WORDS[environment].some((word) => words.includes(word)),
    );
    if (other === undefined || own.some((word) => words.includes(word))) return [];
    return [
      {
        path,
        message:
          `${JSON.stringify(value)} names environment ${other}, but this stack's environment is ` +
          `${config.environment}: it would reach ${other}'s ${what}. Fix: use the ${config.environment} value (see ` +
          `the other ${config.environment} stack files), or correct amb-cce-connect:environment.`,
      },
    ];
  });
}

/** otherEnvironmentProblems as issues of the whole configuration. */
export function otherEnvironmentRule(
  config: Parameters<typeof otherEnvironmentProblems>[0],
  ctx: z.core.$RefinementCtx,
): void {
  for (const problem of otherEnvironmentProblems(config)) ctx.addIssue({ code: "custom", ...problem });
}

/** Stacks are named `<environment>-<asset key>`. */
export function stackNameRule(
  config: { environment: Environment; asset: { key: string }; stackName: string },
  ctx: z.core.$RefinementCtx,
): void {
  const expectedStack = `${config.environment}-${config.asset.key}`;
  if (config.stackName !== expectedStack) {
    ctx.addIssue({
      code: "custom",
      path: ["stackName"],
      message: `is ${JSON.stringify(config.stackName)}, but stacks are named <environment>-<asset key>: name it ${JSON.stringify(expectedStack)}, or fix environment / asset.key`,
    });
  }
}

/**
 * The integration service's settings stored encrypted, which rawStackConfig.ts lists by name only (the plain ones
 * are checked by the component's own schema): each name must still be an environment variable's.
 */
export function secretSettingsRule(config: { secretSettings: string[] }, ctx: z.core.$RefinementCtx): void {
  for (const key of config.secretSettings) {
    const message = settingKeyProblem(key);
    if (message !== undefined)
      ctx.addIssue({ code: "custom", path: ["integrationService", "settings", key], message });
  }
}
