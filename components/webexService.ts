import * as pulumi from "@pulumi/pulumi";
import { ownerName } from "../providers/ownership";
import { RESOURCE_TYPES } from "../lib/facts";
import { WebexConnectResource } from "./webexConnectResource";

export interface WebexServiceArgs {
  /** Service name in Webex Connect. */
  name: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** "none" creates and owns the service; "byName"/"byId" reuse an existing one, never changing or deleting it. */
  adopt?: pulumi.Input<"none" | "byName" | "byId">;
  /** The existing service's id, with adopt "byId". */
  adoptId?: pulumi.Input<string>;
  /**
   * The AMB asset the service is for: a service is not created for an asset another stack owns, so a stack that
   * would fight over an asset fails before its first write.
   */
  forAsset?: pulumi.Input<{ appId: string; takeOwnershipFrom?: string }>;
}

/** The dynamic resource behind WebexService (type pulumi-nodejs:dynamic/webexconnect:Service). */
export class ServiceResource extends WebexConnectResource {
  declare readonly serviceId: pulumi.Output<string>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly credentials: pulumi.Output<{ serviceKey: string; jwtSecret: string }>;

  constructor(name: string, args: WebexServiceArgs & { owner: string }, opts?: pulumi.CustomResourceOptions) {
    super(
      RESOURCE_TYPES.serviceResource,
      "service",
      name,
      { ...args, serviceId: undefined, adopted: undefined, credentials: undefined },
      { ...opts, additionalSecretOutputs: ["credentials"] },
    );
  }
}

/** A Webex Connect service: created and owned by the stack, or adopted. Its credentials are secret outputs. */
export class WebexService extends pulumi.ComponentResource {
  readonly serviceId: pulumi.Output<string>;
  readonly credentials: pulumi.Output<{ serviceKey: string; jwtSecret: string }>;

  constructor(name: string, args: WebexServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPES.service, name, {}, opts);
    const service = new ServiceResource(
      name,
      { ...args, owner: ownerName(pulumi.getProject(), pulumi.getStack()) },
      { parent: this },
    );
    // The resource's id, not its serviceId output: an id survives an update and is known while the update is only
    // previewed, so the asset and flows that use it do not look replaced whenever the service changes.
    this.serviceId = service.id;
    this.credentials = pulumi.secret(service.credentials);
    this.registerOutputs({ serviceId: this.serviceId, credentials: this.credentials });
  }
}
