/**
 * Drift reconciliation and pull-request previews from the command line (docs/operations.md):
 *   npx ts-node --transpile-only scripts/reconcile.ts [--stack S]... [--remediate] [--recover] [--concurrency N]
 *   npx ts-node --transpile-only scripts/reconcile.ts --mode preview --stack S [--policy-pack DIR]...
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_STALE_LOCK_MINUTES } from "../ops/backendLocks";
import { DEFAULT_CONCURRENCY, reconcile } from "../ops/reconcile";
import { markdownTable, summaryRows, textTable, writeReconcileReport } from "../ops/reconcileReport";
import { previewStack, writePreviewReport } from "../ops/previewReport";

const HELP = `Usage: scripts/reconcile.ts [options]

Drift mode (default): pulumi preview --refresh --expect-no-changes per stack; drift reported, remediated with
pulumi up --refresh --yes where --remediate is given AND the stack sets <project>:reconcile.remediate: true.
  --stack S            a stack to reconcile; repeatable (default: every stack file of the project)
  --from-backend       take the stacks from pulumi stack ls --json instead of the stack files
  --remediate          allow remediation (each stack must allow it too)
  --recover            recover stacks an interrupted run left locked or with pending operations:
                       pulumi cancel (stale locks only), then pulumi refresh --clear-pending-creates
  --stale-lock-minutes M  a lock taken on another machine counts as stale after M minutes (default ${DEFAULT_STALE_LOCK_MINUTES});
                       one taken on this machine is stale as soon as its process is gone
  --concurrency N      stacks in parallel (default ${DEFAULT_CONCURRENCY}: this machine's cores, at most 4)
Exit: 0 clean or all drift remediated, 7 drift remains, 3 a stack needs recovery after an interrupted run
(the report gives the commands), 1 a stack failed, 2 bad usage.

Preview mode (--mode preview): pulumi preview --diff and --json for one stack, written as a PR comment.
  --stack S            the stack (exactly one)
  --policy-pack DIR    a policy pack to run; repeatable
Exit: 0 preview succeeded, 1 it failed (errors or policy violations), 2 bad usage.

Both:
  --project DIR        the Pulumi project (default: the current directory)
  --report-dir DIR     where reports go (default .work/reports)
The backend and passphrase come from PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE.
`;

function usage(message: string): never {
  process.stderr.write(`${message}\n\n${HELP}`);
  process.exit(2);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        mode: { type: "string", default: "drift" },
        stack: { type: "string", multiple: true, default: [] },
        "from-backend": { type: "boolean", default: false },
        remediate: { type: "boolean", default: false },
        recover: { type: "boolean", default: false },
        "stale-lock-minutes": { type: "string", default: String(DEFAULT_STALE_LOCK_MINUTES) },
        concurrency: { type: "string", default: String(DEFAULT_CONCURRENCY) },
        "policy-pack": { type: "string", multiple: true, default: [] },
        project: { type: "string", default: "." },
        "report-dir": { type: "string", default: path.join(".work", "reports") },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const projectDir = path.resolve(values.project);
  const reportDir = path.resolve(values["report-dir"]);
  const progress = (line: string) => process.stderr.write(`${line}\n`);

  if (values.mode === "preview") {
    if (values.stack.length !== 1)
      usage(`--mode preview needs exactly one --stack, got ${values.stack.length}`);
    const result = await previewStack({
      projectDir,
      stack: values.stack[0],
      policyPacks: values["policy-pack"].map((pack) => path.resolve(pack)),
    });
    progress(
      `[${result.stack}] preview ${result.ok ? "succeeded" : "failed"}: ${writePreviewReport(result, reportDir)}`,
    );
    return result.ok ? 0 : 1;
  }
  if (values.mode !== "drift") usage(`--mode must be drift or preview, got ${JSON.stringify(values.mode)}`);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    usage(`--concurrency must be a whole number ≥ 1, got ${values.concurrency}`);
  const staleLockMinutes = Number(values["stale-lock-minutes"]);
  if (!Number.isInteger(staleLockMinutes) || staleLockMinutes < 0)
    usage(`--stale-lock-minutes must be a whole number ≥ 0, got ${values["stale-lock-minutes"]}`);

  const report = await reconcile({
    projectDir,
    stacks: values.stack,
    fromBackend: values["from-backend"],
    remediate: values.remediate,
    recover: values.recover,
    staleLockMinutes,
    concurrency,
    onProgress: progress,
  });
  const files = writeReconcileReport(report, reportDir);
  const rows = summaryRows(report.stacks);
  process.stdout.write(`${textTable(rows)}\n\nreports: ${files.markdown}, ${files.json}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) {
    fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdownTable(rows)}\n`);
  }
  return report.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`reconcile: ${error.message}\n`);
    process.exit(1);
  },
);
