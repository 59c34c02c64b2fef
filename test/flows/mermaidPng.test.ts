/**
 * A changed flow's diagram rendered to PNG by headless Chromium with Mermaid's own browser bundle, as GitHub draws
 * it for a person. The PNGs stay in .work/diagrams/ to be looked at.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  flowDiagram,
  inboundFlowTemplate,
  loadTemplate,
  type FlowDocument,
  type FlowNode,
} from "../../flows";
import { renderDiagramPng } from "../support/chromium";
import { repoRoot } from "../../harness/pulumiEngine";
import { bindOrThrow, VALID_BINDINGS } from "./support";

jest.setTimeout(180_000);

const OUT = path.join(repoRoot, ".work", "diagrams");
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test("the inbound flow with a changed CCE domain and a node added renders, the changes highlighted", () => {
  const before = bindOrThrow(loadTemplate(inboundFlowTemplate), VALID_BINDINGS);
  const after: FlowDocument = structuredClone(before);
  after.nodes.find((node) => node.id === "150")!.config.domain = "cc2.example.com";
  after.nodes.find((node) => node.id === "13")!.outcomes = { text: "2072", attachment: "3000" };
  after.nodes.push({
    id: "3000",
    type: "appendConversation",
    name: "Append attachment",
    version: "1.0",
    config: {},
    outcomes: { onSuccess: "2009" },
  });
  const rendered = renderDiagramPng(flowDiagram(before, after), OUT, "inbound-flow-change");
  expect(rendered.status).toBe("ok");
  for (const label of ["CCE Create Task", "node 150 · changed", "Append attachment", "node 3000 · added"]) {
    expect(rendered.dom).toContain(label);
  }
  const { width, height } = pngSize(rendered.png);
  expect(width).toBe(1000);
  expect(height).toBeGreaterThan(300);
});

test("a 60-node flow with one change renders at a readable size", () => {
  const nodes: FlowNode[] = Array.from({ length: 60 }, (_, index): FlowNode => {
    const id = String(index + 1);
    const outcomes: Record<string, string> = index + 2 <= 60 ? { onSuccess: String(index + 2) } : {};
    return index === 0
      ? { id, type: "start", name: "Start", version: "1.0", config: {}, outcomes: { onStart: "2" } }
      : { id, type: "evaluate", name: `Step ${id}`, version: "1.0", config: { step: id }, outcomes };
  });
  const before: FlowDocument = {
    ...loadTemplate(inboundFlowTemplate),
    name: "Large_flow",
    startNodeId: "1",
    nodes,
  };
  const after = structuredClone(before);
  after.nodes[30].config.step = "changed";
  const rendered = renderDiagramPng(flowDiagram(before, after), OUT, "large-flow-change");
  expect(rendered.status).toBe("ok");
  expect(rendered.dom).toContain("node 31 · changed");
  expect(rendered.dom).toContain("unchanged node(s) not drawn");
  const { height } = pngSize(rendered.png);
  // Cut to the change: a short picture, not a 60-box column.
  expect(height).toBeLessThan(1600);
});
