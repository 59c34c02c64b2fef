/**
 * AmbChannel's arguments: what one AMB asset on one environment needs, in the components' own terms. index.ts maps
 * the validated stack configuration onto them; the channel wires the rest (namespace, edge FQDN, ids).
 */
import { PROD_ENVIRONMENT } from "../lib/conventions";
import type { FlowBindings, TemplateName } from "../flows";
import type { CloudConnectEdgeArgs } from "./cloudConnectEdge";
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
  adoptId?: string;
}

export interface AmbChannelFlowArgs
  extends WebhookFlowSettings,
    Pick<FlowBindings, "callVariables" | "eccVariables"> {
  /** Templates this stack replaces with a flow document file (path relative to the project folder). */
  overrides?: Partial<Record<TemplateName, string>>;
}

export interface AmbChannelArgs {
  /** The stack's environment: labels the workloads and decides which images they may run. */
  environment: string;
  /** The Kubernetes namespace the channel creates and puts its objects in. */
  namespace: string;
  /** The Cloud Connect edge; the channel adds the namespace and the environment. */
  edge: Omit<CloudConnectEdgeArgs, "namespace" | "environment" | "objectName">;
  /** The integration service with its Webex Connect credential; the channel adds namespace, environment, callers. */
  integrationService: Omit<
    IntegrationServiceArgs,
    "namespace" | "environment" | "ingressFrom" | "objectName"
  >;
  service: AmbChannelServiceArgs;
  asset: AmbChannelAssetArgs;
  flows: AmbChannelFlowArgs;
  /**
   * Protects every resource of the channel (Pulumi `protect`): the Webex Connect service, the asset's registration,
   * the live flows and the Kubernetes objects. A destroy, or a change that would replace or delete one of them,
   * fails until `pulumi state unprotect`. Defaults to on for the "prod" environment only
   * (docs/operations.md#protected-production-objects).
   */
  protect?: boolean;
}
