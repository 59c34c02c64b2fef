/**
 * One stack = one environment × one AMB asset (`<env>-<asset>`): the Cloud Connect edge and the integration service
 * on Kubernetes, and the Webex Connect service, asset settings and live flows. Config is validated as a whole first.
 */
import * as k8s from "@pulumi/kubernetes";
import { AmbChannel, mspLinkOf } from "./components/ambChannel";
import { skipAwaitTransform } from "./components/skipAwait";
import { readStackConfig } from "./config/readStackConfig";

const { config, webexConnectCredential } = readStackConfig();

const kubernetes = new k8s.Provider(
  "kubernetes",
  config.kubernetes.renderYamlToDirectory
    ? { renderYamlToDirectory: config.kubernetes.renderYamlToDirectory }
    : { context: config.kubernetes.context },
);
const channel = new AmbChannel(
  config.stackName,
  { config, webexConnectCredential },
  { providers: { kubernetes }, transforms: config.kubernetes.skipAwait ? [skipAwaitTransform] : [] },
);

export const fqdn = channel.fqdn;
export const flows = channel.flows;
export const businessChatUrl = channel.businessChatUrl;
export const mspLink = mspLinkOf(config);
export const readiness = channel.readiness;
