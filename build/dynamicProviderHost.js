/**
 * The dynamic-provider host of this project: the Node SDK's own (cmd/dynamic-provider), started with its closure
 * serializer deferred (build/deferClosureSerializer.js), which it loads but never calls for our providers. The
 * toolchain's launcher (toolchain/pulumi-resource-pulumi-nodejs) runs it when it sits beside the node_modules the
 * launcher found; the SDK is resolved from here, so it is that node_modules' SDK.
 */
"use strict";
const path = require("node:path");
const { deferClosureSerializer, sdkDirectory } = require("./deferClosureSerializer");

deferClosureSerializer(__dirname);
require(path.join(sdkDirectory(__dirname), "cmd", "dynamic-provider", "index.js"));
