/**
 * The build: the Pulumi program, the dynamic providers and every file they import, compiled once from TypeScript to
 * JavaScript under dist/, so that no pulumi run compiles TypeScript (docs/toolchain.md#the-build).
 *
 *   node build/ensureBuilt.js   (npm run build; scripts/setup.sh runs it for the README's two commands)
 *
 * Plain JavaScript, because it runs before anything is compiled. Every user of dist/ goes through `compiled()`:
 * the program (build/program.js, Pulumi.yaml's main), the provider loader (providers/loader.ts) and the reconcile
 * fixture. It compares each source with what the last build recorded (dist/.build-manifest.json: mtime and size of
 * every compiled file and of the build's own configuration) and rebuilds when anything differs, so a `pulumi preview`
 * run right after an edit previews the edit, never the code of the last build. The check costs a stat per file.
 *
 * The build uses the TypeScript compiler (incremental, transpile only: `tsc --noEmit -p tsconfig.json` in the test
 * command type-checks) on the files reachable from tsconfig.build.json's entries. It runs in a child process under a
 * lock (dist/.build-lock), so pulumi runs started together build once, not side by side into the same files.
 */
"use strict";
const childProcess = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const repo = path.resolve(__dirname, "..");
const outDir = path.join(repo, "dist");
const manifestPath = path.join(outDir, ".build-manifest.json");
const lockDir = path.join(outDir, ".build-lock");
const configFile = "tsconfig.build.json";
/** Besides the compiled sources, what decides the output: a change to any of these rebuilds everything. */
const BUILD_INPUTS = ["tsconfig.json", configFile, "build/ensureBuilt.js"];
const MANIFEST_FORMAT = 1;
const LOCK_WAIT_MS = 5 * 60_000;
const BUILD_COMMAND = "npm run build";
const MAX_BUILDS = 3;

/** Repo-relative path (forward slashes) → [mtimeMs, size]. */
function stamp(relative) {
  const stat = fs.statSync(path.join(repo, relative));
  return [stat.mtimeMs, stat.size];
}

function readManifest() {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
    return manifest.format === MANIFEST_FORMAT ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Why dist/ does not match the sources (and the entries asked for), or undefined when it does. */
function staleness(entries) {
  const manifest = readManifest();
  if (!manifest) return "dist/ holds no complete build";
  for (const entry of entries)
    if (!(`${entry}.ts` in manifest.sources)) return `${entry}.ts is not in the last build`;
  for (const [relative, recorded] of Object.entries(manifest.sources)) {
    let current;
    try {
      current = stamp(relative);
    } catch {
      return `${relative} is gone`;
    }
    if (current[0] !== recorded[0] || current[1] !== recorded[1]) return `${relative} changed`;
  }
  return undefined;
}

const checked = new Set();

/**
 * Makes dist/ match the sources, building in a child process when it does not (the build's progress line goes to
 * stderr). Throws with what to run when the build fails. Checked once per process and entry set.
 */
function ensureBuilt(entries = []) {
  const key = entries.join("\n");
  if (checked.has(key)) return;
  // A source saved while a build runs leaves dist/ stale again: build again, a few times at most.
  for (let attempt = 1, reason = staleness(entries); reason !== undefined; attempt++) {
    const child = childProcess.spawnSync(process.execPath, [__filename, ...entries], {
      cwd: repo,
      stdio: ["ignore", process.stderr, process.stderr],
    });
    if (child.status !== 0)
      throw new Error(
        `the compiled program under ${outDir} is out of date (${reason}) and rebuilding it failed` +
          `${child.error ? `: ${child.error.message}` : " (the build's errors are above)"}. ` +
          `Fix the error, then run \`${BUILD_COMMAND}\` in ${repo}.`,
      );
    reason = staleness(entries);
    if (reason !== undefined && attempt === MAX_BUILDS)
      throw new Error(
        `the sources changed while ${outDir} was being built, ${MAX_BUILDS} times (${reason}): ` +
          `run \`${BUILD_COMMAND}\` in ${repo} once they are saved.`,
      );
  }
  checked.add(key);
}

/** The compiled module of a repo-relative entry without extension (e.g. "providers/service"), built if stale. */
function compiled(entry) {
  ensureBuilt([entry]);
  return require(path.join(outDir, `${entry}.js`));
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Runs `fn` holding dist/.build-lock; a lock left by a process that no longer runs is taken over. */
function withLock(fn) {
  fs.mkdirSync(outDir, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      let holder;
      try {
        holder = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
      } catch {
        holder = undefined;
      }
      if (holder && !isAlive(holder)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`${lockDir} has been held for ${LOCK_WAIT_MS / 1000} s; remove it if no build runs`);
      sleep(100);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

const relativeOf = (file) => path.relative(repo, file).split(path.sep).join("/");

/**
 * The module names a TypeScript file imports: import and export declarations (type-only ones included), `import x =
 * require()`, `require()` and `import()` with a literal. Parsed, not scanned: ts.preProcessFile misses
 * `export * as name from "…"`, so a module reached only that way was left out of the build.
 */
function importedModules(ts, fileName, text) {
  const names = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) names.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) names.push(expression.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      names.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false));
  return names;
}

/**
 * The entries and every repo file they import (resolved as the compiler does), node_modules excluded. A relative
 * import that resolves to nothing is an error here: the compiler, transpiling only, would not say so, and the
 * program would fail only when it runs.
 */
function sourceClosure(ts, rootNames, options) {
  const host = ts.createCompilerHost(options);
  const seen = new Set();
  const unresolved = [];
  const pending = [...rootNames];
  while (pending.length > 0) {
    const file = path.resolve(pending.pop());
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith(".ts")) continue;
    for (const fileName of importedModules(ts, file, fs.readFileSync(file, "utf8"))) {
      const resolved = ts.resolveModuleName(fileName, file, options, host).resolvedModule;
      if (
        resolved &&
        !resolved.isExternalLibraryImport &&
        resolved.resolvedFileName.startsWith(repo + path.sep)
      )
        pending.push(resolved.resolvedFileName);
      else if (!resolved && fileName.startsWith("."))
        unresolved.push(`${relativeOf(file)} imports "${fileName}", which does not exist`);
    }
  }
  if (unresolved.length > 0) throw new Error(unresolved.join("\n"));
  return [...seen].sort();
}

