import { importCycles, importsOf, layerOf, layerViolations, unplacedFiles } from "../../scripts/lib/layers";

describe("layerOf", () => {
  it("places files by their top folder, lowest first, and leaves unknown folders out", () => {
    expect(layerOf("lib/facts.ts")).toBe(0);
    expect(layerOf("flows/diff.ts")).toBe(layerOf("edge/types.ts"));
    expect(layerOf("providers/service.ts")!).toBeLessThan(layerOf("components/ambChannel.ts")!);
    expect(layerOf("index.ts")).toBe(layerOf("scripts/reconcile.ts"));
    expect(layerOf("test/ops/x.test.ts")!).toBeGreaterThan(layerOf("harness/stackWorld.ts")!);
    expect(layerOf("somewhere/else.ts")).toBeUndefined();
  });
});

describe("unplacedFiles", () => {
  it("names source files in a folder outside the layer table, not root-level tool configs", () => {
    expect(unplacedFiles(["eslint.config.mjs", "index.ts", "lib/facts.ts", "newfolder/x.ts"])).toEqual([
      "newfolder/x.ts: its folder is in no layer; add it to LAYERS in scripts/lib/layers.ts",
    ]);
  });
});

describe("layerViolations", () => {
  it("allows imports down and sideways, and names both layers of an import up", () => {
    expect(
      layerViolations([
        { from: "components/ambChannel.ts", to: "lib/facts.ts" },
        { from: "flows/bind.ts", to: "edge/types.ts" },
        { from: "test/a.test.ts", to: "ops/reconcile.ts" },
      ]),
    ).toEqual([]);
    const [problem, ...rest] = layerViolations([
      { from: "components/ambChannel.ts", to: "config/stackConfig.ts" },
    ]);
    expect(rest).toEqual([]);
    expect(problem).toContain(
      "components/ambChannel.ts (layer 6: components) imports config/stackConfig.ts (layer 7: config)",
    );
  });
});

describe("importCycles", () => {
  it("finds a circle of any length and a file importing itself, and nothing in a chain", () => {
    expect(
      importCycles([
        { from: "a.ts", to: "b.ts" },
        { from: "b.ts", to: "c.ts" },
        { from: "c.ts", to: "a.ts" },
        { from: "c.ts", to: "d.ts" },
        { from: "e.ts", to: "e.ts" },
        { from: "f.ts", to: "g.ts" },
      ]),
    ).toEqual([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
    expect(importCycles([{ from: "x.ts", to: "y.ts" }])).toEqual([]);
  });
});

describe("importsOf", () => {
  const files = new Set(["ops/reconcile.ts", "lib/facts.ts", "flows/index.ts", "flows/templates/a.json"]);
  const exists = (file: string) => files.has(file);

  it("resolves relative imports of every form to repo files and skips packages", () => {
    const text = [
      'import * as fs from "node:fs";',
      'import { z } from "zod";',
      'import type { Region } from "../lib/facts";',
      'export { bind } from "../flows";',
      'const template = require("../flows/templates/a.json");',
      'const later = () => import("../ops/reconcile");',
    ].join("\n");
    expect(importsOf("components/x.ts", text, exists).map((edge) => edge.to)).toEqual([
      "lib/facts.ts",
      "flows/index.ts",
      "flows/templates/a.json",
      "ops/reconcile.ts",
    ]);
  });
});
