/**
 * The provider object Pulumi serializes into state is only this loader. Each method finds the project checkout
 * from the working directory (the engine starts dynamic providers in the program's folder) and delegates to the
 * real implementation, providers/<kind>.ts as compiled to bin/ (build/ensureBuilt.js rebuilds it first when a source
 * changed since the last build, so a provider never runs code older than the checkout).
 *
 * Why not let Pulumi serialize the implementation by value: that would freeze a copy of the client, the zod schemas
 * and the flow library into state, make every preview pay for serializing them, and constrain how that code may be
 * written. With the loader, state holds a few hundred bytes, and refresh/delete of old resources run the code of the
 * checkout in use.
 */
import * as pulumi from "@pulumi/pulumi";

export type ProviderKind = "service" | "ambAsset" | "liveFlow";

const PACKAGE_NAME = "amb-cce-connect";

/** One loader object per kind: Pulumi caches a provider's serialization by object, so each kind is serialized once. */
const loaders = new Map<ProviderKind, pulumi.dynamic.ResourceProvider>();

export function loaderProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  let loader = loaders.get(kind);
  if (!loader) {
    loader = createLoader(kind);
    loaders.set(kind, loader);
  }
  return loader;
}

function createLoader(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const packageName = PACKAGE_NAME;
  function implementation(): pulumi.dynamic.ResourceProvider {
    const path = require("node:path");
    const fs = require("node:fs");
    let dir: string = process.cwd();
    for (;;) {
      const manifest = path.join(dir, "package.json");
      if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === packageName)
        break;
      const parent = path.dirname(dir);
      if (parent === dir) {
        throw new Error(
          `the ${packageName} provider code was not found above ${process.cwd()}: run pulumi from inside the ` +
            `${packageName} checkout (with npm ci done)`,
        );
      }
      dir = parent;
    }
    return require(path.join(dir, "build", "ensureBuilt.js")).compiled(`providers/${kind}`).provider;
  }
  return {
    configure: async (req) => implementation().configure?.(req),
    check: async (olds, news) => implementation().check!(olds, news),
    diff: async (id, olds, news) => implementation().diff!(id, olds, news),
    create: async (inputs) => implementation().create(inputs),
    read: async (id, props) => implementation().read!(id, props),
    update: async (id, olds, news) => implementation().update!(id, olds, news),
    delete: async (id, props) => implementation().delete!(id, props),
  };
}
