/** The providers test's program: a service, the adopted AMB asset and the inbound live flow, bound to config `fqdn`. */
import * as pulumi from "@pulumi/pulumi";
import { AmbAsset } from "../../components/ambAsset";
import { LiveFlow } from "../../components/liveFlow";
import { WebexService } from "../../components/webexService";

export const APP_ID = "app-7f3e9c";
export const AMB_ACCOUNT_ID = "ca7c8be7-1dec-4580-9668-a92ab0054485";

export default async (): Promise<Record<string, pulumi.Output<unknown>>> => {
  const config = new pulumi.Config();
  const service = new WebexService("service", { name: "AMB CCE test" });
  const asset = new AmbAsset("asset", {
    appId: APP_ID,
    accountName: "TestAccount_Cisco",
    serviceId: service.serviceId,
  });
  const inbound = new LiveFlow("inbound", {
    template: "AppleMessages_inbound_flow",
    assetName: "TestAccount_Cisco",
    serviceId: service.serviceId,
    assetId: asset.assetId,
    bindings: { proxyFqdn: config.require("fqdn"), appId: APP_ID, ambAccountId: AMB_ACCOUNT_ID },
  });
  return {
    serviceId: service.serviceId,
    credentials: service.credentials,
    assetId: asset.assetId,
    businessChatUrl: asset.businessChatUrl,
    flowId: inbound.flowId,
    liveVersionId: inbound.liveVersionId,
    previousLiveVersionId: inbound.previousLiveVersionId,
  };
};
