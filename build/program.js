/**
 * Pulumi.yaml's main: the program (index.ts) as compiled to bin/, rebuilt first when a source changed since the last
 * build (build/ensureBuilt.js). The stack outputs are index.ts's exports. The process is prepared first
 * (build/programStartup.js: deferred modules, stack traces, the SDK's debug messages).
 */
"use strict";
require("./programStartup").prepareProgramProcess(__dirname);
module.exports = require("./ensureBuilt").compiled("index");
