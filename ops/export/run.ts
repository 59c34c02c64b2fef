/**
 * `npm run export`: reads each chosen AMB asset of an organization, plans its stack (./plan.ts), lets the user
 * choose for each flow that differs from our template, and writes the stack file, the override files and a report.
 * Nothing is written for an asset whose files would not pass the program's validation.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { Environment } from "../../config/stackConfig";
import type { TemplateName } from "../../flows";
import type { WebexConnectClient } from "../../webexconnect";
import { planExport, type ExportPlan, type FlowPlan } from "./plan";
import { renderExport, undecidedFlows, type ExportFiles, type FlowChoice } from "./stackFile";
import { allAppIds, readTenantAsset, type Progress } from "./tenant";

export interface ExportRunOptions {
  /** App IDs to export, or every AMB asset of the organization. */
  appIds: string[] | "all";
  environment: Environment;
  assetKey?: string;
  region?: string;
  baseUrl?: string;
  /** An existing stack file whose Kubernetes-side sections the exported stacks start from. */
  kubernetesFrom?: string;
  /** Templates (or "all") whose hand-edited live flow is kept as an override, or replaced by ours. */
  keepTheirs: ReadonlyArray<TemplateName | "all">;
  takeOurs: ReadonlyArray<TemplateName | "all">;
  /** The project folder: files go to its stacks/, reports to its .work/export/. */
  projectDir: string;
  /** Overwrite a stack file that exists with other content. */
  force?: boolean;
  /** Asked for each differing flow still undecided (an interactive terminal); without it they are an error. */
  ask?: (flow: FlowPlan) => Promise<FlowChoice>;
}

export interface ExportResult {
  plan: ExportPlan;
  files: ExportFiles;
  /** Paths written, relative to the project folder (none when every file already held the same bytes). */
  written: string[];
  reportPath: string;
}

function choicesFor(plan: ExportPlan, options: ExportRunOptions): Partial<Record<TemplateName, FlowChoice>> {
  const chosen = (list: ReadonlyArray<TemplateName | "all">, template: TemplateName) =>
    list.includes("all") || list.includes(template);
  return Object.fromEntries(
    plan.flows
      .filter((flow) => flow.verdict === "differs")
      .flatMap((flow): Array<[TemplateName, FlowChoice]> => {
        if (chosen(options.keepTheirs, flow.template)) return [[flow.template, "theirs"]];
        if (chosen(options.takeOurs, flow.template)) return [[flow.template, "ours"]];
        return [];
      }),
  );
}

function readKubernetesFrom(file: string): { file: string; config: Record<string, unknown> } {
  const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  if (!document?.config) throw new Error(`--kubernetes-from ${file}: the file has no config mapping`);
  return { file: path.basename(file), config: document.config };
}

/** Writes `text` unless the file holds it already; refuses to replace other content without `force`. */
function writeFile(projectDir: string, relative: string, text: string, force: boolean): boolean {
  const target = path.join(projectDir, relative);
  if (fs.existsSync(target)) {
    const current = fs.readFileSync(target, "utf8");
    if (current === text) return false;
    if (!force)
      throw new Error(
        `${relative} exists with other content: pass --force to replace it, or move it away first`,
      );
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  return true;
}

export async function runExport(
  client: WebexConnectClient,
  options: ExportRunOptions,
  progress: Progress,
): Promise<ExportResult[]> {
  const appIds = options.appIds === "all" ? await allAppIds(client) : [...options.appIds].sort();
  if (appIds.length === 0) throw new Error("The organization has no AMB asset to export");
  if (options.assetKey && appIds.length > 1)
    throw new Error("--asset-key names one stack: give one --app-id with it");
  const kubernetesFrom = options.kubernetesFrom ? readKubernetesFrom(options.kubernetesFrom) : undefined;
  const results: ExportResult[] = [];
  for (const [index, appId] of appIds.entries()) {
    progress(`[${index + 1}/${appIds.length}] reading`);
    const plan = planExport(await readTenantAsset(client, appId, progress));
    const choices = choicesFor(plan, options);
    const renderOptions = {
      environment: options.environment,
      assetKey: options.assetKey,
      region: options.region,
      baseUrl: options.baseUrl,
      kubernetesFrom,
      choices,
    };
    for (const flow of undecidedFlows(plan, renderOptions)) {
      if (options.ask) {
        choices[flow.template] = await options.ask(flow);
        continue;
      }
      progress(`  ${flow.name} differs from our template (ours → theirs):`);
      for (const change of flow.changes) progress(`    - ${change.line}`);
    }
    const files = renderExport(plan, renderOptions);
    const written = [files.stackFile, ...files.overrides]
      .filter((file) => writeFile(options.projectDir, file.path, file.text, options.force ?? false))
      .map((file) => file.path);
    const reportPath = path.join(".work", "export", `export-${files.stackName}.md`);
    writeFile(options.projectDir, reportPath, files.report, true);
    for (const flow of plan.flows) progress(`  ${flow.verdict.padEnd(7)} ${flow.name}`);
    progress(
      `  ${written.length > 0 ? `wrote ${written.join(", ")}` : `${files.stackFile.path} is up to date`}`,
    );
    results.push({ plan, files, written, reportPath });
  }
  return results;
}
