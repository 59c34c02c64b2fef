/**
 * The SDK's closure serializer is deferred in the program and in the dynamic-provider host
 * (build/deferClosureSerializer.js): loading @pulumi/pulumi then loads neither the TypeScript compiler nor npm's
 * arborist, and the serializer still works when something calls it. Each case runs in a fresh Node process.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "../../harness/pulumiEngine";

const DEFER = path.join(repoRoot, "build", "deferClosureSerializer.js");
const { DEFERRED } = require(DEFER) as { DEFERRED: Record<string, string[]> };

/** Runs `script` in a fresh Node process in the repo; returns what it printed as JSON. */
function inFreshNode(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8" }));
}

/** Which of the serializer's heavy dependencies the process has loaded. */
const LOADED_HEAVY = `Object.keys(require.cache).filter((f) => /node_modules\\/(typescript|@npmcli\\/arborist)\\//.test(f))
  .map((f) => f.match(/node_modules\\/(typescript|@npmcli\\/arborist)\\//)[1]).filter((v, i, a) => a.indexOf(v) === i)`;

test("the deferred files and functions are the pinned SDK's", () => {
  const exported = inFreshNode(`
    const path = require("node:path");
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const files = ${JSON.stringify(Object.keys(DEFERRED))};
    console.log(JSON.stringify(Object.fromEntries(files.map((f) => [f, Object.keys(require(path.join(sdk, f)))]))));
  `);
  expect(exported).toEqual(DEFERRED);
});

test("with the serializer deferred, loading the SDK loads neither TypeScript nor arborist; a call loads them", () => {
  const result = inFreshNode(`
    const deferred = require(${JSON.stringify(DEFER)}).deferClosureSerializer(process.cwd());
    const pulumi = require("@pulumi/pulumi");
    const beforeCall = ${LOADED_HEAVY};
    pulumi.runtime.serializeFunction(() => 42).then((serialized) => {
      const value = require("require-from-string")(serialized.text).handler();
      console.log(JSON.stringify({ deferred, beforeCall, afterCall: ${LOADED_HEAVY}, value }));
    });
  `);
  expect(result).toEqual({
    deferred: Object.keys(DEFERRED),
    beforeCall: [],
    afterCall: ["typescript"],
    value: 42,
  });
});

test("an SDK loaded before is left as it is", () => {
  const result = inFreshNode(`
    require("@pulumi/pulumi");
    const deferred = require(${JSON.stringify(DEFER)}).deferClosureSerializer(process.cwd());
    console.log(JSON.stringify({ deferred, loaded: ${LOADED_HEAVY}.sort() }));
  `);
  expect(result).toEqual({ deferred: [], loaded: ["@npmcli/arborist", "typescript"] });
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
