/**
 * Jest's global set-up: dist/ matches the sources before any test runs, since the engine and the dynamic-provider
 * host load the package from there (a second of CPU when nothing changed).
 */
"use strict";
module.exports = () => require("./ensureBuilt").ensureBuilt();
