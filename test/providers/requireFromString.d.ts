/** The package the SDK's dynamic-provider host loads each `__provider` module with (a dependency of @pulumi/pulumi). */
declare module "require-from-string" {
  type ProviderMethod = (
    ...args: unknown[]
  ) => Promise<{ failures?: { property: string; reason: string }[] }>;
  function requireFromString(code: string, filename?: string): { handler(): Record<string, ProviderMethod> };
  export = requireFromString;
}
