/**
 * The provider Pulumi keeps in state for each Webex Connect resource (its `__provider` input) is only a loader: a
 * short module whose provider finds the project checkout from the working directory (the engine starts dynamic
 * providers in the program's folder) and delegates every method to the real implementation, providers/<kind>.ts as
 * compiled to bin/ (build/ensureBuilt.js rebuilds it first when a source changed since the last build, so a provider
 * never runs code older than the checkout).
 *
 * Why not let Pulumi serialize the implementation by value: that would freeze a copy of the client, the zod schemas
 * and the flow library into state, and constrain how that code may be written. With the loader, state holds a few
 * hundred bytes, and refresh/delete of old resources run the code of the checkout in use.
 *
 * Why the module is written out here rather than serialized by pulumi.dynamic.Resource: the SDK's closure serializer
 * parses each provider with the TypeScript compiler and inspects it through a V8 inspector session, about half a
 * CPU-second of every program run, to produce text that never changes (docs/providers.md).
 */
export type ProviderKind = "service" | "ambAsset" | "liveFlow";

const PACKAGE_NAME = "amb-cce-connect";

/** The text of the module the dynamic-provider host loads from `__provider`: `exports.handler()` is the provider. */
export function providerModule(kind: ProviderKind): string {
  return (
    `exports.handler = () => (${delegatingProvider.toString()})` +
    `(${JSON.stringify(PACKAGE_NAME)}, ${JSON.stringify(kind)});\n`
  );
}

/**
 * The provider the module's handler returns. It runs in the dynamic-provider host from its own text, so it refers to
 * nothing outside itself but its arguments, `require` and `process` (test/providers/loader.test.ts loads it so).
 */
function delegatingProvider(packageName: string, kind: ProviderKind) {
  function implementation() {
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
    configure: async (req: unknown) => implementation().configure?.(req),
    check: async (olds: unknown, news: unknown) => implementation().check(olds, news),
    diff: async (id: string, olds: unknown, news: unknown) => implementation().diff(id, olds, news),
    create: async (inputs: unknown) => implementation().create(inputs),
    read: async (id: string, props: unknown) => implementation().read(id, props),
    update: async (id: string, olds: unknown, news: unknown) => implementation().update(id, olds, news),
    delete: async (id: string, props: unknown) => implementation().delete(id, props),
  };
}
