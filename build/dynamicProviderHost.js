/**
 * The dynamic-provider host of this project: the Node SDK's own (cmd/dynamic-provider), started with its closure
 * serializer deferred (build/deferClosureSerializer.js), which it loads but never calls for our providers. The
 * toolchain's pulumi-resource-pulumi-nodejs launcher runs it when the program's folder has it (scripts/toolchain.sh).
 */
"use strict";
const path = require("node:path");
const { deferClosureSerializer, sdkDirectory } = require("./deferClosureSerializer");

deferClosureSerializer(process.cwd());
require(path.join(sdkDirectory(process.cwd()), "cmd", "dynamic-provider", "index.js"));
