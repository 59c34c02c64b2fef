import { mapWithConcurrency } from "../../ops/concurrency";
import { leafChanges, renderChanges, showValue, type ResourceChange } from "../../ops/driftReport";
import { errorMessages } from "../../ops/previewDigest";
import { commentMarker, renderPreviewComment } from "../../ops/previewReport";
import {
  classifyDriftPreview,
  driftPreviewArgs,
  EXIT_CODES,
  reconcileExitCode,
  stackRefreshExcludes,
} from "../../ops/reconcile";
import {
  markdownTable,
  renderReconcileMarkdown,
  summaryRows,
  textTable,
  type StackResult,
} from "../../ops/reconcileReport";
import { remediationDecision } from "../../ops/remediation";
import { UNKNOWN } from "../../lib/facts";

const FLOW_CHANGE: ResourceChange = {
  urn: "urn:pulumi:dev-a::amb-cce-connect::amb-cce:webexconnect:LiveFlow$pulumi-nodejs:dynamic/webexconnect:LiveFlow::inbound",
  type: "pulumi-nodejs:dynamic/webexconnect:LiveFlow",
  name: "inbound",
  op: "update",
  fields: [
    {
      field: "definition",
      flowChanges: ["CCE Create Task (node 150): domain cc.example.com → cc-old.example.com"],
    },
  ],
};

function result(
  stack: string,
  outcome: StackResult["outcome"],
  extra: Partial<StackResult> = {},
): StackResult {
  return {
    stack,
    outcome,
    changes: [],
    remaining: [],
    remediation: { allowed: false, reason: "no drift", attempted: false },
    errors: [],
    durationSeconds: 1,
    ...extra,
  };
}

describe("exit code", () => {
  test.each([
    [["clean", "remediated"], EXIT_CODES.clean],
    [["clean", "drifted", "remediated"], EXIT_CODES.drift],
    [["drifted", "failed", "clean"], EXIT_CODES.failed],
    [[], EXIT_CODES.clean],
  ] as const)("%j → %i", (outcomes, code) => {
    expect(reconcileExitCode(outcomes.map((outcome) => ({ outcome })))).toBe(code);
  });

  // That drift is the CLI's own exit code is shown against the real CLI (reconcile.engine.test.ts); here, that a
  // caller can tell every outcome from the exit code alone.
  test("every outcome has its own exit code, and only a clean run exits 0", () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.entries(EXIT_CODES).filter(([, code]) => code === 0)).toEqual([["clean", 0]]);
  });
});

describe("remediation needs the flag and the stack's consent", () => {
  const key = "amb-cce-connect:reconcile.remediate";
  test.each([
    [{ [key]: true }, true, true],
    [{ [key]: "true" }, true, true],
    [{ "amb-cce-connect:reconcile": { remediate: true } }, true, true],
    [{ [key]: true }, false, false],
    [{ [key]: "false" }, true, false],
    [{}, true, false],
    [{ "other-project:reconcile.remediate": true }, true, false],
  ])("config %j, flag %s → allowed %s", (config, flag, allowed) => {
    expect(remediationDecision("amb-cce-connect", config, flag).allowed).toBe(allowed);
  });

  test("the reason tells how to allow it", () => {
    expect(remediationDecision("amb-cce-connect", {}, true).reason).toContain(
      "set amb-cce-connect:reconcile.remediate: true",
    );
    expect(remediationDecision("amb-cce-connect", { [key]: true }, false).reason).toContain("--remediate");
  });
});

describe("the drift check's command", () => {
  test("refreshes with the program's provider settings and expects no changes, as JSON", () => {
    expect(driftPreviewArgs("dev-a")).toEqual([
      "preview",
      "--refresh",
      "--run-program",
      "--expect-no-changes",
      "--json",
      "--stack",
      "dev-a",
    ]);
  });

  test("a stack that renders its manifests leaves the Kubernetes objects out of the refresh", () => {
    const renders = {
      "amb-cce-connect:kubernetes": { namespace: "amb", renderYamlToDirectory: "rendered/dev-a" },
    };
    const cluster = { "amb-cce-connect:kubernetes": { namespace: "amb", context: "cce-dev" } };
    expect(stackRefreshExcludes(renders)).toEqual(["**kubernetes:**"]);
    expect(stackRefreshExcludes(cluster)).toEqual([]);
    expect(stackRefreshExcludes({})).toEqual([]);
    expect(driftPreviewArgs("dev-a", stackRefreshExcludes(renders))).toContain("--exclude");
  });
});

describe("mapWithConcurrency", () => {
  test("never runs more than the limit at once and keeps the order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 1], 2, async (ms, index) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms * 5));
      running--;
      return index * 10;
    });
    expect(peak).toBe(2);
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
  });

  test("refuses a limit below one", async () => {
    await expect(mapWithConcurrency([1], 0, async (x) => x)).rejects.toThrow(
      "concurrency must be a whole number ≥ 1, got 0",
    );
  });
});

