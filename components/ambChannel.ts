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
  type AmbChannelKubernetesArgs,
  type AmbChannelServiceArgs,
} from "./ambChannelArgs";
import { CloudConnectEdge } from "./cloudConnectEdge";
import { IntegrationService } from "./integrationService";
import { LiveFlow } from "./liveFlow";
import { skipAwaitTransform } from "./skipAwait";
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
 * The channel's own Kubernetes provider, when the program passes none: from the kubeconfig context or a folder. Its
 * alias is the stack-level provider "kubernetes" that programs made before the channel made its own, so their
 * Kubernetes objects keep their provider.
 */
function kubernetesProvider(
  name: string,
  kubernetes: AmbChannelKubernetesArgs,
  parent: pulumi.Resource,
  protect: boolean,
): pulumi.ProviderResource {
  if (kubernetes.provider) return kubernetes.provider;
  const { renderYamlToDirectory, context } = kubernetes;
  return new k8s.Provider(
    `${name}-kubernetes`,
    renderYamlToDirectory !== undefined ? { renderYamlToDirectory } : { context },
    { parent, protect, aliases: [{ name: "kubernetes", parent: pulumi.rootStackResource }] },
  );
}

/**
 * One AMB asset on one environment: the Cloud Connect edge and the integration service on Kubernetes, and in Webex
 * Connect the service, the adopted asset with Engage registration and Data Stream, and the live flows with the
 * edge's FQDN, the App ID and the AMB Account ID wired in. Its arguments are the stack file's sections as
 * `readStackConfig()` validates them, so a program passes those as they are.
 *
 * Every child's name starts with the channel's name, so two channels fit in one stack; each child's alias is the
 * unprefixed name it had before, so existing stacks keep their resources (test/stack/aliases.engine.test.ts).
 * The Kubernetes provider (`args.kubernetes.provider`, or one the channel makes) reaches the Kubernetes resources only.
 */
export class AmbChannel extends pulumi.ComponentResource {
  readonly fqdn: pulumi.Output<string>;
  readonly businessChatUrl: pulumi.Output<string>;
  /** Each live flow by name: its id, live version and the version it replaced. */
  readonly flows: pulumi.Output<Record<string, LiveFlowSummary>>;
  /** readinessChecklist with the asset's status as Webex Connect last reported it. */
  readonly readiness: pulumi.Output<string[]>;
  /** The MSP link to open at Apple, with `&name=<account>`, when the stack gives the link Apple shows. */
  readonly mspLink: pulumi.Output<string | undefined>;
  /** The Webex Connect service's id. */
  readonly serviceId: pulumi.Output<string>;
  /** The adopted AMB asset's Webex Connect id. */
  readonly assetId: pulumi.Output<string>;
  /** The namespace the channel's Kubernetes objects are in. */
  readonly namespace: pulumi.Output<string>;
  /** The edge's LoadBalancer Service: point the FQDN at its address. */
  readonly edgeService: k8s.core.v1.Service;

  constructor(name: string, args: AmbChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(RESOURCE_TYPES.ambChannel, name, {}, opts);
    const { asset: assetArgs, cloudConnect, edge: edgeArgs, kubernetes } = args;
    const flowArgs = args.flows ?? {};
    // Options of the child that was called `role` before its name carried the channel's.
    // Protected in prod (AmbChannelArgs.protect): the whole channel, since a refused destroy still deletes what is not.
    const protect = args.protect ?? args.environment === PROTECTED_ENVIRONMENT;
    const child = (role: string) => ({ parent: this, aliases: [{ name: role }], protect });
    // The provider goes to the Kubernetes children only, not to the channel itself: the SDK registers a component
    // only once its providers are registered, and the Kubernetes provider's registration starts its plugin, so the
    // Webex Connect half (which needs none of them) would wait for that before its first resource.
    const provider = kubernetesProvider(name, kubernetes, this, protect);
    const transforms = kubernetes.skipAwait ? [skipAwaitTransform] : [];
    const kubernetesChild = (role: string) => ({
      ...child(role),
      providers: { kubernetes: provider },
      transforms,
    });

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: { name: kubernetes.namespace, labels: { "app.kubernetes.io/part-of": "amb-cce-connect" } },
      },
      // A custom resource takes its one provider.
      { ...child("namespace"), provider, transforms },
    );
    const edge = new CloudConnectEdge(
      `${name}-cce-edge`,
      {
        ...edgeArgs,
        singleNodeWaiver: cloudConnect.singleNodeWaiver,
        proxy: {
          ...edgeArgs.proxy,
          cloudConnectNodes: cloudConnect.nodes,
          allowedClientCidrs: edgeArgs.allowedClientCidrs,
        },
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

    const { id: adoptId, ...serviceArgs } = args.service;
    const service = new WebexService(
      `${name}-service`,
      {
        ...serviceArgs,
        adoptId,
        forAsset: { appId: assetArgs.appId, takeOwnershipFrom: assetArgs.takeOwnershipFrom },
      },
      child("service"),
    );
    const { appId, ambAccountId, accountName, dataStream, dataStreamWaiver, mspLink, takeOwnershipFrom } =
      assetArgs;
    const asset = new AmbAsset(
      `${name}-asset`,
      {
        appId,
        accountName,
        dataStream,
        dataStreamWaiver,
        mspLink,
        takeOwnershipFrom,
        serviceId: service.serviceId,
      },
      child("asset"),
    );
    const onAsset = {
      assetName: assetArgs.accountName,
      serviceId: service.serviceId,
      assetId: asset.assetId,
      bindings: edge.fqdn.apply((proxyFqdn) => ({
        proxyFqdn,
        appId,
        ambAccountId,
        callVariables: flowArgs.callVariables ?? {},
        eccVariables: flowArgs.eccVariables ?? {},
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
            mode: flowArgs.webhooks ?? "perAsset",
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
    this.mspLink = pulumi.output(mspLinkOf(assetArgs));
    this.serviceId = service.serviceId;
    this.assetId = asset.assetId;
    this.namespace = namespace.metadata.name;
    this.edgeService = edge.service;
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
      mspLink: this.mspLink,
      serviceId: this.serviceId,
      assetId: this.assetId,
      namespace: this.namespace,
      edgeService: this.edgeService,
    });
  }
}
