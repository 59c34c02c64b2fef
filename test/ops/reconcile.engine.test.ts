/**
 * The reconcile command against the Webex Connect emulator under the real engine, on a copy of
 * test/fixtures/reconcile-project with three stacks on a throw-away file backend: a clean fleet, a portal edit of a
 * live flow reported node by node and remediated only when the run and the stack allow it, a pull-request preview,
 * one stack failing while the other two are reconciled, and a reconcile 13 emulated hours later, when the 12-hour
 * personal access token has expired and the renewing credential (OAuth refresh-token grant) still works.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_REFRESH_TOKEN,
  DEFAULT_TOKEN,
} from "../../emulator/server";
import { DIRECTION, renderChanges, resourceChanges } from "../../ops/driftReport";
import { LIVE_FLOW_TYPE } from "../../lib/facts";
import { parsePreviewDigest } from "../../ops/previewDigest";
import { PULUMI_CHANGES_EXIT_CODE, runPulumi } from "../../ops/pulumiCli";
import { driftPreviewArgs } from "../../ops/reconcile";
import {
  CREATE_TASK_LINE,
  domain,
  fleet,
  liveFlow,
  must,
  portalEditDomain,
  readReport,
  reconcileCommand,
  REMEDIATE_KEY,
  STACKS,
  useReconcileFleet,
} from "./reconcileFleet";

jest.setTimeout(20 * 60 * 1000);

useReconcileFleet();

test("a fleet without drift (stacks listed by the backend): exit 0 and an empty report", async () => {
  const run = await reconcileCommand(["--remediate", "--from-backend"]);
  expect(run.exitCode).toBe(0);
  const { json, markdown } = readReport(run);
  expect(json.stacks.map((result) => [result.stack, result.outcome, result.changes])).toEqual(
    STACKS.map((stack) => [stack, "clean", []]),
  );
  expect(markdown).toContain("No drift found in 3 stack(s).");
  expect(markdown).not.toContain("## `");
});

test("the captured preview JSON of a portal edit reads node by node, both ways", async () => {
  await portalEditDomain("dev-a", "cc-old.example.com");
  const run = await runPulumi(driftPreviewArgs("dev-a"), { cwd: fleet.projectDir, env: fleet.env });
  expect(run.exitCode).toBe(PULUMI_CHANGES_EXIT_CODE);
  const digest = parsePreviewDigest(run.stdout)!;
  expect(digest).toBeDefined();

  const drift = resourceChanges(digest, "drift");
  expect(drift).toEqual([
    {
      urn: expect.stringMatching(/^urn:pulumi:dev-a::reconcile-fixture::.*LiveFlow::inbound$/),
      type: LIVE_FLOW_TYPE,
      name: "inbound",
      op: "update",
      fields: [
        {
          field: "definition",
          flowChanges: [expect.stringMatching(CREATE_TASK_LINE(domain("dev-a"), "cc-old.example.com"))],
          // The changed flow drawn for the report (flows/mermaid.ts): the Create Task node marked as changed.
          diagram: expect.stringMatching(/flowchart TD[\s\S]*"CCE Create Task<br\/>node \d+ · changed"/),
        },
      ],
    },
  ]);
  // The same digest read as a pull-request preview says what `up` would do: back to the program's domain.
  const [proposed] = resourceChanges(digest, "preview");
  expect(proposed.fields[0].flowChanges).toEqual([
    expect.stringMatching(CREATE_TASK_LINE("cc-old.example.com", domain("dev-a"))),
  ]);
  expect(renderChanges(drift, "drift")).toContain(`  - ${drift[0].fields[0].flowChanges![0]}`);
  expect(run.stdout).not.toContain(DEFAULT_TOKEN);
});

test("drift is reported, remediated only with --remediate, verified, and the next run is clean", async () => {
  const reportOnly = await reconcileCommand(["--stack", "dev-a"]);
  expect(reportOnly.exitCode).toBe(7);
  const first = readReport(reportOnly);
  expect(first.byStack["dev-a"]).toMatchObject({
    outcome: "drifted",
    remediation: { allowed: false, attempted: false },
  });
  expect(first.byStack["dev-a"].changes[0].fields[0].flowChanges).toEqual([
    expect.stringMatching(CREATE_TASK_LINE(domain("dev-a"), "cc-old.example.com")),
  ]);
  expect(first.markdown).toContain(DIRECTION.drift);
  expect(first.markdown).toMatch(
    /## `dev-a`: drifted[\s\S]*CCE Create Task \(node \d+\): domain cc-dev-a\.example\.com → cc-old\.example\.com/,
  );
  expect((await liveFlow("dev-a")).createTaskDomain).toBe("cc-old.example.com");

  const remediate = await reconcileCommand(["--stack", "dev-a", "--remediate"]);
  expect(remediate.exitCode).toBe(0);
  expect(readReport(remediate).byStack["dev-a"]).toMatchObject({
    outcome: "remediated",
    remaining: [],
    remediation: { attempted: true },
  });
  expect((await liveFlow("dev-a")).createTaskDomain).toBe(domain("dev-a"));

  const again = await reconcileCommand(["--stack", "dev-a", "--remediate"]);
  expect(again.exitCode).toBe(0);
  expect(readReport(again).byStack["dev-a"].outcome).toBe("clean");
});

test("a stack that does not allow remediation is only reported, with how to allow it", async () => {
  await portalEditDomain("dev-b", "cc-old.example.com");
  const run = await reconcileCommand(["--stack", "dev-b", "--remediate"]);
  expect(run.exitCode).toBe(7);
  const result = readReport(run).byStack["dev-b"];
  expect(result).toMatchObject({ outcome: "drifted", remediation: { allowed: false, attempted: false } });
  expect(result.remediation.reason).toContain(`set ${REMEDIATE_KEY}: true`);
  expect((await liveFlow("dev-b")).createTaskDomain).toBe("cc-old.example.com");
});

test("a pull-request preview comments the node-level flow change", async () => {
  await must(["config", "set", "reconcile-fixture:fqdn", "cc-a2.example.com"], "dev-a");
  try {
    const run = await reconcileCommand(["--mode", "preview", "--stack", "dev-a"]);
    expect(run.exitCode).toBe(0);
    const comment = fs.readFileSync(path.join(run.reportDir, "preview-dev-a.md"), "utf8");
    expect(comment).toMatch(/^<!-- amb-cce-preview:dev-a -->/);
    expect(comment).toContain("✅ preview succeeded: 1 to update.");
    expect(comment).toMatch(
      / {2}- CCE Create Task \(node \d+\): domain cc-dev-a\.example\.com → cc-a2\.example\.com/,
    );
    expect(comment).toMatch(
      /<summary>pulumi preview --diff<\/summary>[\s\S]*~ pulumi-nodejs:dynamic\/webexconnect:LiveFlow: \(update\)/,
    );
  } finally {
    await must(["config", "set", "reconcile-fixture:fqdn", domain("dev-a")], "dev-a");
  }
});

test("three stacks, one failing: the other two are reconciled and the failure summarised", async () => {
  await must(["config", "set", REMEDIATE_KEY, "true"], "dev-b");
  await portalEditDomain("dev-a", "cc-old.example.com");
  await must(["config", "set", "--secret", "webexconnect:token", "revoked-token"], "dev-c");

  const run = await reconcileCommand(["--remediate", "--concurrency", "2"]);
  expect(run.exitCode).toBe(1);
  const { byStack, markdown } = readReport(run);
  expect(byStack["dev-a"]).toMatchObject({ outcome: "remediated", remediation: { attempted: true } });
  expect(byStack["dev-b"]).toMatchObject({ outcome: "remediated", remediation: { attempted: true } });
  expect(byStack["dev-c"]).toMatchObject({ outcome: "failed", failedStep: "preview", changes: [] });
  expect(byStack["dev-c"].errors.join("\n")).toContain("Webex Connect rejected the access token (401)");
  expect(markdown).toMatch(
    /\| dev-c \| failed \(preview\) \| 0 \| - \| [^|]*rejected the access token \(401\)/,
  );
  expect(run.stdout).toMatch(/dev-c\s+failed \(preview\)/);
  for (const stack of ["dev-a", "dev-b"] as const)
    expect((await liveFlow(stack)).createTaskDomain).toBe(domain(stack));

  const reports = fs
    .readdirSync(run.reportDir)
    .map((file) => fs.readFileSync(path.join(run.reportDir, file), "utf8"));
  for (const text of [...reports, run.stdout]) {
    expect(text).not.toContain(DEFAULT_TOKEN);
    expect(text).not.toContain("revoked-token");
  }
});

test("13 hours later (emulated): the renewing credential still reconciles; the expired token says which and how", async () => {
  // dev-a moves to the renewing credential (an integration's client id, secret and refresh token); dev-b keeps the
  // personal access token, which the fleet.emulator, like Webex, lets live 12 hours.
  await must(["config", "rm", "webexconnect:token"], "dev-a");
  const renewing = {
    "webexconnect:clientId": DEFAULT_CLIENT_ID,
    "webexconnect:clientSecret": DEFAULT_CLIENT_SECRET,
    "webexconnect:refreshToken": DEFAULT_REFRESH_TOKEN,
  };
  await must(
    [
      "config",
      "set-all",
      ...Object.entries(renewing).flatMap(([key, value]) => ["--secret", `${key}=${value}`]),
    ],
    "dev-a",
  );
  const first = await reconcileCommand(["--remediate", "--stack", "dev-a", "--stack", "dev-b"]);
  expect(first.exitCode).toBe(0);
  const firstResults = readReport(first).byStack;
  expect([firstResults["dev-a"].outcome, firstResults["dev-b"].outcome]).toEqual(["clean", "clean"]);

  await fleet.emulator.control.advanceClock(13 * 3600);
  await portalEditDomain("dev-a", "cc-old.example.com");
  const grantsBefore = (await fleet.emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0;
  const later = await reconcileCommand(["--remediate", "--stack", "dev-a", "--stack", "dev-b"]);
  expect(later.exitCode).toBe(1);
  const { byStack } = readReport(later);
  expect(byStack["dev-a"]).toMatchObject({
    outcome: "remediated",
    remaining: [],
    remediation: { attempted: true },
  });
  expect((await liveFlow("dev-a")).createTaskDomain).toBe(domain("dev-a"));
  // Each pulumi run (preview, up, verifying preview) is a new provider process: one grant each, at least.
  expect(
    ((await fleet.emulator.control.requests()).counts["auth.accessToken"]?.POST ?? 0) - grantsBefore,
  ).toBeGreaterThanOrEqual(3);

  expect(byStack["dev-b"]).toMatchObject({ outcome: "failed", failedStep: "preview" });
  const expired = byStack["dev-b"].errors.join("\n");
  expect(expired).toContain("Webex Connect rejected the access token (401)");
  expect(expired).toContain("the static access token (webexconnect:token) is expired or invalid");
  expect(expired).toContain("Personal access tokens last 12 hours");
  expect(expired).toContain("use the renewing credential instead");

  // The provider's notice reaches the run's output: the refresh token has under 14 days left, and what to do.
  const preview = await must(["preview", "--refresh", "--run-program"], "dev-a");
  expect(`${preview.stdout}\n${preview.stderr}`).toMatch(
    /webexconnect: The refresh token \(webexconnect:refreshToken\) expires at \S+Z: authorize the integration or service app again/,
  );

  const reports = fs
    .readdirSync(later.reportDir)
    .map((file) => fs.readFileSync(path.join(later.reportDir, file), "utf8"));
  const stateFiles = fs
    .readdirSync(path.join(fleet.root, "state"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"));
  for (const text of [
    ...reports,
    ...stateFiles,
    first.stdout,
    later.stdout,
    preview.stdout,
    preview.stderr,
  ]) {
    for (const secret of [DEFAULT_TOKEN, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/wxc-at-/);
  }
});
