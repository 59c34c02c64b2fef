/**
 * Export, the writing half: the stack file (`stacks/Pulumi.<env>-<asset>.yaml`), one override file per flow whose
 * hand edit the user keeps, and a report. Pure and deterministic: the same plan and options give the same bytes.
 * The stack file is checked with the program's own validation (config/) before anything is written.
 */
import { stringify } from "yaml";
import { stackFileSource } from "../../config/projectFiles";
import { rawStackConfig } from "../../config/rawStackConfig";
import { parseStackConfig, type Environment } from "../../config/stackConfig";
import { canonicalFlow, flowDiagram, mermaidFence, type TemplateName } from "../../flows";
import { PROJECT_NAME, SETTINGS_ENV } from "../../lib/facts";
import type { ExportPlan, FlowPlan } from "./plan";

export type FlowChoice = "theirs" | "ours";

export interface ExportOptions {
  environment: Environment;
  /** Defaults to the account name in lower case, letters and digits only. */
  assetKey?: string;
  /** How the stack reaches Webex Connect: a region, or a base URL (the emulator). */
  region?: string;
  baseUrl?: string;
  /** The config mapping of an existing stack file whose Kubernetes-side sections this stack starts from. */
  kubernetesFrom?: { file: string; config: Record<string, unknown> };
  /** Per differing flow (by template): keep theirs as an override, or take ours. */
  choices: Partial<Record<TemplateName, FlowChoice>>;
}

export interface ExportFiles {
  stackName: string;
  /** Paths relative to the project folder. */
  stackFile: { path: string; text: string };
  overrides: Array<{ path: string; text: string }>;
  /** Markdown: what is adopted as it is, what differs (diagram and node lines) and what was chosen. */
  report: string;
}

/** The Kubernetes-side sections: outside what Webex Connect can tell. */
const KUBERNETES_SECTIONS = ["cloudConnect", "edge", "integrationService", "kubernetes"] as const;

/** `Retail_Store` → `retailstore`; undefined when nothing usable is left. */
export function assetKeyOf(accountName: string): string | undefined {
  const key = accountName
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .replace(/^[0-9]+/, "")
    .slice(0, 20);
  return key === "" ? undefined : key;
}

export function overridePath(stackName: string, template: TemplateName): string {
  return `stacks/overrides/${stackName}/${template}.json`;
}

/** Placeholders for the Kubernetes side that pass validation and say what they are. */
function kubernetesPlaceholders(stackName: string, key: string, fqdn: string) {
  return {
    cloudConnect: {
      nodes: [
        { name: "publisher", host: `cloudconnect-pub.${key}.example.invalid` },
        { name: "subscriber", host: `cloudconnect-sub.${key}.example.invalid` },
      ],
    },
    edge: {
      fqdn,
      allowedClientCidrs: ["192.0.2.0/24"],
      frontTls: { existingSecretName: `amb-${key}-front-tls` },
      cloudConnectTls: { existingSecretName: "cloud-connect-client-tls" },
    },
    integrationService: { image: "registry.example.invalid/amb-integration:0.0.0" },
    kubernetes: { namespace: `amb-${key}`, renderYamlToDirectory: `.work/rendered/${stackName}` },
  };
}