/** Removes what earlier builds compiled from sources that are no longer built, so nothing can still load it. */
function prune(dir, sources) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (dir === outDir && entry.name.startsWith(".")) continue;
    if (entry.isDirectory()) {
      prune(file, sources);
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      continue;
    }
    const source = path
      .relative(outDir, file)
      .split(path.sep)
      .join("/")
      .replace(/\.js(\.map)?$/, ".ts");
    if (!sources.has(source)) fs.rmSync(file);
  }
}

/** Compiles what changed since the last build and records the sources as they were read. */
function build(extraEntries) {
  const started = Date.now();
  const ts = require(path.join(repo, "node_modules", "typescript"));
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(repo, configFile),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  const entries = [...parsed.fileNames];
  for (const entry of extraEntries) {
    const file = path.join(repo, `${entry}.ts`);
    if (!entries.includes(file))
      throw new Error(`${entry}.ts is not an entry of ${configFile}: add it to "include" or "files" there`);
  }
  // The closure is computed here, so the compiler need not follow imports into node_modules' type declarations:
  // transpiling needs none of them (isolatedModules), and reading them is most of a full compile's time.
  const options = { ...parsed.options, noResolve: true, types: [], listEmittedFiles: true };
  const sources = sourceClosure(ts, entries, options);
  const recorded = {};
  for (const relative of [...BUILD_INPUTS, ...sources.map(relativeOf)]) recorded[relative] = stamp(relative);
  // The incremental state trusts that earlier outputs are still there: when one is not, compile everything again.
  const outputOf = (relative) => path.join(outDir, relative.replace(/\.ts$/, ".js"));
  if (!sources.map(relativeOf).every((relative) => fs.existsSync(outputOf(relative))))
    fs.rmSync(options.tsBuildInfoFile, { force: true });
  const program = ts.createIncrementalProgram({
    rootNames: sources,
    options,
    configFileParsingDiagnostics: parsed.errors,
  });
  const result = program.emit();
  const diagnostics = [
    ...parsed.errors,
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...result.diagnostics,
  ];
  if (diagnostics.length > 0) {
    process.stderr.write(
      ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (name) => name,
        getCurrentDirectory: () => repo,
        getNewLine: () => "\n",
      }),
    );
    return false;
  }
  prune(outDir, new Set(Object.keys(recorded)));
  const temporary = `${manifestPath}.${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify({ format: MANIFEST_FORMAT, sources: recorded }));
  fs.renameSync(temporary, manifestPath);
  const emitted = (result.emittedFiles ?? []).filter((file) => file.endsWith(".js")).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `==> [build] compiled ${sources.length} files to dist/ (${emitted} changed) in ${seconds} s\n`,
  );
  return true;
}

module.exports = { ensureBuilt, compiled, staleness, importedModules };

if (require.main === module) {
  const entries = process.argv.slice(2);
  try {
    const ok = withLock(() => {
      const reason = staleness(entries);
      if (reason === undefined) {
        process.stderr.write("==> [build] dist/ is up to date\n");
        return true;
      }
      process.stderr.write(`==> [build] compiling: ${reason}\n`);
      return build(entries);
    });
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`build: ${error.message}\n`);
    process.exitCode = 1;
  }
}
