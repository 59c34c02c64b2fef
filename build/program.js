/**
 * Pulumi.yaml's main: the program (index.ts) as compiled to bin/, rebuilt first when a source changed since the last
 * build (build/ensureBuilt.js). The stack outputs are index.ts's exports. Modules the program never uses (the SDK's
 * closure serializer among them) are deferred before the program loads (build/deferModules.js), stack traces are
 * mapped through source maps for our own files only (build/ownStackTraces.js), and the SDK's own debug messages are
 * dropped unless asked for (build/quietSdkDebugLogs.js).
 */
"use strict";
require("./deferModules").deferModules(__dirname);
require("./ownStackTraces").mapOwnFramesOnly(__dirname);
require("./quietSdkDebugLogs").quietSdkDebugLogs(__dirname);
module.exports = require("./ensureBuilt").compiled("index");
