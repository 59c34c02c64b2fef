/**
 * Modules the program and the dynamic-provider host never use are deferred (build/deferModules.js): loading
 * @pulumi/pulumi then loads neither the TypeScript compiler nor npm's arborist nor the Automation API, loading zod
 * loads no locale but English, and each still works when something uses it. Each case runs in a fresh Node process.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "../../harness/pulumiEngine";

const DEFER = path.join(repoRoot, "build", "deferModules.js");
const { DEFERRED, NAMESPACE } = require(DEFER) as {
  DEFERRED: Record<string, Record<string, string[] | string>>;
  NAMESPACE: string;
};
const DEFERRED_FILES = Object.entries(DEFERRED).flatMap(([pkg, files]) =>
  Object.keys(files).map((file) => `${pkg}/${file}`),
);

/** Runs `script` in a fresh Node process in the repo; returns what it printed as JSON. */
function inFreshNode(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" }));
}

/** Which of the deferred modules' parts the process has loaded (a stand-in is in the cache as its index file). */
const LOADED_HEAVY = `[...new Set(Object.keys(require.cache).map((f) =>
  (f.match(/node_modules\\/(typescript|@npmcli\\/arborist|execa)\\//) || [])[1] ||
  (/@pulumi\\/pulumi\\/automation\\/|zod\\/v4\\/locales\\//.exec(f.replace(/\\/(index|en)\\.c?js$/, "")) || [])[0]
).filter(Boolean))].sort()`;

test("the deferred files and the names of their functions are the pinned packages'", () => {
  const exported = inFreshNode(`
    const path = require("node:path");
    const deferred = ${JSON.stringify(DEFERRED)};
    const real = {};
    for (const [pkg, files] of Object.entries(deferred)) {
      const dir = path.dirname(require.resolve(pkg + "/package.json"));
      real[pkg] = Object.fromEntries(Object.entries(files).map(([file, exported]) => {
        const module = require(path.join(dir, file));
        return [file, Array.isArray(exported) ? Object.keys(module) : module.__esModule ? ${JSON.stringify(NAMESPACE)} : "not a namespace"];
      }));
    }
    console.log(JSON.stringify(real));
  `);
  expect(exported).toEqual(DEFERRED);
});

test("with the modules deferred, loading the packages loads none of them; using them loads and works", () => {
  const result = inFreshNode(`
    const deferred = require(${JSON.stringify(DEFER)}).deferModules(process.cwd());
    const pulumi = require("@pulumi/pulumi");
    const { z } = require("zod");
    z.string().parse("loads nothing");
    const beforeUse = ${LOADED_HEAVY};
    pulumi.runtime.serializeFunction(() => 42).then((serialized) => {
      const value = require("require-from-string")(serialized.text).handler();
      const used = {
        value,
        workspace: typeof pulumi.automation.LocalWorkspace,
        french: z.locales.fr().localeError !== undefined,
        localeKeys: Object.keys(z.locales).includes("de"),
      };
      console.log(JSON.stringify({ deferred, beforeUse, afterUse: ${LOADED_HEAVY}, used }));
    });
  `) as { afterUse: string[] };
  expect(result).toEqual({
    deferred: DEFERRED_FILES,
    beforeUse: [],
    afterUse: expect.arrayContaining(["typescript", "execa", "zod/v4/locales/"]),
    used: { value: 42, workspace: "function", french: true, localeKeys: true },
  });
});

test("packages loaded before are left as they are", () => {
  const result = inFreshNode(`
    require("@pulumi/pulumi");
    require("zod");
    const deferred = require(${JSON.stringify(DEFER)}).deferModules(process.cwd());
    console.log(JSON.stringify({ deferred, loaded: ${LOADED_HEAVY} }));
  `);
  expect(result).toEqual({
    deferred: [],
    loaded: expect.arrayContaining(["@npmcli/arborist", "typescript", "execa", "zod/v4/locales/"]),
  });
});

test("the dynamic-provider host starts the SDK's host without them", () => {
  // Without the engine's address the SDK's host stops at once, after loading everything it needs.
  const host = spawnSync(
    process.execPath,
    [
      "-e",
      `process.on("exit", () => console.log(JSON.stringify(${LOADED_HEAVY})));
       process.argv.splice(1, 0, ${JSON.stringify(path.join(repoRoot, "build", "dynamicProviderHost.js"))});
       require(process.argv[1]);`,
    ],
    { cwd: repoRoot, encoding: "utf8" },
  );
  expect(host.stderr).toContain("fatal: Missing <engine> address");
  expect(JSON.parse(host.stdout)).toEqual([]);
});