function section(key: string, value: unknown, comments: readonly string[] = []): string {
  const body = stringify({ [key]: value }, { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((line) => `  ${line}`);
  return [...comments.map((comment) => `  # ${comment}`), ...body].join("\n");
}

function decide(flow: FlowPlan, options: ExportOptions): FlowChoice | undefined {
  if (flow.verdict !== "differs") return undefined;
  const choice = options.choices[flow.template];
  return choice === "theirs" && flow.notKeepable ? "ours" : choice;
}

/** The differing flows that still need a choice (theirs or ours). */
export function undecidedFlows(plan: ExportPlan, options: ExportOptions): FlowPlan[] {
  return plan.flows.filter((flow) => flow.verdict === "differs" && decide(flow, options) === undefined);
}

export function renderExport(plan: ExportPlan, options: ExportOptions): ExportFiles {
  const key = options.assetKey ?? assetKeyOf(plan.asset.accountName);
  if (!key)
    throw new Error(
      `The account name ${JSON.stringify(plan.asset.accountName)} gives no asset key: pass --asset-key <1-20 lower-case letters or digits>`,
    );
  const undecided = undecidedFlows(plan, options);
  if (undecided.length > 0)
    throw new Error(
      `Choose for each flow that differs from our template: ${undecided.map((flow) => flow.template).join(", ")} ` +
        "(--keep-theirs <template|all> writes an override file, --take-ours <template|all> publishes ours)",
    );
  const stackName = `${options.environment}-${key}`;
  const fqdn = plan.proxyFqdn ?? `amb-${key}.example.invalid`;
  const kept = plan.flows.filter((flow) => decide(flow, options) === "theirs");
  const overrides = kept.map((flow) => ({
    template: flow.template,
    path: overridePath(stackName, flow.template),
    text: `${JSON.stringify(canonicalFlow(flow.theirs!), null, 2)}\n`,
  }));

  const service = plan.service
    ? { name: plan.service.name, description: plan.service.description, adopt: "byId", id: plan.service.id }
    : { name: `AMB ${plan.asset.accountName} (${options.environment})` };
  const asset = {
    key,
    appId: plan.asset.appId,
    ambAccountId: plan.asset.ambAccountId,
    accountName: plan.asset.accountName,
    dataStream: plan.dataStream,
    ...(plan.dataStream
      ? {}
      : {
          dataStreamWaiver: "NOT INFERRED: Data Stream was off when exported; give the reason or turn it on",
        }),
  };
  const { mode, eventId, commonFlowOwner, destinationRoutes, callVariables, eccVariables } =
    plan.flowSettings;
  const flows = {
    webhooks: mode,
    ...(eventId !== undefined ? { eventId } : {}),
    ...(commonFlowOwner ? { commonFlowOwner, destinationRoutes } : {}),
    ...(Object.keys(callVariables).length > 0 ? { callVariables } : {}),
    ...(Object.keys(eccVariables).length > 0 ? { eccVariables } : {}),
    ...(overrides.length > 0
      ? { overrides: Object.fromEntries(overrides.map((override) => [override.template, override.path])) }
      : {}),
  };
  const kubernetes = options.kubernetesFrom
    ? Object.fromEntries(
        KUBERNETES_SECTIONS.map((name) => [name, options.kubernetesFrom!.config[`${PROJECT_NAME}:${name}`]]),
      )
    : kubernetesPlaceholders(stackName, key, fqdn);
  kubernetes.edge = { ...(kubernetes.edge as Record<string, unknown>), fqdn };

  const notInferred = [
    ...plan.notInferred,
    ...(plan.dataStream ? [] : [{ key: "asset.dataStreamWaiver", why: "the reason Data Stream is off" }]),
    { key: "asset.mspLink", why: "the MSP link is shown at Apple Business Register, not in Webex Connect" },
  ];
  const kubernetesNote = options.kubernetesFrom
    ? `copied from ${options.kubernetesFrom.file} (edge.fqdn is the flows' CCE Domain)`
    : "placeholders (example.invalid, 192.0.2.0/24, rendered to .work/rendered): NOT INFERRED, replace them before deploying the edge";
  const header = [
    `# Stack ${stackName}: exported from Webex Connect by \`npm run export\` (organization ${plan.organizationId}, ` +
      `AMB asset ${plan.asset.accountName}, App ID ${plan.asset.appId}).`,
    "# The same tenant exports to the same bytes. The first `pulumi up` adopts what is there: the service by id, the",
    "# asset by App ID, each flow by name, with no new Webex Connect object and no new flow version for the flows",
    '# adopted as they are or kept as overrides (docs/operations.md, "Export an existing tenant").',
    `# Kubernetes is out of scope for export: cloudConnect, edge, integrationService and kubernetes are ${kubernetesNote}.`,
    ...notInferred.map((item) => `# NOT INFERRED: ${item.key}: ${item.why}.`),
    "# Token: pulumi config set --secret webexconnect:token, or WEBEX_CONNECT_TOKEN in CI.",
  ];
  const connection = options.baseUrl
    ? { "webexconnect:baseUrl": options.baseUrl }
    : { "webexconnect:region": options.region };
  const lines = [
    ...header,
    "config:",
    ...Object.entries(connection).map(([name, value]) => section(name, value)),
    section("webexconnect:orgId", plan.organizationId),
    section(`${PROJECT_NAME}:environment`, options.environment),
    section(
      `${PROJECT_NAME}:service`,
      service,
      plan.service ? ["adopted by id: never changed or deleted by the stack"] : [],
    ),
    section(`${PROJECT_NAME}:asset`, asset),
    ...KUBERNETES_SECTIONS.filter((name) => name !== "edge" && name !== "kubernetes").map((name) =>
      section(
        `${PROJECT_NAME}:${name}`,
        kubernetes[name],
        options.kubernetesFrom ? [] : ["NOT INFERRED (Kubernetes side)"],
      ),
    ),
    section(`${PROJECT_NAME}:edge`, kubernetes.edge, ["fqdn: the CCE Domain of the live flows"]),
    section(
      `${PROJECT_NAME}:flows`,
      flows,
      kept.length > 0
        ? ["overrides: hand-edited flows kept as they are live (bound with this stack's values)"]
        : [],
    ),
    section(`${PROJECT_NAME}:kubernetes`, kubernetes.kubernetes),
  ];
  const text = `${lines.join("\n")}\n`;
  try {
    validateStackFile(stackName, text);
  } catch (error) {
    if (options.kubernetesFrom || !(error instanceof Error)) throw error;
    // The placeholders are tags; only dev may run tags, so other environments need real Kubernetes settings.
    throw new Error(
      `${error.message}\nThe Kubernetes side is not exported: pass --kubernetes-from stacks/Pulumi.<a stack of ` +
        `${options.environment}>.yaml to start from its cloudConnect, edge, integrationService and kubernetes sections.`,
    );
  }
  return {
    stackName,
    stackFile: { path: `stacks/Pulumi.${stackName}.yaml`, text },
    overrides: overrides.map(({ path, text: body }) => ({ path, text: body })),
    report: renderReport(plan, options, stackName),
  };
}

/** The program's own validation, with the token supplied as CI supplies it (the file never holds it). */
export function validateStackFile(stackName: string, text: string): void {
  parseStackConfig(
    rawStackConfig(stackFileSource(stackName, text), { [SETTINGS_ENV.token]: "from-environment" }),
  );
}

const VERDICT_WORDS = {
  matches: "matches our template: adopted as it is",
  missing: "not live on the asset: `up` imports and publishes ours",
} as const;

function renderReport(plan: ExportPlan, options: ExportOptions, stackName: string): string {
  const flowSections = plan.flows.map((flow) => {
    if (flow.verdict !== "differs") return `- \`${flow.name}\`: ${VERDICT_WORDS[flow.verdict]}`;
    const choice = decide(flow, options);
    const outcome =
      choice === "theirs"
        ? `kept as theirs in \`${overridePath(stackName, flow.template)}\` (no new version)`
        : `ours is published by the next \`up\`; the live version ${flow.liveVersionId} is recorded as previousLiveVersionId for rollback`;
    const diagram =
      flow.ours && flow.theirs
        ? ["", ...mermaidFence(flowDiagram(flow.ours, flow.theirs, { changes: flow.changes }), "  "), ""]
        : [];
    return [
      `- \`${flow.name}\`: differs from our template (ours → theirs), ${outcome}${flow.notKeepable ? `; cannot be kept: ${flow.notKeepable}` : ""}`,
      ...diagram,
      ...flow.changes.map((change) => `  - ${change.line}`),
    ].join("\n");
  });
  return [
    `# Export of \`${stackName}\``,
    "",
    `AMB asset ${plan.asset.accountName} (App ID ${plan.asset.appId}, id ${plan.asset.id}); service ${
      plan.service ? `${JSON.stringify(plan.service.name)} (id ${plan.service.id})` : "none"
    }; Data Stream ${plan.dataStream ? "on" : "off"}; edge FQDN ${plan.proxyFqdn ?? "not found"}.`,
    "",
    "## Flows",
    "",
    ...flowSections,
    ...(plan.unmanagedFlows.length > 0
      ? [
          "",
          "## Live flows the stack does not manage (left alone)",
          "",
          ...plan.unmanagedFlows.map((name) => `- \`${name}\``),
        ]
      : []),
    ...(plan.notes.length > 0 ? ["", "## Notes", "", ...plan.notes.map((note) => `- ${note}`)] : []),
    ...(plan.notInferred.length > 0
      ? ["", "## Not inferred", "", ...plan.notInferred.map((item) => `- \`${item.key}\`: ${item.why}`)]
      : []),
    "",
  ].join("\n");
}
