/**
 * The provider Pulumi keeps in state for each Webex Connect resource (its `__provider` input) is only a loader: a
 * short module whose provider resolves the package with Node's own module resolution from the working directory
 * (the engine starts dynamic providers in the program's folder) and delegates every method to the real
 * implementation, `amb-cce-connect/providers/<kind>` (the package's export of providers/<kind>.ts as compiled to
 * dist/). That finds the package where a team's project installed it, and in this repository through the package's
 * self-reference; state names no folder, so a project moved or reinstalled elsewhere reads its state unchanged.
 *
 * Why not let Pulumi serialize the implementation by value: that would freeze a copy of the client, the zod schemas
 * and the flow library into state, and constrain how that code may be written. With the loader, state holds a few
 * hundred bytes, and refresh/delete of old resources run the code of the package installed now.
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
    const entry = `${packageName}/providers/${kind}`;
    // A require of the working folder's own: Node then finds the package in that folder's node_modules, or by
    // self-reference when the folder is inside the package (a `paths` option would not self-reference).
    const fromProject = require("node:module").createRequire(`${process.cwd()}/`);
    let resolved: string;
    try {
      resolved = fromProject.resolve(entry);
    } catch (error) {
      throw new Error(
        `the ${packageName} provider code (${entry}) cannot be found from ${process.cwd()}: install the package in ` +
          `the Pulumi project (npm install ${packageName}) and run pulumi there (${(error as Error).message})`,
      );
    }
    return fromProject(resolved).provider;
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
