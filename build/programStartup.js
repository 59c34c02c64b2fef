/**
 * What the program process does before any program code loads: modules the program never uses (the SDK's closure
 * serializer among them) are deferred (build/deferModules.js), stack traces are mapped through source maps for our own
 * files only (build/ownStackTraces.js), and the SDK's own debug messages are dropped unless asked for
 * (build/quietSdkDebugLogs.js). build/program.js runs it, and so does the bench's floor program (bench/floors.ts),
 * so that the floor is measured with the start-up ours has.
 */
"use strict";
const { deferModules } = require("./deferModules");
const { mapOwnFramesOnly } = require("./ownStackTraces");
const { quietSdkDebugLogs } = require("./quietSdkDebugLogs");

/** Prepares this process for a program; `fromDir` is where the SDK is resolved from (the SDK's harness loaded it). */
function prepareProgramProcess(fromDir) {
  deferModules(fromDir);
  mapOwnFramesOnly(fromDir);
  quietSdkDebugLogs(fromDir);
}

module.exports = { prepareProgramProcess };
