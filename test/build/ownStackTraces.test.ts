/**
 * Stack traces in the program (build/ownStackTraces.js): frames in our compiled files are mapped to the TypeScript
 * sources, as source-map-support maps them; every other frame is V8's own text, and its source map is never read.
 * Runs in a fresh Node process with source-map-support installed as the SDK's harness installs it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { repoRoot } from "../../harness/pulumiEngine";

const OWN_STACK_TRACES = path.join(repoRoot, "build", "ownStackTraces.js");

// Each source has lines TypeScript drops, so a mapped frame's line differs from the compiled one.
const SOURCES = {
  "own/own.ts": `type Next = () => string;\n\nexport function viaOwn(next: Next): string {\n  return next();\n}\n`,
  "other/other.ts": `type Next = () => string;\n\nexport function viaOther(next: Next): string {\n  return next();\n}\n`,
};

/** Compiles each source beside itself with a source map, as the build does; returns the folder. */
function compiledSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-stack-traces-"));
  for (const [relative, source] of Object.entries(SOURCES)) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { outputText, sourceMapText } = ts.transpileModule(source, {
      fileName: path.basename(file),
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    fs.writeFileSync(file, source);
    fs.writeFileSync(file.replace(/\.ts$/, ".js"), outputText);
    fs.writeFileSync(file.replace(/\.ts$/, ".js.map"), sourceMapText!);
  }
  return dir;
}

interface Stacks {
  native: string[];
  ours: string[];
  sourceMapSupport: string[];
  mapsReadByOurs: string[];
}

function stacksOf(dir: string): Stacks {
  const script = `
    const fs = require("node:fs");
    const path = require("node:path");
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    require(require.resolve("source-map-support", { paths: [sdk] })).install();
    const installed = Error.prepareStackTrace;
    const { viaOwn } = require(${JSON.stringify(path.join(dir, "own", "own.js"))});
    const { viaOther } = require(${JSON.stringify(path.join(dir, "other", "other.js"))});
    const capture = () => viaOwn(() => viaOther(() => new Error("boom").stack)).split("\\n");

    const mapsReadByOurs = [];
    const readFileSync = fs.readFileSync;
    const setUps = [
      () => (Error.prepareStackTrace = undefined),
      () => {
        require(${JSON.stringify(OWN_STACK_TRACES)}).mapOwnFramesOnly(process.cwd(), ${JSON.stringify(path.join(dir, "own") + path.sep)});
        fs.readFileSync = (file, ...rest) => {
          if (String(file).endsWith(".map")) mapsReadByOurs.push(path.relative(${JSON.stringify(dir)}, String(file)));
          return readFileSync(file, ...rest);
        };
      },
      () => {
        fs.readFileSync = readFileSync;
        Error.prepareStackTrace = installed;
      },
    ];
    // Each stack is captured from the same line, so the frames outside the sources are the same.
    const [native, ours, sourceMapSupport] = setUps.map((setUp) => (setUp(), capture()));
    console.log(JSON.stringify({ native, ours, sourceMapSupport, mapsReadByOurs }));
  `;
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" }));
}

describe("stack traces map our own frames only", () => {
  let dir: string;
  let stacks: Stacks;
  beforeAll(() => {
    dir = compiledSources();
    stacks = stacksOf(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const frameOf = (stack: string[], file: string) => stack.find((line) => line.includes(file));

  it("maps a frame in our compiled files to its TypeScript line, as source-map-support does", () => {
    const own = frameOf(stacks.ours, `${path.sep}own${path.sep}own.`);
    expect(own).toMatch(/own\.ts:4:\d+\)$/);
    expect(own).toBe(frameOf(stacks.sourceMapSupport, "own.ts"));
  });

  it("leaves any other frame as V8 writes it, without reading its source map", () => {
    expect(frameOf(stacks.sourceMapSupport, "other.ts")).toMatch(/other\.ts:4:\d+\)$/);
    const other = frameOf(stacks.ours, `${path.sep}other${path.sep}other.`);
    expect(other).toMatch(/other\.js:\d+:\d+\)$/);
    expect(other).toBe(frameOf(stacks.native, "other.js"));
    expect(stacks.mapsReadByOurs).toEqual([path.join("own", "own.js.map")]);
  });

  it("writes the rest of the text as source-map-support does: the header and every unmapped frame", () => {
    expect(stacks.ours[0]).toBe("Error: boom");
    expect(stacks.ours).toHaveLength(stacks.sourceMapSupport.length);
    stacks.ours.forEach((line, index) => {
      const theirs = stacks.sourceMapSupport[index];
      if (!theirs.includes("other.ts")) expect(line).toBe(theirs);
    });
  });
});