describe("field changes", () => {
  test("objects and arrays are walked down to the leaves that differ", () => {
    expect(
      leafChanges({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { b: 2, c: [1, 3, 4] }, d: "x" }, "in"),
    ).toEqual([
      { field: "in.a.b", before: 1, after: 2 },
      { field: "in.a.c[1]", before: 2, after: 3 },
      { field: "in.a.c[2]", before: undefined, after: 4 },
    ]);
  });

  test("values show unknowns by name, cut long text and keep markdown intact", () => {
    expect(showValue(UNKNOWN)).toBe("(known after update)");
    expect(showValue(undefined)).toBe("(absent)");
    expect(showValue("a`b")).toBe("`a'b`");
    expect(showValue("x".repeat(500)).length).toBeLessThan(170);
  });

  test("a resource renders with its URN, type and node lines", () => {
    const markdown = renderChanges([FLOW_CHANGE, { ...FLOW_CHANGE, name: "webhook", fields: [] }], "drift");
    expect(markdown).toContain(
      "#### ~ `inbound` (`pulumi-nodejs:dynamic/webexconnect:LiveFlow`): differs from the program",
    );
    expect(markdown).toContain(`URN: \`${FLOW_CHANGE.urn}\``);
    expect(markdown).toContain("  - CCE Create Task (node 150): domain cc.example.com → cc-old.example.com");
    expect(markdown).toContain("- the provider reports a change that no input shows");
  });
});

describe("failed runs", () => {
  test("a run that printed no digest fails with the CLI's error lines", () => {
    const verdict = classifyDriftPreview({
      exitCode: 255,
      stdout: "",
      stderr: "error: no stack named 'dev-x' found\n",
    });
    expect(verdict).toEqual({ kind: "failed", errors: ["no stack named 'dev-x' found"] });
  });

  test("exit 7 without a readable digest is a failure, not drift", () => {
    expect(classifyDriftPreview({ exitCode: 7, stdout: "not json", stderr: "" })).toEqual({
      kind: "failed",
      errors: ["pulumi preview exited with 7"],
    });
  });

  test("error diagnostics are named by resource and repeated lines are dropped", () => {
    const digest = {
      steps: [],
      diagnostics: [
        {
          urn: "urn:pulumi:dev-a::p::pulumi-nodejs:dynamic/webexconnect:Service::service",
          message: "error: 401 unauthorized\n",
          severity: "error",
        },
        { message: "warning: slow", severity: "warning" },
      ],
    };
    expect(errorMessages(digest, "error: update failed\nerror: update failed\n")).toEqual([
      "service: 401 unauthorized",
      "update failed",
    ]);
  });
});

describe("summary and report", () => {
  const results = [
    result("dev-a", "remediated", {
      changes: [FLOW_CHANGE],
      remediation: { allowed: true, reason: "--remediate and key", attempted: true },
    }),
    result("dev-b", "drifted", {
      changes: [FLOW_CHANGE],
      remediation: { allowed: false, reason: "report only", attempted: false },
    }),
    result("dev-c", "failed", { errors: ["service: 401 | unauthorized"], failedStep: "preview" }),
    result("dev-d", "clean"),
  ];

  test("one row per stack with outcome, count, remediation and detail", () => {
    expect(summaryRows(results)).toEqual([
      ["stack", "outcome", "drifted", "remediation", "detail"],
      ["dev-a", "remediated", "1", "pulumi up --refresh applied; verified clean", ""],
      ["dev-b", "drifted", "1", "not run: report only", ""],
      ["dev-c", "failed (preview)", "0", "-", "service: 401 | unauthorized"],
      ["dev-d", "clean", "0", "-", ""],
    ]);
  });

  test("tables align as text and escape pipes in markdown", () => {
    const rows = summaryRows(results);
    const text = textTable(rows).split("\n");
    // The widest stack cell is "stack"/"dev-a" (5 characters), then two spaces.
    rows.forEach((row, index) => expect(text[index].slice(7).startsWith(row[1])).toBe(true));
    expect(markdownTable(rows)).toContain(
      "| dev-c | failed (preview) | 0 | - | service: 401 \\| unauthorized |",
    );
  });

  test("the markdown report has a section for every stack that is not clean, and says when all are", () => {
    const report = {
      project: "p",
      generatedAt: "t",
      direction: "expected (program) → live",
      remediateRequested: true,
      exitCode: 1,
      stacks: results,
    };
    const markdown = renderReconcileMarkdown(report);
    expect(markdown).toContain("2 of 4 stack(s) drifted; 1 failed.");
    expect(markdown).toMatch(/## `dev-a`: remediated[\s\S]*## `dev-b`: drifted[\s\S]*## `dev-c`: failed/);
    expect(markdown).not.toContain("## `dev-d`");
    const clean = renderReconcileMarkdown({ ...report, exitCode: 0, stacks: [results[3]] });
    expect(clean).toContain("No drift found in 1 stack(s).");
  });

  test("the PR comment starts with its stack's marker and cuts the CLI text to fit a comment", () => {
    const comment = renderPreviewComment({
      stack: "dev-a",
      ok: false,
      changes: [FLOW_CHANGE],
      changeSummary: { same: 5, update: 1 },
      diffText: "~".repeat(100_000),
      errors: ["policy violation: amb-domain-is-fqdn"],
    });
    expect(comment.startsWith(commentMarker("dev-a"))).toBe(true);
    expect(comment).toContain("❌ preview failed: 1 to update.");
    expect(comment).toContain("- policy violation: amb-domain-is-fqdn");
    expect(comment).toContain("(cut; the job log has all of it)");
    expect(comment.length).toBeLessThan(65_536);
  });
});
