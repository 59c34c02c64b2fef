import * as pulumi from "@pulumi/pulumi";
import { providerModule, type ProviderKind } from "../providers/loader";

/**
 * A Webex Connect object served by our dynamic providers. It registers what pulumi.dynamic.Resource registers (a
 * `pulumi-nodejs:dynamic/webexconnect:<Type>` resource, for the SDK's dynamic-provider host, with the provider's
 * module in its `__provider` input), but with the loader module written out instead of serialized from a closure
 * at every run (providers/loader.ts says why).
 */
export abstract class WebexConnectResource extends pulumi.CustomResource {
  protected constructor(
    type: string,
    kind: ProviderKind,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(type, name, { ...props, __provider: providerModule(kind) }, opts);
  }
}
