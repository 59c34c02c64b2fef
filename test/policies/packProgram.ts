/**
 * The pack test's program: the Webex Connect dynamic resources and the Kubernetes components (rendered to config
 * `renderDir`), compliant unless config `violations` asks for some.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AmbAssetResource } from "../../components/ambAsset";
import { CloudConnectEdge } from "../../components/cloudConnectEdge";
import { IntegrationService } from "../../components/integrationService";
import { LiveFlowResource } from "../../components/liveFlow";
import { boundFlowName, type FlowBindings, type TemplateName } from "../../flows";
import { edgeArgs, integrationArgs } from "../kubernetes/fixtures";
import { ACCOUNT_NAME, APP_ID, boundFlow, EDGE_FQDN, SERVICE_ID } from "./fixtures";

export interface Violations {
  /** Bind the inbound flow to another host than the edge's FQDN. */
  domain?: string;
  /** Condition the CREATED webhook flow on another asset's App ID. */
  webhookAppId?: string;
  /** Extra settings of the integration service (they land in its ConfigMap). */
  settings?: Record<string, string>;
}

export default async () => {
  const config = new pulumi.Config();
  const renderDir = config.require("renderDir");
  const violations = config.requireObject<Violations>("violations");
  const provider = new k8s.Provider("render", { renderYamlToDirectory: renderDir });
  const edge = new CloudConnectEdge("cce-edge", edgeArgs(), { provider });
  new IntegrationService(
    "integration",
    integrationArgs({
      ingressFrom: [edge.ingressPeer],
      settings: { WEBEX_CONNECT_REGION: "eu", ...violations.settings },
    }),
    { provider },
  );
  const asset = new AmbAssetResource("asset", {
    appId: APP_ID,
    accountName: ACCOUNT_NAME,
    serviceId: SERVICE_ID,
  });
  const flow = (name: string, template: TemplateName, bindings: Partial<FlowBindings>) =>
    new LiveFlowResource(name, {
      name: boundFlowName(template, ACCOUNT_NAME),
      serviceId: SERVICE_ID,
      // Unknown until the asset exists: the pack must skip it at preview, and say so.
      assetId: asset.assetId,
      definition: boundFlow(template, bindings),
    });
  flow("inbound", "AppleMessages_inbound_flow", { proxyFqdn: violations.domain ?? EDGE_FQDN });
  flow("created", "AppleMessages_webhook_CREATED", { appId: violations.webhookAppId ?? APP_ID });
  flow("common", "AppleMessages_webhook_common", {});
  return { fqdn: edge.fqdn, assetId: pulumi.output(asset.assetId) };
};
