/**
 * The dynamic-provider host of this project: the Node SDK's own (cmd/dynamic-provider), started with the modules it
 * loads but never calls for our providers deferred (build/deferModules.js: the SDK's closure serializer, zod's
 * locales), and ended when its engine is gone. The toolchain's launcher (toolchain/pulumi-resource-pulumi-nodejs)
 * runs it when it sits beside the node_modules the launcher found; the SDK is resolved from here, so it is that
 * node_modules' SDK.
 */
"use strict";
const net = require("node:net");
const path = require("node:path");
const { setInterval } = require("node:timers");
const { deferModules, sdkDirectory } = require("./deferModules");

/** How often the host asks whether its engine is still there: as often as our language host does. */
const ENGINE_CHECK_MS = 1000;

/**
 * Exits once nothing listens at the engine's address any more. The SDK's host has no such check, and an engine killed
 * with SIGKILL (or by the OOM killer, or with its CI job) cannot stop its plugins: the host would live on as an orphan
 * (docs/operations.md, Orphaned processes). A refused connection means the engine is gone; the probe sends nothing.
 */
function exitWhenEngineGone(address) {
  const separator = address.lastIndexOf(":");
  const host = address.slice(0, separator).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(separator + 1));
  if (separator < 0 || !Number.isInteger(port)) return;
  const timer = setInterval(() => {
    const probe = net.connect({ host, port });
    probe.once("connect", () => probe.destroy());
    probe.once("error", (error) => {
      if (error.code !== "ECONNREFUSED") return;
      process.stderr.write(`dynamic-provider host: the engine at ${address} is gone; exiting\n`);
      process.exit(1);
    });
  }, ENGINE_CHECK_MS);
  timer.unref();
}

deferModules(__dirname);
if (process.argv[2]) exitWhenEngineGone(process.argv[2]);
require(path.join(sdkDirectory(__dirname), "cmd", "dynamic-provider", "index.js"));
