/**
 * Defers the Node SDK's closure serializer until something calls it.
 *
 * @pulumi/pulumi's runtime index loads the serializer eagerly, and with it the TypeScript compiler and npm's arborist:
 * about half a CPU-second at the start of every Node process of a pulumi run (the program, the dynamic-provider host),
 * on the way to the first resource. Nothing here calls it: the Webex Connect resources carry a provider module written
 * out by providers/loader.ts, and the program serializes no functions. The SDK already defers it where it uses it
 * (dynamic/index.js: "Load runtime/closure on demand, as its dependencies are slow to load"); this does the same for
 * the runtime index. Before the SDK loads, it puts in require's cache a module for each of the serializer's two files
 * whose functions load the real file on their first call. If the SDK was loaded first, nothing is deferred.
 *
 * Plain JavaScript: it runs before the SDK, from build/program.js and build/dynamicProviderHost.js. The file names
 * and exports are those of the pinned SDK; test/build/deferClosureSerializer.test.ts compares them with it.
 */
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** SDK file (relative to the @pulumi/pulumi package) → the functions it exports. */
const DEFERRED = {
  "runtime/closure/serializeClosure.js": ["serializeFunction", "serializeFunctionAsync"],
  "runtime/closure/codePaths.js": ["computeCodePaths", "findWorkspaceRoot"],
};

/** The @pulumi/pulumi package Node resolves from `fromDir`. */
function sdkDirectory(fromDir) {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDir] }));
}

/** Defers the serializer of the SDK that `fromDir` resolves; returns the files it deferred. */
function deferClosureSerializer(fromDir) {
  const sdk = sdkDirectory(fromDir);
  const deferred = [];
  for (const [relative, names] of Object.entries(DEFERRED)) {
    const file = path.join(sdk, relative);
    if (require.cache[file]) continue;
    let real;
    const load = () => {
      if (!real) {
        delete require.cache[file];
        real = require(file);
      }
      return real;
    };
    const stand = new Module(file, module);
    stand.filename = file;
    stand.loaded = true;
    stand.exports = Object.fromEntries(names.map((name) => [name, (...args) => load()[name](...args)]));
    require.cache[file] = stand;
    deferred.push(relative);
  }
  return deferred;
}

module.exports = { DEFERRED, deferClosureSerializer, sdkDirectory };
