/**
 * Pulumi.yaml's main: the program (index.ts) as compiled to bin/, rebuilt first when a source changed since the last
 * build (build/ensureBuilt.js). The stack outputs are index.ts's exports.
 */
"use strict";
module.exports = require("./ensureBuilt").compiled("index");
