// Runs Mermaid's own parser (the npm package GitHub's renderer is built from) on diagrams read as a JSON array from
// stdin; prints a JSON array of { ok, diagramType } or { ok: false, error }. Mermaid ships as ES modules and its
// flowchart parser sanitises labels with DOMPurify, which needs a DOM: jsdom provides one, set before the import.
/* global process */
import { JSDOM } from "jsdom";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const diagram of JSON.parse(input)) {
  try {
    const { diagramType } = await mermaid.parse(diagram);
    results.push({ ok: true, diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
