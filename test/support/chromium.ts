/**
 * Renders Mermaid diagrams the way a person sees them: Debian's headless Chromium (scripts/ensure-chromium.sh)
 * loads a local HTML page with mermaid's own browser bundle from node_modules, no network.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../harness/pulumiEngine";

const BUNDLE = path.join(repoRoot, "node_modules", "mermaid", "dist", "mermaid.min.js");

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function page(diagram: string): string {
  return [
    "<!doctype html>",
    '<html><head><meta charset="utf-8">',
    '<style>body{margin:0;padding:16px;background:#fff;font-family:"DejaVu Sans",sans-serif}</style>',
    `<script src="file://${BUNDLE}"></script></head>`,
    `<body><pre class="mermaid">${escapeHtml(diagram)}</pre>`,
    "<script>",
    'mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });',
    'mermaid.run({ querySelector: ".mermaid" }).then(',
    '  () => document.body.setAttribute("data-rendered", "ok"),',
    '  (error) => document.body.setAttribute("data-rendered", "error: " + error.message));',
    "</script></body></html>",
  ].join("\n");
}

function chromium(args: string[]): string {
  return execFileSync(
    "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--hide-scrollbars",
      "--allow-file-access-from-files",
      "--virtual-time-budget=15000",
      ...args,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
  );
}

export interface RenderedDiagram {
  /** The page's DOM after Mermaid ran: its SVG, or the error it shows. */
  dom: string;
  /** `ok`, or `error: <message>` from mermaid.run. */
  status: string;
  png: string;
}

/** Renders `diagram` to `<dir>/<name>.png` at `width` pixels, the height fitted to the drawing. */
export function renderDiagramPng(diagram: string, dir: string, name: string, width = 1000): RenderedDiagram {
  fs.mkdirSync(dir, { recursive: true });
  const html = path.join(dir, `${name}.html`);
  fs.writeFileSync(html, page(diagram));
  const dom = chromium([`--window-size=${width},800`, "--dump-dom", `file://${html}`]);
  const status = /data-rendered="([^"]*)"/.exec(dom)?.[1] ?? "not rendered";
  const viewBox = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"/.exec(dom);
  const drawnWidth = Math.min(width - 32, viewBox ? Number(viewBox[1]) : width);
  const height = viewBox ? Math.ceil((drawnWidth * Number(viewBox[2])) / Number(viewBox[1])) + 40 : 800;
  const png = path.join(dir, `${name}.png`);
  chromium([`--window-size=${width},${height}`, `--screenshot=${png}`, `file://${html}`]);
  return { dom, status, png };
}
