/**
 * The programs the no-op preview of the full stack is measured against, each a JavaScript project run as ours is
 * (no TypeScript). The empty program is the engine's floor. The product's floor declares one resource of each kind
 * every stack of this product has: a dynamic-provider resource (whose provider does nothing) and a Kubernetes object
 * rendered to a folder. Its provider runs in the same dynamic-provider host as ours, so it pays what no stack of this
 * product can avoid and nothing else.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { World } from "./common";

export const EMPTY_PROGRAM = "module.exports = {};\n";

/** A dynamic provider that passes every check and finds no difference, as the text the SDK's host loads. */
const IDLE_PROVIDER =
  "exports.handler = () => ({\n" +
  "  check: async (olds, news) => ({ inputs: news }),\n" +
  "  diff: async () => ({ changes: false }),\n" +
  '  create: async (inputs) => ({ id: "floor", outs: inputs }),\n' +
  "  read: async (id, props) => ({ id, props }),\n" +
  "  update: async (id, olds, news) => ({ outs: news }),\n" +
  "  delete: async () => {},\n" +
  "});\n";

export const PRODUCT_FLOOR_PROGRAM = `"use strict";
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");
new pulumi.CustomResource("pulumi-nodejs:dynamic:Resource", "floor", {
  value: "floor",
  __provider: ${JSON.stringify(IDLE_PROVIDER)},
});
const provider = new k8s.Provider("rendered", { renderYamlToDirectory: path.join(__dirname, "rendered") });
new k8s.core.v1.Namespace("floor", { metadata: { name: "floor" } }, { provider });
`;

/** Writes `source` as a JavaScript project in the world's project folder, with a stack `name` already up. */
export async function floorProject(world: World, name: string, source: string): Promise<string> {
  const dir = path.join(world.project.dir, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "index.js"), source);
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
  );
  await world.pulumi(["stack", "init"], name, dir);
  await world.pulumi(["up", "--yes", "--skip-preview"], name, dir);
  return dir;
}
