/**
 * One stack = one environment × one AMB asset (`<env>-<asset>`): the Cloud Connect edge and the integration service
 * on Kubernetes, and the Webex Connect service, asset settings and live flows. Config is validated as a whole first,
 * then mapped onto the channel's own arguments.
 */
import * as k8s from "@pulumi/kubernetes";
import { AmbChannel, mspLinkOf, type AmbChannelArgs } from "./components/ambChannel";
import { skipAwaitTransform } from "./components/skipAwait";
import { readStackConfig, type LoadedStackConfig } from "./config/readStackConfig";

function channelArgs({ config, webexConnectCredential }: LoadedStackConfig): AmbChannelArgs {
  const { edge, cloudConnect, service, asset, flows } = config;
  return {
    environment: config.environment,
    namespace: config.kubernetes.namespace,
    edge: {
      ...edge,
      singleNodeWaiver: cloudConnect.singleNodeWaiver,
      proxy: {
        ...edge.proxy,
        cloudConnectNodes: cloudConnect.nodes,
        allowedClientCidrs: edge.allowedClientCidrs,
      },
    },
    integrationService: { ...config.integrationService, webexConnectCredential },
    service: {
      name: service.name,
      description: service.description,
      adopt: service.adopt,
      adoptId: service.id,
    },
    asset: {
      appId: asset.appId,
      ambAccountId: asset.ambAccountId,
      accountName: asset.accountName,
      dataStream: asset.dataStream,
      dataStreamWaiver: asset.dataStreamWaiver,
      mspLink: asset.mspLink,
      takeOwnershipFrom: asset.takeOwnershipFrom,
    },
    flows: {
      mode: flows.webhooks,
      eventId: flows.eventId,
      commonFlowOwner: flows.commonFlowOwner,
      destinationRoutes: flows.destinationRoutes,
      callVariables: flows.callVariables,
      eccVariables: flows.eccVariables,
      overrides: flows.overrides,
    },
  };
}

const loaded = readStackConfig();
const { config } = loaded;
const args = channelArgs(loaded);

const kubernetes = new k8s.Provider(
  "kubernetes",
  config.kubernetes.renderYamlToDirectory
    ? { renderYamlToDirectory: config.kubernetes.renderYamlToDirectory }
    : { context: config.kubernetes.context },
);
const channel = new AmbChannel(config.stackName, args, {
  providers: { kubernetes },
  transforms: config.kubernetes.skipAwait ? [skipAwaitTransform] : [],
});

export const fqdn = channel.fqdn;
export const flows = channel.flows;
export const businessChatUrl = channel.businessChatUrl;
export const mspLink = mspLinkOf(args.asset);
export const readiness = channel.readiness;
