/**
 * Pulumi.yaml's main: the program (program/index.ts) as compiled to dist/, rebuilt first when a source changed since the last
 * build (build/ensureBuilt.js). The stack outputs are its exports.
 */
"use strict";
module.exports = require("./ensureBuilt").compiled("program/index");
