/** docs/architecture.md draws the layers the checker enforces, and every picture in it renders. */
import * as fs from "node:fs";
import * as path from "node:path";
import { layersDiagram } from "../../scripts/lib/layers";
import { mermaidBlocks, parseMermaid } from "../support/mermaid";

const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "architecture.md"), "utf8");

it("its first picture is the layer table of scripts/lib/layers.ts", () => {
  expect(mermaidBlocks(doc)[0]).toBe(layersDiagram());
});

it("every picture parses with the real Mermaid parser", () => {
  const blocks = mermaidBlocks(doc);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  expect(parseMermaid(blocks)).toEqual(blocks.map(() => ({ ok: true, diagramType: "flowchart-v2" })));
});
