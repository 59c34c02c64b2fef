/**
 * The reconcile report: one result per stack, rendered as a table for the terminal and as Markdown with each stack's
 * drift, errors and recovery for the job summary, and written to drift-report.md and drift-report.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cut, renderChanges, type ResourceChange } from "./driftReport";
import type { Interruption, RecoveryResult } from "./recovery";
import type { RemediationDecision } from "./remediation";

export type StackOutcome = "clean" | "drifted" | "remediated" | "interrupted" | "failed";
export type ReconcileStep = "preview" | "remediate" | "verify";

/** What an interrupted run left on a stack, the commands that recover it, and what --recover did. */
export interface StackInterruption extends Interruption {
  commands: string[];
  recovery?: RecoveryResult;
}

export interface StackResult {
  stack: string;
  outcome: StackOutcome;
  /** Drift the first preview found. */
  changes: ResourceChange[];
  /** Drift the verifying preview still found after remediation. */
  remaining: ResourceChange[];
  remediation: RemediationDecision & { attempted: boolean };
  /** What went wrong, one line per error, for a failed stack. */
  errors: string[];
  failedStep?: ReconcileStep;
  /** Set when an interrupted run left a lock or pending operations. */
  interruption?: StackInterruption;
  durationSeconds: number;
}

export interface ReconcileReport {
  project: string;
  generatedAt: string;
  direction: string;
  remediateRequested: boolean;
  exitCode: number;
  stacks: StackResult[];
}

function remediationCell(result: StackResult): string {
  if (result.outcome === "interrupted")
    return result.interruption?.recovery ? "recovery stopped" : "needs recovery (--recover)";
  if (result.changes.length === 0) return "-";
  if (!result.remediation.attempted) return `not run: ${result.remediation.reason}`;
  if (result.outcome === "remediated") return "pulumi up --refresh applied; verified clean";
  if (result.failedStep === "remediate") return "pulumi up --refresh failed";
  return "pulumi up --refresh applied; drift remains";
}

/** Table cells stay short; the stack's section below the table has the errors in full. */
const DETAIL_LENGTH = 200;

function interruptionDetail(interruption: StackInterruption | undefined): string {
  if (!interruption) return "";
  const damaged = (interruption.damaged ?? []).length;
  const found = `${interruption.locks.length} lock(s), ${interruption.pendingOperations.length} pending operation(s)${
    damaged > 0 ? `, ${damaged} damaged checkpoint file(s)` : ""
  }`;
  return interruption.recovery?.ok
    ? `recovered from ${found}`
    : `${found}: ${interruption.commands.join(" && ")}`;
}

/** One row per stack: stack, outcome, drifted resources, remediation, detail. */
export function summaryRows(results: readonly StackResult[]): string[][] {
  return [
    ["stack", "outcome", "drifted", "remediation", "detail"],
    ...results.map((result) => [
      result.stack,
      result.failedStep ? `${result.outcome} (${result.failedStep})` : result.outcome,
      String(result.changes.length),
      remediationCell(result),
      cut(result.errors.join("; "), DETAIL_LENGTH) ||
        interruptionDetail(result.interruption) ||
        (result.remaining.length > 0 ? `${result.remaining.length} resource(s) still drifted` : ""),
    ]),
  ];
}

export function textTable(rows: readonly string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function markdownTable(rows: readonly string[][]): string {
  const line = (row: readonly string[]) =>
    `| ${row.map((cell) => cell.replace(/\|/g, "\\|") || " ").join(" | ")} |`;
  return [line(rows[0]), line(rows[0].map(() => "---")), ...rows.slice(1).map(line)].join("\n");
}

function interruptionSection(interruption: StackInterruption): string[] {
  const lines = [
    ...interruption.locks.map(
      (lock) =>
        `- lock \`${lock.location}\`: taken by ${lock.username ?? "?"}@${lock.hostname ?? "?"} (pid ${lock.pid ?? "?"}) at ${lock.timestamp ?? "?"}`,
    ),
    ...interruption.pendingOperations.map((op) => `- pending operation: ${op.type} \`${op.urn}\``),
    ...(interruption.damaged ?? []).map(
      (file) =>
        `- damaged checkpoint metadata \`${file}\`: empty (the run was killed while writing it; its pending operations show once it is removed)`,
    ),
  ];
  const parts = ["### Interrupted run", lines.join("\n")];
  if (interruption.recovery)
    parts.push(
      interruption.recovery.ok ? "Recovered:" : `Recovery stopped: ${interruption.recovery.refused}`,
      interruption.recovery.steps.map((step) => `- ${step}`).join("\n"),
    );
  if (!interruption.recovery?.ok)
    parts.push(
      "Recover by hand (docs/operations.md, Recovery after an interrupted run):",
      ["```sh", ...interruption.commands, "```"].join("\n"),
    );
  return parts.filter((part) => part !== "");
}

function stackSection(result: StackResult): string[] {
  if (result.outcome === "clean" && !result.interruption) return [];
  const parts = [`## \`${result.stack}\`: ${result.outcome}`];
  if (result.interruption) parts.push(...interruptionSection(result.interruption));
  if (result.changes.length > 0) parts.push("### Drift found", renderChanges(result.changes, "drift"));
  if (result.remaining.length > 0)
    parts.push("### Still drifted after remediation", renderChanges(result.remaining, "drift"));
  if (result.errors.length > 0)
    parts.push(
      `### Errors (${result.failedStep ?? "run"})`,
      result.errors.map((error) => `- ${error}`).join("\n"),
    );
  return parts;
}

export function renderReconcileMarkdown(report: ReconcileReport): string {
  const drifted = report.stacks.filter((result) => result.changes.length > 0).length;
  const failed = report.stacks.filter((result) => result.outcome === "failed").length;
  const interrupted = report.stacks.filter((result) => result.outcome === "interrupted").length;
  const headline =
    drifted === 0 && failed === 0 && interrupted === 0
      ? `No drift found in ${report.stacks.length} stack(s).`
      : `${drifted} of ${report.stacks.length} stack(s) drifted; ${failed} failed${
          interrupted > 0 ? `; ${interrupted} need recovery after an interrupted run` : ""
        }.`;
  return (
    [
      `# Drift report: \`${report.project}\``,
      `Generated ${report.generatedAt}. Values read ${report.direction}. Remediation ${
        report.remediateRequested
          ? "requested (--remediate; each stack must allow it)"
          : "not requested (report only)"
      }. Exit code ${report.exitCode}.`,
      headline,
      markdownTable(summaryRows(report.stacks)),
      ...report.stacks.flatMap(stackSection),
    ].join("\n\n") + "\n"
  );
}

export const REPORT_FILES = { markdown: "drift-report.md", json: "drift-report.json" } as const;

/** Writes drift-report.md and drift-report.json into `dir`; returns their paths. */
export function writeReconcileReport(
  report: ReconcileReport,
  dir: string,
): { markdown: string; json: string } {
  fs.mkdirSync(dir, { recursive: true });
  const markdown = path.join(dir, REPORT_FILES.markdown);
  const json = path.join(dir, REPORT_FILES.json);
  fs.writeFileSync(markdown, renderReconcileMarkdown(report));
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, json };
}
