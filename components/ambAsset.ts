import * as pulumi from "@pulumi/pulumi";
import { ownerName } from "../providers/ownership";
import { RESOURCE_TYPES } from "../lib/facts";
import { WebexConnectResource } from "./webexConnectResource";

export interface AmbAssetArgs {
  /** The App ID Webex Connect shows for the asset under Assets > Apps. */
  appId: pulumi.Input<string>;
  /** The Messages for Business account name (the `&name=` of the MSP link). */
  accountName: pulumi.Input<string>;
  /** The service the asset is registered to Webex Engage with. */
  serviceId: pulumi.Input<string>;
  /** Data Stream is on unless explicitly waived with a reason. */
  dataStream?: pulumi.Input<boolean>;
  dataStreamWaiver?: pulumi.Input<string>;
  /** The link Apple shows after "Connect"; lets errors print the exact link to open. */
  mspLink?: pulumi.Input<string>;
  /** The stack (`<project>/<stack>`) this one takes the asset over from, on purpose. */
  takeOwnershipFrom?: pulumi.Input<string>;
}

/** The dynamic resource behind AmbAsset (type pulumi-nodejs:dynamic/webexconnect:AmbAsset). */
export class AmbAssetResource extends WebexConnectResource {
  declare readonly assetId: pulumi.Output<string>;
  declare readonly ambAccountId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: AmbAssetArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      RESOURCE_TYPES.ambAssetResource,
      "ambAsset",
      name,
      {
        dataStream: true,
        ...args,
        owner: ownerName(pulumi.getProject(), pulumi.getStack()),
        assetId: undefined,
        ambAccountId: undefined,
        name: undefined,
        status: undefined,
      },
      opts,
    );
  }
}

/**
 * An Apple-created AMB asset, adopted: registered to Webex Engage with the service and with Data Stream set.
 * Destroy does not delete the asset; it returns the registration and Data Stream to what they were.
 */
export class AmbAsset extends pulumi.ComponentResource {
  readonly assetId: pulumi.Output<string>;
  readonly ambAccountId: pulumi.Output<string>;
  /** The asset's status ("Online" once Apple approved it) as the provider last read it: at create or refresh. */
  readonly status: pulumi.Output<string>;
  /** Where customers reach the business: https://bcrw.apple.com/urn:biz:<AMB Account ID>. */
  readonly businessChatUrl: pulumi.Output<string>;

  constructor(name: string, args: AmbAssetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPES.ambAsset, name, {}, opts);
    const asset = new AmbAssetResource(name, args, { parent: this });
    // The id (known during the preview of an update), not the assetId output: see WebexService.serviceId.
    this.assetId = asset.id;
    this.ambAccountId = asset.ambAccountId;
    this.status = asset.status;
    this.businessChatUrl = pulumi.interpolate`https://bcrw.apple.com/urn:biz:${asset.ambAccountId}`;
    this.registerOutputs({
      assetId: this.assetId,
      ambAccountId: this.ambAccountId,
      status: this.status,
      businessChatUrl: this.businessChatUrl,
    });
  }
}
