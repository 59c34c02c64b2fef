/**
 * amb-cce-connect: Apple Messages for Business on Cisco CCE through Webex Connect, as Pulumi components. Importing
 * this module only defines; a program builds the channel:
 *
 *   import { AmbChannel, readStackConfig } from "amb-cce-connect";
 *   const config = readStackConfig();
 *   const channel = new AmbChannel(config.stackName, config);
 *   export const fqdn = channel.fqdn;
 */
export { AmbChannel, mspLinkOf, readinessChecklist, type LiveFlowSummary } from "./components/ambChannel";
export type {
  AmbChannelArgs,
  AmbChannelAssetArgs,
  AmbChannelCloudConnectArgs,
  AmbChannelEdgeArgs,
  AmbChannelFlowArgs,
  AmbChannelKubernetesArgs,
  AmbChannelServiceArgs,
} from "./components/ambChannelArgs";
export { AmbAsset, type AmbAssetArgs } from "./components/ambAsset";
export { CloudConnectEdge, type CloudConnectEdgeArgs } from "./components/cloudConnectEdge";
export {
  IntegrationService,
  type IntegrationServiceArgs,
  type WebexConnectCredentialInput,
} from "./components/integrationService";
export { LiveFlow, type LiveFlowArgs } from "./components/liveFlow";
export { WebexService, type WebexServiceArgs } from "./components/webexService";
export { WebhookFlowSet, type WebhookFlowSetArgs } from "./components/webhookFlowSet";
export { skipAwaitTransform } from "./components/skipAwait";
export { readStackConfig, InvalidStackConfig, type ChannelStackConfig } from "./config/readStackConfig";
export { parseStackConfig, StackConfigError, type StackConfig } from "./config/stackConfig";
export * as flowLibrary from "./flows";
