/**
 * Drops the Node SDK's own debug messages in the program, unless AMB_SDK_DEBUG_LOGS=1.
 *
 * The SDK traces every registration ("Registering resource …", "RegisterResource RPC prepared …", "… finished …")
 * with log.debug, and sends each message to the engine as a Log RPC, one after the other, whether or not anyone shows
 * debug output: about 160 round trips through the CLI per preview of the full stack, and the program cannot exit
 * before the last one is delivered. That is about 0.13 s of a no-op preview, and CPU in the program and the CLI.
 * Upstream gated such calls for the same reason (pulumi/pulumi#7144, and #7295 for Python), not these. Neither our
 * code nor @pulumi/kubernetes calls log.debug, so only the SDK's messages go. To see them again:
 * `AMB_SDK_DEBUG_LOGS=1 pulumi preview --debug` (docs/operations.md, SDK debug messages).
 *
 * Plain JavaScript: build/programStartup.js runs it before the program loads.
 */
"use strict";
const path = require("node:path");
const { sdkDirectory } = require("./deferModules");

/** The variable that keeps the SDK's debug messages. */
const KEEP_VARIABLE = "AMB_SDK_DEBUG_LOGS";

/** Makes log.debug of the SDK that `fromDir` resolves a no-op, unless KEEP_VARIABLE is "1". */
function quietSdkDebugLogs(fromDir, env = process.env) {
  if (env[KEEP_VARIABLE] === "1") return;
  // Every SDK module calls it through this module's exports (log.debug), so replacing the export covers them all.
  require(path.join(sdkDirectory(fromDir), "log", "index.js")).debug = () => Promise.resolve();
}

module.exports = { KEEP_VARIABLE, quietSdkDebugLogs };
