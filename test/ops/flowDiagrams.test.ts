/**
 * The PR comment and the drift report draw each changed flow as a Mermaid diagram, checked here with Mermaid's own
 * parser. The fixture is what `pulumi preview --json` prints for a stack whose inbound flow's CCE domain changes
 * and whose CustomerClose flow does not.
 */
import {
  bindFlow,
  customerCloseFlowTemplate,
  inboundFlowTemplate,
  loadTemplate,
  type FlowDocument,
} from "../../flows";
import { renderChanges, resourceChanges } from "../../ops/driftReport";
import { LIVE_FLOW_TYPE } from "../../lib/facts";
import { parsePreviewDigest } from "../../ops/previewDigest";
import { renderPreviewComment } from "../../ops/previewReport";
import { renderReconcileMarkdown } from "../../ops/reconcileReport";
import { mermaidBlocks, parseMermaid } from "../support/mermaid";

const BINDINGS = {
  proxyFqdn: "cc.example.com",
  appId: "d52e0a7b-retail",
  ambAccountId: "ca7c8be7-1dec-4580-9668-a92ab0054485",
  ambAssetId: "asset-retail",
  serviceId: "svc-retail",
};

function bound(template: Parameters<typeof loadTemplate>[0]): FlowDocument {
  const result = bindFlow(loadTemplate(template), BINDINGS);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.flow;
}

const urn = (name: string) =>
  `urn:pulumi:dev-retail::amb-cce-connect::amb-cce:webexconnect:LiveFlow$${LIVE_FLOW_TYPE}::${name}`;

function flowStep(name: string, op: string, before: FlowDocument, after: FlowDocument) {
  const inputs = (definition: FlowDocument) => ({
    __provider: "serialized",
    name,
    definition,
    serviceId: "svc-retail",
  });
  return {
    op,
    urn: urn(name),
    oldState: {
      urn: urn(name),
      type: LIVE_FLOW_TYPE,
      custom: true,
      inputs: inputs(before),
      outputs: { status: "live" },
    },
    newState: { urn: urn(name), type: LIVE_FLOW_TYPE, custom: true, inputs: inputs(after) },
    ...(op === "update"
      ? { diffReasons: ["definition"], detailedDiff: { definition: { kind: "update" } } }
      : {}),
  };
}

const inbound = bound(inboundFlowTemplate);
const proposed = structuredClone(inbound);
proposed.nodes.find((node) => node.id === "150")!.config.domain = "cc2.example.com";
const close = bound(customerCloseFlowTemplate);

/** The CLI's JSON, as text, the way previewStack reads it. */
const PREVIEW_JSON = JSON.stringify({
  steps: [flowStep("inbound", "update", inbound, proposed), flowStep("customer-close", "same", close, close)],
  diagnostics: [],
  changeSummary: { same: 7, update: 1 },
});

describe("flow diagrams in reports", () => {
  test("the PR comment for a changed flow has one diagram, which Mermaid's parser accepts, above the node lines", () => {
    const digest = parsePreviewDigest(PREVIEW_JSON)!;
    const comment = renderPreviewComment({
      stack: "dev-retail",
      ok: true,
      changes: resourceChanges(digest, "preview"),
      changeSummary: digest.changeSummary ?? {},
      diffText: "~ webexconnect:LiveFlow inbound update [diff: ~definition]",
      errors: [],
    });
    const blocks = mermaidBlocks(comment);
    expect(blocks).toHaveLength(1); // only the changed flow
    expect(blocks[0]).toContain('n150["CCE Create Task<br/>node 150 · changed"]:::changed');
    expect(parseMermaid(blocks)).toEqual([{ ok: true, diagramType: "flowchart-v2" }]);
    const line = "CCE Create Task (node 150): domain cc.example.com → cc2.example.com";
    expect(comment.indexOf("```mermaid")).toBeLessThan(comment.indexOf(`  - ${line}`));
    expect(comment).toContain(`  - ${line}`);
  });

  test("the drift report draws the live flow, the portal's edit highlighted", () => {
    // Drift: the refreshed state (old) holds what the portal shows, the program (new) what the stack declares.
    const live = structuredClone(inbound);
    live.nodes = live.nodes.filter((node) => node.id !== "2072");
    live.nodes.find((node) => node.id === "13")!.outcomes = { text: "2009", attachment: "2009" };
    const digest = parsePreviewDigest(
      JSON.stringify({ steps: [flowStep("inbound", "update", live, inbound)] }),
    )!;
    const changes = resourceChanges(digest, "drift");
    const markdown = renderReconcileMarkdown({
      project: "amb-cce-connect",
      generatedAt: "2026-01-01T00:00:00Z",
      direction: "expected (program) → live",
      remediateRequested: false,
      exitCode: 7,
      stacks: [
        {
          stack: "dev-retail",
          outcome: "drifted",
          changes,
          remaining: [],
          remediation: { allowed: false, reason: "report only", attempted: false },
          errors: [],
          durationSeconds: 1,
        },
      ],
    });
    const [diagram] = mermaidBlocks(markdown);
    expect(diagram).toContain('n2072["Append Conversation<br/>node 2072 · removed"]:::removed');
    expect(diagram).toContain('n13 -->|"attachment, text"| n2009');
    expect(diagram).toContain('n13 -.->|"attachment, text (removed)"| n2072');
    expect(markdown).toContain("  - Append Conversation (node 2072) removed (appendConversation v1.0)");
    expect(mermaidBlocks(renderChanges(changes, "drift"))).toEqual([diagram]);
    expect(parseMermaid([diagram])).toEqual([{ ok: true, diagramType: "flowchart-v2" }]);
  });
});
