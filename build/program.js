/**
 * Pulumi.yaml's main: the program (index.ts) as compiled to bin/, rebuilt first when a source changed since the last
 * build (build/ensureBuilt.js). The stack outputs are index.ts's exports. The SDK's closure serializer, which the
 * program never calls, is deferred before the program loads the SDK (build/deferClosureSerializer.js), and stack
 * traces are mapped through source maps for our own files only (build/ownStackTraces.js).
 */
"use strict";
require("./deferClosureSerializer").deferClosureSerializer(__dirname);
require("./ownStackTraces").mapOwnFramesOnly(__dirname);
module.exports = require("./ensureBuilt").compiled("index");
