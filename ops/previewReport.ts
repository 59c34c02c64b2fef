/**
 * The pull-request preview of one stack: the CLI's own `--diff` text (which carries the policy pack's verdicts) and
 * the same changes read from `--json` with the drift report's code in "preview" mode, so a flow change shows node by
 * node. Both runs get the same policy packs, so remediating policies shape both alike. Without --refresh a preview
 * makes no Webex Connect calls, so the second run costs only the program's own time.
 */
import { redactCredentialLikeValues } from "../policies/rules/configMapCredentials";
import * as fs from "node:fs";
import * as path from "node:path";
import { DIRECTION, renderChanges, resourceChanges, type ResourceChange } from "./driftReport";
import { errorMessages, parsePreviewDigest } from "./previewDigest";
import { runPulumi } from "./pulumiCli";

export interface PreviewOptions {
  projectDir: string;
  stack: string;
  policyPacks?: string[];
  env?: NodeJS.ProcessEnv;
  pulumiCommand?: string;
}

export interface PreviewResult {
  stack: string;
  ok: boolean;
  changes: ResourceChange[];
  changeSummary: Record<string, number>;
  /** `pulumi preview --diff` output, policy results included. */
  diffText: string;
  errors: string[];
}

export async function previewStack(options: PreviewOptions): Promise<PreviewResult> {
  const cli = { cwd: options.projectDir, env: options.env, command: options.pulumiCommand };
  const common = [
    "--stack",
    options.stack,
    ...(options.policyPacks ?? []).flatMap((pack) => ["--policy-pack", pack]),
  ];
  const text = await runPulumi(["preview", "--diff", "--suppress-progress", ...common], cli);
  const json = await runPulumi(["preview", "--json", ...common], cli);
  const digest = parsePreviewDigest(json.stdout);
  const ok = text.exitCode === 0 && json.exitCode === 0 && digest !== undefined;
  const errors = ok ? [] : errorMessages(digest, `${text.stdout}\n${text.stderr}\n${json.stderr}`);
  return {
    stack: options.stack,
    ok,
    changes: digest ? resourceChanges(digest, "preview") : [],
    changeSummary: digest?.changeSummary ?? {},
    diffText: `${text.stdout}${text.stderr}`.trim(),
    errors:
      ok || errors.length > 0
        ? errors
        : [`pulumi preview exited with ${text.exitCode} (--diff) and ${json.exitCode} (--json)`],
  };
}

/** GitHub refuses comments over 65,536 characters; the CLI's text is cut first. */
const COMMENT_LIMIT = 60_000;

/** A hidden marker per stack, so a workflow can update its earlier comment instead of adding one per push. */
export function commentMarker(stack: string): string {
  return `<!-- amb-cce-preview:${stack} -->`;
}

export function renderPreviewComment(result: PreviewResult): string {
  const counts = Object.entries(result.changeSummary)
    .filter(([op, count]) => op !== "same" && count > 0)
    .map(([op, count]) => `${count} to ${op}`);
  const status = result.ok ? "✅ preview succeeded" : "❌ preview failed";
  const head = [
    commentMarker(result.stack),
    `### Pulumi preview: \`${result.stack}\``,
    `${status}: ${counts.length > 0 ? counts.join(", ") : "no changes"}. Values read ${DIRECTION.preview}.`,
    ...(result.errors.length > 0 ? [result.errors.map((error) => `- ${error}`).join("\n")] : []),
    ...(result.changes.length > 0 ? [renderChanges(result.changes, "preview")] : []),
  ].join("\n\n");
  const room = COMMENT_LIMIT - head.length - 200;
  // The CLI's diff shows plain values; one that looks like a credential must not reach a pull-request comment.
  const diffText = redactCredentialLikeValues(result.diffText);
  const diff =
    diffText.length > room ? `${diffText.slice(0, room)}\n… (cut; the job log has all of it)` : diffText;
  return `${head}\n\n<details><summary>pulumi preview --diff</summary>\n\n\`\`\`\n${diff}\n\`\`\`\n\n</details>\n`;
}

/** Writes preview-<stack>.md (the comment) and preview-<stack>.json into `dir`; returns the markdown's path. */
export function writePreviewReport(result: PreviewResult, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const markdown = path.join(dir, `preview-${result.stack}.md`);
  fs.writeFileSync(markdown, renderPreviewComment(result));
  // The CLI's text is in the comment already; the JSON keeps the structured changes.
  const data = { ...result, diffText: undefined };
  fs.writeFileSync(path.join(dir, `preview-${result.stack}.json`), `${JSON.stringify(data, null, 2)}\n`);
  return markdown;
}
