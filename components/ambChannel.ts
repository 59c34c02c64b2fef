import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../config/stackConfig";
import { customerCloseFlowTemplate, inboundFlowTemplate } from "../flows";
import { mspLinkWithAccountName, MSP_LINK_EXAMPLE } from "../lib/appleRegistration";
import { AmbAsset } from "./ambAsset";
import { CloudConnectEdge } from "./cloudConnectEdge";
import { IntegrationService, type WebexConnectCredentialInput } from "./integrationService";
import { LiveFlow } from "./liveFlow";
import { WebexService } from "./webexService";
import { WebhookFlowSet } from "./webhookFlowSet";
import { RESOURCE_TYPES } from "../lib/facts";

export interface AmbChannelArgs {
  config: StackConfig;
  /** The Webex Connect credential for the integration service; every part a Pulumi secret. */
  webexConnectCredential: WebexConnectCredentialInput;
}

export interface LiveFlowSummary {
  flowId: string;
  liveVersionId: string;
  previousLiveVersionId: string | null;
}

/** The MSP link with `&name=<account>` to open at Apple, when the stack knows the link Apple shows. */
export function mspLinkOf(config: StackConfig): string | undefined {
  const { mspLink, accountName } = config.asset;
  return mspLink ? mspLinkWithAccountName(mspLink, accountName) : undefined;
}

/**
 * What is still done by hand at Apple, and what the stack read from Webex Connect: `assetStatus` is the AMB asset's
 * status as its provider last read it (at create or refresh; a preview reads nothing), unknown before the first up.
 */
export function readinessChecklist(config: StackConfig, assetStatus: string): string[] {
  const link = mspLinkOf(config) ?? `${MSP_LINK_EXAMPLE}&name=${config.asset.accountName}`;
  const asset = `the asset (App ID ${config.asset.appId})`;
  return [
    assetStatus === "Online"
      ? `[read from Webex Connect at the last up or refresh, not by a preview] ${asset} was "Online": Apple approved the Messages for Business account.`
      : `[read from Webex Connect at the last up or refresh, not by a preview] ${asset} was ${JSON.stringify(assetStatus)}, not "Online": Apple has not approved the account yet.`,
    `[manual, Apple Business Register] the MSP connection was made by opening ${link}.`,
    "[manual, Apple Business Register] tester Apple IDs are added and testing instructions sent (internal test accounts).",
    "[manual, Apple Business Register] Optional Integrations and branding reviewed for a commercial account.",
    `[manual, Webex Engage] the asset shows in the Engage portal (registered by this stack to service "${config.service.name}").`,
  ];
}

/**
 * One AMB asset on one environment: the Cloud Connect edge and the integration service on Kubernetes, and in Webex
 * Connect the service, the adopted asset with Engage registration and Data Stream, and the live flows with the
 * edge's FQDN, the App ID and the AMB Account ID wired in.
 */
export class AmbChannel extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;
  readonly businessChatUrl: pulumi.Output<string>;
  readonly flows: pulumi.Output<Record<string, LiveFlowSummary>>;
  /** readinessChecklist with the asset's status as Webex Connect last reported it. */
  readonly readiness: pulumi.Output<string[]>;

  constructor(name: string, args: AmbChannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPES.ambChannel, name, {}, opts);
    const { config } = args;
    const child = { parent: this };

    const namespace = new k8s.core.v1.Namespace(
      "namespace",
      {
        metadata: {
          name: config.kubernetes.namespace,
          labels: { "app.kubernetes.io/part-of": "amb-cce-connect" },
        },
      },
      child,
    );
    const edge = new CloudConnectEdge(
      "cce-edge",
      {
        namespace: namespace.metadata.name,
        environment: config.environment,
        ...config.edge,
        singleNodeWaiver: config.cloudConnect.singleNodeWaiver,
        proxy: {
          ...config.edge.proxy,
          cloudConnectNodes: config.cloudConnect.nodes,
          allowedClientCidrs: config.edge.allowedClientCidrs,
        },
      },
      child,
    );
    new IntegrationService(
      "integration",
      {
        namespace: namespace.metadata.name,
        environment: config.environment,
        ...config.integrationService,
        webexConnectCredential: args.webexConnectCredential,
        ingressFrom: [edge.ingressPeer],
      },
      child,
    );

    const service = new WebexService(
      "service",
      {
        name: config.service.name,
        description: config.service.description,
        adopt: config.service.adopt,
        adoptId: config.service.id,
        forAsset: { appId: config.asset.appId, takeOwnershipFrom: config.asset.takeOwnershipFrom },
      },
      child,
    );
    const asset = new AmbAsset(
      "asset",
      {
        appId: config.asset.appId,
        accountName: config.asset.accountName,
        serviceId: service.serviceId,
        dataStream: config.asset.dataStream,
        dataStreamWaiver: config.asset.dataStreamWaiver,
        mspLink: config.asset.mspLink,
        takeOwnershipFrom: config.asset.takeOwnershipFrom,
      },
      child,
    );
    const bindings = edge.fqdn.apply((proxyFqdn) => ({
      proxyFqdn,
      appId: config.asset.appId,
      ambAccountId: config.asset.ambAccountId,
      callVariables: config.flows.callVariables,
      eccVariables: config.flows.eccVariables,
    }));
    const overrides = config.flows.overrides;
    const onAsset = {
      assetName: config.asset.accountName,
      serviceId: service.serviceId,
      assetId: asset.assetId,
      bindings,
    };
    const flows = [
      new LiveFlow(
        "inbound",
        { ...onAsset, template: inboundFlowTemplate, override: overrides?.[inboundFlowTemplate] },
        child,
      ),
      new LiveFlow(
        "customer-close",
        { ...onAsset, template: customerCloseFlowTemplate, override: overrides?.[customerCloseFlowTemplate] },
        child,
      ),
      ...Object.values(
        new WebhookFlowSet(
          "webhooks",
          {
            ...onAsset,
            mode: config.flows.webhooks,
            eventId: config.flows.eventId,
            commonFlowOwner: config.flows.commonFlowOwner,
            destinationRoutes: config.flows.destinationRoutes,
            overrides,
          },
          child,
        ).flows,
      ),
    ];

    this.fqdn = edge.fqdn;
    this.businessChatUrl = asset.businessChatUrl;
    this.readiness = asset.status.apply((status) => readinessChecklist(config, status));
    this.flows = pulumi
      .all(flows.map((flow) => pulumi.all([flow.flowId, flow.liveVersionId, flow.previousLiveVersionId])))
      .apply((ids) =>
        Object.fromEntries(
          ids.map(([flowId, liveVersionId, previousLiveVersionId], index) => [
            flows[index].flowName,
            { flowId, liveVersionId, previousLiveVersionId },
          ]),
        ),
      );
    this.registerOutputs({ fqdn: this.fqdn, businessChatUrl: this.businessChatUrl, flows: this.flows });
  }
}
