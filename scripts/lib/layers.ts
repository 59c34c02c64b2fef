/**
 * The architecture as a rule a machine checks: the folders in layers, lowest first. A module may import from its own
 * layer or a lower one, never a higher one, and no chain of imports may come back to where it started.
 * docs/architecture.md draws the same table.
 */
import * as path from "node:path";
import * as ts from "typescript";
// The build's own reading of a file's imports, so the layer check sees every import the build follows.
import { importedModules } from "../../build/ensureBuilt";

export interface Layer {
  /** Top-level folders (or files) of the repo. */
  folders: readonly string[];
  /** What the layer holds, in a few words (docs/architecture.md shows it). */
  holds: string;
}

export const LAYERS: readonly Layer[] = [
  { folders: ["lib", "build"], holds: "facts every layer shares; small rules (FQDN, JSON); the build" },
  { folders: ["flows", "edge"], holds: "domain logic: flow templates, binding, diff; the HAProxy config" },
  { folders: ["webexconnect"], holds: "the Webex Connect client and its route table" },
  { folders: ["emulator", "kube"], holds: "local stand-ins: Webex Connect emulator, Kubernetes API server" },
  { folders: ["providers"], holds: "dynamic providers: create, read, update, delete on Webex Connect" },
  { folders: ["components"], holds: "Pulumi components and their argument schemas" },
  { folders: ["config"], holds: "stack configuration, validated into component arguments" },
  { folders: ["policies"], holds: "the CrossGuard policy pack" },
  { folders: ["ops"], holds: "PR previews, reconcile, recovery, export, operator stacks" },
  {
    folders: ["index.ts", "program", "scripts", "harness"],
    holds: "entry points: the package, the program, the CLIs, the test and bench harness",
  },
  { folders: ["bench", "test"], holds: "benchmarks and tests" },
];

/** A file's layer from its first path segment (repo-relative, `/` separated); undefined for files outside the map. */
export function layerOf(file: string): number | undefined {
  const top = file.split("/")[0];
  const index = LAYERS.findIndex((layer) => layer.folders.includes(top));
  return index < 0 ? undefined : index;
}

/** Source files in folders the layer table does not place (root-level tool configs are not source). */
export function unplacedFiles(files: readonly string[]): string[] {
  return files
    .filter((file) => file.includes("/") && layerOf(file) === undefined)
    .map((file) => `${file}: its folder is in no layer; add it to LAYERS in scripts/lib/layers.ts`);
}

export interface ImportEdge {
  from: string;
  to: string;
}

/** Imports that point from a lower layer to a higher one, with both layers named. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
    if (fromLayer === undefined || toLayer === undefined || toLayer <= fromLayer) return [];
    return [
      `${from} (layer ${fromLayer + 1}: ${LAYERS[fromLayer].folders.join(", ")}) imports ${to} ` +
        `(layer ${toLayer + 1}: ${LAYERS[toLayer].folders.join(", ")}): move the shared part down, or the importer up`,
    ];
  });
}

/** Every import circle (Tarjan's strongly connected components), each as the files on it in sorted order. */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfImport = (next.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) cycles.push(component.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

const RESOLVABLE = ["", ".ts", "/index.ts", ".js", ".mjs", ".json"];

/**
 * The repo-internal imports of one file (static imports, re-exports, `import()` and `require()`, type-only ones
 * included: a type import still ties the layers together). `exists` answers for repo-relative paths.
 */
export function importsOf(file: string, text: string, exists: (file: string) => boolean): ImportEdge[] {
  return importedModules(ts, file, text).flatMap((fileName) => {
    if (!fileName.startsWith(".")) return [];
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const to = RESOLVABLE.map((suffix) => base + suffix).find(exists);
    return to ? [{ from: file, to }] : [];
  });
}

/** The layers as a Mermaid flowchart, highest first, each pointing at the one it builds on (docs/architecture.md). */
export function layersDiagram(): string {
  const label = ({ folders, holds }: Layer) =>
    `"${folders.map((folder) => (folder.endsWith(".ts") ? folder : `${folder}/`)).join(" · ")}<br/><small>${holds}</small>"`;
  const nodes = LAYERS.map((layer, index) => `  L${index + 1}[${label(layer)}]`).reverse();
  const arrows = LAYERS.slice(1)
    .map((_, index) => `  L${index + 2} --> L${index + 1}`)
    .reverse();
  return ["flowchart TB", ...nodes, ...arrows].join("\n");
}
