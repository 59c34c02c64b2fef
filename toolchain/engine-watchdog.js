/**
 * Preloaded (`node --require`) into the SDK's dynamic-provider host by toolchain/pulumi-resource-pulumi-nodejs: ends
 * the host once its engine is gone. The SDK's host has no such check, so an engine killed with SIGKILL (by the OOM
 * killer, or with its CI job) leaves it running as an orphan (docs/operations.md, Orphaned processes). The host is
 * started as `node <host> <engine address>`; a refused connection to that address means the engine is gone, and the
 * probe sends nothing. Uses Node alone: it must not depend on the SDK's internals.
 */
"use strict";
const net = require("node:net");

/** How often the host asks whether its engine is still there: as often as our language host does. */
const ENGINE_CHECK_MS = 1000;

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

if (process.argv[2]) exitWhenEngineGone(process.argv[2]);
