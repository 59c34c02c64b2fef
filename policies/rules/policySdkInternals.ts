/**
 * The one place this project reaches past @pulumi/policy's typings. @pulumi/policy 1.21.0 has no public API for
 * unknown values: its policy server wraps a resource's properties in a proxy that throws `UnknownValueError` on the
 * first unknown value and reports that error as the advisory "can't run policy … during preview". The package's
 * index.js exports both the proxy and the error at run time (`export { unknownCheckingProxy, UnknownValueError }
 * from "./proxy"`), but they are marked `@internal`, so its .d.ts files leave them out.
 *
 * The pack needs the error class twice: to tell an unknown value from a real failure while it copies properties
 * (engineValues.ts), and to end a rule that skipped values with the advisory the server prints. The tests need the
 * proxy to run a rule the way the server does. Everything else uses the public API.
 */
import * as policySdk from "@pulumi/policy";

export interface PolicySdkInternals {
  /** The error the server's property proxy throws on an unknown value; the server turns it into an advisory. */
  UnknownValueError: new (unknownSentinel: string, path: string[]) => Error;
  /** How the server wraps a resource's properties before a rule sees them. */
  unknownCheckingProxy<T>(value: T): T;
}

/**
 * @pulumi/policy's run-time exports that its typings leave out. Fails with the fix when an upgrade of the package
 * removed them, rather than letting every rule treat unknown values as failures.
 */
export function policySdkInternals(): PolicySdkInternals {
  const sdk = policySdk as unknown as Partial<PolicySdkInternals>;
  if (typeof sdk.UnknownValueError !== "function" || typeof sdk.unknownCheckingProxy !== "function") {
    throw new Error(
      "@pulumi/policy no longer exports UnknownValueError and unknownCheckingProxy at run time, which " +
        "policies/rules/policySdkInternals.ts relies on. Fix: pin @pulumi/policy 1.21.0, or adapt that module to " +
        "how the new version reports unknown values at preview.",
    );
  }
  return { UnknownValueError: sdk.UnknownValueError, unknownCheckingProxy: sdk.unknownCheckingProxy };
}
