import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { customerCloseFlowTemplate, inboundFlowTemplate } from "../flows";
import { mspLinkWithAccountName, MSP_LINK_EXAMPLE } from "../lib/appleRegistration";
import { RESOURCE_TYPES } from "../lib/facts";
import { AmbAsset } from "./ambAsset";
import {
  PROTECTED_ENVIRONMENT,
  type AmbChannelArgs,
  type AmbChannelAssetArgs,
  type AmbChannelServiceArgs,
} from "./ambChannelArgs";
import { CloudConnectEdge } from "./cloudConnectEdge";
import { IntegrationService } from "./integrationService";
import { LiveFlow } from "./liveFlow";
import { WebexService } from "./webexService";
import { WebhookFlowSet } from "./webhookFlowSet";

export type { AmbChannelArgs };

export interface LiveFlowSummary {
  flowId: string;
  liveVersionId: string;
  previousLiveVersionId: string | null;
}

type AssetLink = Pick<AmbChannelAssetArgs, "mspLink" | "accountName">;

/** The MSP link with `&name=<account>` to open at Apple, when the stack knows the link Apple shows. */
export function mspLinkOf(asset: AssetLink): string | undefined {
  return asset.mspLink ? mspLinkWithAccountName(asset.mspLink, asset.accountName) : undefined;
}

/**
 * What is still done by hand at Apple, and what the stack read from Webex Connect: `assetStatus` is the AMB asset's
 * status as its provider last read it (at create or refresh; a preview reads nothing), unknown before the first up.
 */
export function readinessChecklist(
  channel: {
    asset: AssetLink & Pick<AmbChannelAssetArgs, "appId">;
    service: Pick<AmbChannelServiceArgs, "name">;
  },
  assetStatus: string,
): string[] {
  const link = mspLinkOf(channel.asset) ?? `${MSP_LINK_EXAMPLE}&name=${channel.asset.accountName}`;
  const asset = `the asset (App ID ${channel.asset.appId})`;
  return [
    assetStatus === "Online"
      ? `[read from Webex Connect at the last up or refresh, not by a preview] ${asset} was "Online": Apple approved the Messages for Business account.`
      : `[read from Webex Connect at the last up or refresh, not by a preview] ${asset} was ${JSON.stringify(assetStatus)}, not "Online": Apple has not approved the account yet.`,
    `[manual, Apple Business Register] the MSP connection was made by opening ${link}.`,
    "[manual, Apple Business Register] tester Apple IDs are added and testing instructions sent (internal test accounts).",
    "[manual, Apple Business Register] Optional Integrations and branding reviewed for a commercial account.",
    `[manual, Webex Engage] the asset shows in the Engage portal (registered by this stack to service "${channel.service.name}").`,
  ];
}

/**
 * One AMB asset on one environment: the Cloud Connect edge and the integration service on Kubernetes, and in Webex
 * Connect the service, the adopted asset with Engage registration and Data Stream, and the live flows with the
 * edge's FQDN, the App ID and the AMB Account ID wired in.
 *
 * Every child's name starts with the channel's name, so two channels fit in one stack; each child's alias is the
 * unprefixed name it had before, so existing stacks keep their resources (test/stack/aliases.engine.test.ts).
 * `opts.providers` (the Kubernetes provider) reach the Kubernetes resources only.
 */
export class AmbChannel extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;
  readonly businessChatUrl: pulumi.Output<string>;
  readonly flows: pulumi.Output<Record<string, LiveFlowSummary>>;
  /** readinessChecklist with the asset's status as Webex Connect last reported it. */
  readonly readiness: pulumi.Output<string[]>;

  constructor(name: string, args: AmbChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // `providers` go to the Kubernetes children, not to the channel itself: the SDK registers a component only once
    // its providers are registered, and the Kubernetes provider's registration starts its plugin, so the Webex
    // Connect half (which needs none of them) would wait for that before its first resource.
    const { providers, ...own } = opts;
    super(RESOURCE_TYPES.ambChannel, name, {}, own);
    const { asset: assetArgs, flows: flowArgs } = args;
    // Options of the child that was called `role` before its name carried the channel's.
    // Protected in prod (AmbChannelArgs.protect): the whole channel, since a refused destroy still deletes what is not.
    const protect = args.protect ?? args.environment === PROTECTED_ENVIRONMENT;
    const child = (role: string) => ({ parent: this, aliases: [{ name: role }], protect });
    const kubernetesChild = (role: string) => ({ ...child(role), providers });

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: args.namespace, labels: { "app.kubernetes.io/part-of": "amb-cce-connect" } } },
      // A custom resource takes its one provider (`providers` is a list or a map by package; none: the default).
      { ...child("namespace"), provider: Object.values(providers ?? {}).find(k8s.Provider.isInstance) },
    );
    const edge = new CloudConnectEdge(
      `${name}-cce-edge`,
      {
        ...args.edge,
        namespace: namespace.metadata.name,
        environment: args.environment,
        objectName: "cce-edge",
      },
      kubernetesChild("cce-edge"),
    );
    new IntegrationService(
      `${name}-integration`,
      {
        ...args.integrationService,
        namespace: namespace.metadata.name,
        environment: args.environment,
        ingressFrom: [edge.ingressPeer],
        objectName: "integration",
      },
      kubernetesChild("integration"),
    );

    const service = new WebexService(
      `${name}-service`,
      {
        ...args.service,
        forAsset: { appId: assetArgs.appId, takeOwnershipFrom: assetArgs.takeOwnershipFrom },
      },
      child("service"),
    );
    const { ambAccountId, ...adopted } = assetArgs;
    const asset = new AmbAsset(`${name}-asset`, { ...adopted, serviceId: service.serviceId }, child("asset"));
    const onAsset = {
      assetName: assetArgs.accountName,
      serviceId: service.serviceId,
      assetId: asset.assetId,
      bindings: edge.fqdn.apply((proxyFqdn) => ({
        proxyFqdn,
        appId: assetArgs.appId,
        ambAccountId,
        callVariables: flowArgs.callVariables,
        eccVariables: flowArgs.eccVariables,
      })),
    };
    const { overrides } = flowArgs;
    const flows = [
      new LiveFlow(
        `${name}-inbound`,
        { ...onAsset, template: inboundFlowTemplate, override: overrides?.[inboundFlowTemplate] },
        child("inbound"),
      ),
      new LiveFlow(
        `${name}-customer-close`,
        { ...onAsset, template: customerCloseFlowTemplate, override: overrides?.[customerCloseFlowTemplate] },
        child("customer-close"),
      ),
      ...Object.values(
        new WebhookFlowSet(
          `${name}-webhooks`,
          {
            ...onAsset,
            mode: flowArgs.mode,
            eventId: flowArgs.eventId,
            commonFlowOwner: flowArgs.commonFlowOwner,
            destinationRoutes: flowArgs.destinationRoutes,
            overrides,
          },
          child("webhooks"),
        ).flows,
      ),
    ];

    this.fqdn = edge.fqdn;
    this.businessChatUrl = asset.businessChatUrl;
    this.readiness = asset.status.apply((status) => readinessChecklist(args, status));
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
    this.registerOutputs({
      fqdn: this.fqdn,
      businessChatUrl: this.businessChatUrl,
      flows: this.flows,
      readiness: this.readiness,
    });
  }
}
