/**
 * Defers modules that the SDKs and zod load eagerly and that no pulumi run of ours calls, until something uses them.
 *
 * - @pulumi/pulumi's runtime index loads its closure serializer, and with it the TypeScript compiler and npm's
 *   arborist: about half a CPU-second at the start of every Node process of a pulumi run. Nothing here calls it: the
 *   Webex Connect resources carry a provider module written out by providers/loader.ts, and the program serializes
 *   no functions. The SDK already defers it where it uses it (dynamic/index.js: "Load runtime/closure on demand, as
 *   its dependencies are slow to load"); this does the same for the runtime index.
 * - @pulumi/pulumi's index loads the Automation API (execa and its kin), and zod loads its 60-odd locales, though
 *   only English is used: together about 0.1 s on the way to the first Webex Connect resource. (@pulumi/kubernetes's
 *   `yaml` module cannot be deferred: its helm module, which its index loads, extends one of its classes.)
 *
 * Before those packages load, it puts in require's cache a stand-in for each file: for a file whose exports are
 * copied where it is required, functions of the same names that load the real file on their first call; for one
 * required as a namespace, an object that loads the real file when any of its properties is read. A file already
 * loaded is left alone, and so is a package that cannot be resolved.
 *
 * Plain JavaScript: it runs before anything else, from build/programStartup.js and build/dynamicProviderHost.js. The
 * files and names are those of the pinned packages; test/build/deferModules.test.ts compares them with them.
 */
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** A stand-in that loads the real file when any property is read. */
const NAMESPACE = "namespace";

/** Package → file in it → the functions it exports (the stand-in's), or NAMESPACE. */
const DEFERRED = {
  "@pulumi/pulumi": {
    "runtime/closure/serializeClosure.js": ["serializeFunction", "serializeFunctionAsync"],
    "runtime/closure/codePaths.js": ["computeCodePaths", "findWorkspaceRoot"],
    "automation/index.js": NAMESPACE,
  },
  zod: { "v4/locales/index.cjs": NAMESPACE },
};

/** The folder of `pkg` as Node resolves it from `fromDir`, or undefined when it is not installed there. */
function packageDirectory(pkg, fromDir) {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`, { paths: [fromDir] }));
  } catch {
    return undefined;
  }
}

/** The @pulumi/pulumi package Node resolves from `fromDir`. */
function sdkDirectory(fromDir) {
  const directory = packageDirectory("@pulumi/pulumi", fromDir);
  if (!directory) throw new Error(`@pulumi/pulumi is not installed in ${fromDir} or above it; run npm ci`);
  return directory;
}

function standIn(file, exported) {
  let real;
  const load = () => {
    if (!real) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  if (exported !== NAMESPACE)
    return Object.fromEntries(exported.map((name) => [name, (...args) => load()[name](...args)]));
  // An ES module's namespace as TypeScript compiles it: `__importStar` passes it through as it is.
  return new Proxy(
    { __esModule: true },
    {
      get: (_target, key) => (key === "__esModule" ? true : load()[key]),
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/** Defers the files of the packages that `fromDir` resolves; returns the files it deferred (package/file). */
function deferModules(fromDir) {
  const deferred = [];
  for (const [pkg, files] of Object.entries(DEFERRED)) {
    const directory = packageDirectory(pkg, fromDir);
    if (!directory) continue;
    for (const [relative, exported] of Object.entries(files)) {
      const file = path.join(directory, relative);
      if (require.cache[file]) continue;
      const stand = new Module(file, module);
      stand.filename = file;
      stand.loaded = true;
      stand.exports = standIn(file, exported);
      require.cache[file] = stand;
      deferred.push(`${pkg}/${relative}`);
    }
  }
  return deferred;
}

module.exports = { DEFERRED, NAMESPACE, deferModules, sdkDirectory };
