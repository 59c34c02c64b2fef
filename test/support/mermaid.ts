/** The real Mermaid parser, run in a child Node process (Mermaid is ESM-only and needs a DOM; see mermaidParse.mjs). */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export type MermaidVerdict = { ok: true; diagramType: string } | { ok: false; error: string };

/** Parses every diagram with one Mermaid load; one verdict per diagram, in order. */
export function parseMermaid(diagrams: readonly string[]): MermaidVerdict[] {
  const stdout = execFileSync(process.execPath, [path.join(__dirname, "mermaidParse.mjs")], {
    input: JSON.stringify(diagrams),
    encoding: "utf8",
    cwd: path.join(__dirname, "..", ".."),
  });
  return JSON.parse(stdout) as MermaidVerdict[];
}

/** The bodies of the ```mermaid blocks of a markdown text (indented blocks inside list items included). */
export function mermaidBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const pattern = /^( *)```mermaid\n([\s\S]*?)\n\1```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    const indent = match[1];
    blocks.push(
      match[2]
        .split("\n")
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join("\n"),
    );
  }
  return blocks;
}
