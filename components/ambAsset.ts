import * as pulumi from "@pulumi/pulumi";
import { loaderProvider } from "../providers/loader";

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
}

/** The dynamic resource behind AmbAsset (type pulumi-nodejs:dynamic/webexconnect:AmbAsset). */
export class AmbAssetResource extends pulumi.dynamic.Resource {
  declare readonly assetId: pulumi.Output<string>;
  declare readonly ambAccountId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: AmbAssetArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      loaderProvider("ambAsset"),
      name,
      {
        dataStream: true,
        ...args,
        assetId: undefined,
        ambAccountId: undefined,
        name: undefined,
        status: undefined,
      },
      opts,
      "webexconnect",
      "AmbAsset",
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
  /** Where customers reach the business: https://bcrw.apple.com/urn:biz:<AMB Account ID>. */
  readonly businessChatUrl: pulumi.Output<string>;

  constructor(name: string, args: AmbAssetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("amb-cce:webexconnect:AmbAsset", name, {}, opts);
    const asset = new AmbAssetResource(name, args, { parent: this });
    this.assetId = asset.assetId;
    this.ambAccountId = asset.ambAccountId;
    this.businessChatUrl = pulumi.interpolate`https://bcrw.apple.com/urn:biz:${asset.ambAccountId}`;
    this.registerOutputs({
      assetId: this.assetId,
      ambAccountId: this.ambAccountId,
      businessChatUrl: this.businessChatUrl,
    });
  }
}
