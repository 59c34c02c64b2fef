/**
 * Maps stack traces through source maps for this project's compiled files only (bin/, back to the TypeScript
 * sources), and leaves every other frame as V8 writes it.
 *
 * The SDK's harnesses (cmd/run, cmd/dynamic-provider) install source-map-support for every frame of every stack. The
 * SDK formats a stack for each resource it registers (Resource.callsites, with no frame limit: the source position
 * it sends the engine) and for each of its debuggable promises, a dozen or more per resource, and the frames are
 * mostly its own and gRPC's. Mapping those read and parsed the SDK's source maps and cloned every frame: about a
 * quarter of a no-op preview's program CPU, with the garbage it made, on the way to the first Webex Connect
 * resource. The SDK's own frames would map to TypeScript files it does not ship, so nothing readable is lost.
 *
 * Plain JavaScript: build/programStartup.js runs it before the program loads, after the SDK's harness has installed
 * source-map-support. (The dynamic-provider host formats a stack only when a provider fails, so it keeps the SDK's.)
 * The text is source-map-support's, frame for frame; test/build/ownStackTraces.test.ts holds it to that.
 */
"use strict";
const path = require("node:path");
const { sdkDirectory } = require("./deferModules");

/** The compiled files whose frames are mapped: bin/ of the checkout this file belongs to. */
const OWN_DIRECTORY = path.join(path.resolve(__dirname, ".."), "bin") + path.sep;

/**
 * Replaces Error.prepareStackTrace with one that maps only frames in `ownDirectory`, with the source-map-support the
 * SDK resolved from `fromDir` (so its caches and retrieval hooks are the ones the SDK installed).
 */
function mapOwnFramesOnly(fromDir, ownDirectory = OWN_DIRECTORY) {
  const sourceMapSupport = require(require.resolve("source-map-support", { paths: [sdkDirectory(fromDir)] }));
  Error.prepareStackTrace = (error, frames) => {
    const state = { nextPosition: null, curPosition: null };
    const lines = new Array(frames.length);
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      const file = frame.getFileName();
      if (typeof file === "string" && file.startsWith(ownDirectory)) {
        lines[i] = "\n    at " + sourceMapSupport.wrapCallSite(frame, state);
      } else {
        // An unmapped frame has no original name to lend the frame below it.
        state.curPosition = null;
        lines[i] = "\n    at " + frame;
      }
      state.nextPosition = state.curPosition;
    }
    return `${error.name || "Error"}: ${error.message || ""}${lines.join("")}`;
  };
}

module.exports = { mapOwnFramesOnly };
