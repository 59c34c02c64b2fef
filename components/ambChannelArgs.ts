/**
 * AmbChannel's arguments: what one AMB asset on one environment needs, in the stack file's own shape and key names
 * (config/stackConfig.ts validates a stack file into exactly this; test/config/channelArgsShape.test.ts holds the two
 * together), so a program passes the validated stack configuration as it is. Values another resource may provide
 * (the namespace, the Kubernetes provider) take `pulumi.Input`; the channel wires the rest (edge FQDN, ids).
 */
import type * as pulumi from "@pulumi/pulumi";
import { PROD_ENVIRONMENT } from "../lib/conventions";
import type { FlowBindings, TemplateName } from "../flows";
import type { CloudConnectEdgeProxyArgs, CloudConnectEdgeSettings } from "./cloudConnectEdgeArgs";
import type { IntegrationServiceArgs } from "./integrationService";
import type { WebhookFlowSettings } from "./webhookFlowSet";

/** The environment whose channel is protected unless the args say otherwise. */
export const PROTECTED_ENVIRONMENT = PROD_ENVIRONMENT;

export interface AmbChannelAssetArgs {
  /** The App ID Webex Connect shows for the asset under Assets > Apps. */
  appId: string;
  /** The AMB Account ID (the uuid of https://bcrw.apple.com/urn:biz:<uuid>). */
  ambAccountId: string;
  /** The Messages for Business account name (the `&name=` of the MSP link). */
  accountName: string;
  dataStream?: boolean;
  /** Why Data Stream is off, when it is. */
  dataStreamWaiver?: string;
  /** The link Apple shows after "Connect". */
  mspLink?: string;
  /** The stack (`<project>/<stack>`) this one takes the asset over from, on purpose. */
  takeOwnershipFrom?: string;
}

export interface AmbChannelServiceArgs {
  /** Service name in Webex Connect. */
  name: string;
  description?: string;
  /** "none" creates and owns the service; "byName"/"byId" reuse an existing one. */
  adopt?: "none" | "byName" | "byId";
  /** The existing service's id, with adopt "byId". */
  id?: string;
}

export interface AmbChannelKubernetesArgs {
  /** The namespace the channel creates and puts its objects in; another resource's output is fine. */
  namespace: pulumi.Input<string>;
  /**
   * The Kubernetes provider for every Kubernetes object of the channel. Without one, the channel makes its own from
   * `context` (a kubeconfig context) or `renderYamlToDirectory` (manifests written to a folder).
   */
  provider?: pulumi.ProviderResource;
  context?: string;
  renderYamlToDirectory?: string;
  /** Annotate every object `pulumi.com/skipAwait: "true"`: only for an API server that runs no workloads. */
  skipAwait?: boolean;
}

type Node = CloudConnectEdgeProxyArgs["cloudConnectNodes"][number];

export interface AmbChannelCloudConnectArgs {
  /** The publisher and subscriber Cloud Connect nodes the edge fails over between. */
  nodes: Node[];
  /** A lab's named opt-out from failover: why it runs one node. */
  singleNodeWaiver?: string;
}

export interface AmbChannelEdgeArgs
  extends Omit<CloudConnectEdgeSettings, "environment" | "proxy" | "singleNodeWaiver"> {
  /** The address ranges allowed to call the edge: Webex Connect's and the load balancer's. */
  allowedClientCidrs: string[];
  /** The proxy's knobs (edge/types.ts) but the ones the channel supplies: FQDN, nodes, allowed ranges. */
  proxy?: Omit<CloudConnectEdgeProxyArgs, "cloudConnectNodes" | "allowedClientCidrs">;
}

export interface AmbChannelFlowArgs
  extends Omit<WebhookFlowSettings, "mode">,
    Partial<Pick<FlowBindings, "callVariables" | "eccVariables">> {
  /** "perAsset": five webhook flows conditioned on the App ID; "common": one tenant-wide flow. */
  webhooks?: WebhookFlowSettings["mode"];
  /** Templates this stack replaces with a flow document file (path relative to the project folder). */
  overrides?: Partial<Record<TemplateName, string>>;
}

export interface AmbChannelArgs {
  /** The stack's environment: labels the workloads and decides which images they may run. */
  environment: string;
  kubernetes: AmbChannelKubernetesArgs;
  cloudConnect: AmbChannelCloudConnectArgs;
  edge: AmbChannelEdgeArgs;
  /** The integration service with its Webex Connect credential; the channel adds namespace, environment, callers. */
  integrationService: Omit<
    IntegrationServiceArgs,
    "namespace" | "environment" | "ingressFrom" | "objectName"
  >;
  service: AmbChannelServiceArgs;
  asset: AmbChannelAssetArgs;
  flows?: AmbChannelFlowArgs;
  /**
   * Protects every resource of the channel (Pulumi `protect`): the Webex Connect service, the asset's registration,
   * the live flows and the Kubernetes objects. A destroy, or a change that would replace or delete one of them,
   * fails until `pulumi state unprotect`. Defaults to on for the "prod" environment only
   * (docs/operations.md#protected-production-objects).
   */
  protect?: boolean;
}
