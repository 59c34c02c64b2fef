import * as pulumi from "@pulumi/pulumi";
import {
  assetEventsFlowTemplate,
  CCE_EVENTS,
  commonWebhookFlowTemplate,
  webhookEventFlowTemplates,
  type DestinationRoute,
  type FlowBindings,
  type TemplateName,
} from "../flows";
import { LiveFlow } from "./liveFlow";
import { RESOURCE_TYPES } from "../lib/facts";

/** How the CCE webhook events reach this asset's AMB nodes (the stack's `flows` section). */
export interface WebhookFlowSettings {
  /** "perAsset": five flows conditioned on the App ID; "common": one tenant-wide flow branching on cce.destination. */
  mode: "perAsset" | "common";
  /** Common mode: the custom event the common flow raises for this asset; its asset-events flow starts on it. */
  eventId?: string;
  /** Common mode: this stack deploys the tenant's one common flow. */
  commonFlowOwner?: boolean;
  /** Common mode, owner only: one route per AMB asset of the tenant. */
  destinationRoutes?: readonly DestinationRoute[];
}

export interface WebhookFlowSetArgs extends WebhookFlowSettings {
  assetName: string;
  serviceId: pulumi.Input<string>;
  assetId: pulumi.Input<string>;
  bindings: pulumi.Input<Omit<FlowBindings, "serviceId" | "ambAssetId" | "destinationRoutes" | "eventId">>;
  /** Per-stack overrides of templates (`flows.overrides`): template → flow document file. */
  overrides?: Partial<Record<TemplateName, string>>;
}

/** One flow of the set: its resource name's suffix, its template and the bindings only it takes. */
export interface PlannedWebhookFlow {
  suffix: string;
  template: TemplateName;
  bindings: Pick<FlowBindings, "eventId" | "destinationRoutes">;
}

/**
 * The flows one asset's stack deploys for the CCE webhook events. Per asset: the five event flows. Common: the
 * asset-events flow (started by the asset's custom event), and the tenant's common flow on the owner's stack only.
 */
export function plannedWebhookFlows(settings: WebhookFlowSettings): PlannedWebhookFlow[] {
  if (settings.mode === "perAsset") {
    return CCE_EVENTS.map((event) => ({
      suffix: event.toLowerCase(),
      template: webhookEventFlowTemplates[event],
      bindings: {},
    }));
  }
  const assetEvents = {
    suffix: "asset-events",
    template: assetEventsFlowTemplate,
    bindings: { eventId: settings.eventId },
  };
  const common = {
    suffix: "common",
    template: commonWebhookFlowTemplate,
    bindings: { destinationRoutes: settings.destinationRoutes },
  };
  return settings.commonFlowOwner === true ? [assetEvents, common] : [assetEvents];
}

/** The flows that carry this AMB asset's CCE webhook events (CREATED, QUEUED, ROUTED, CLOSED, TRANSFERRED). */
export class WebhookFlowSet extends pulumi.ComponentResource {
  /** Flow name → its live flow. */
  readonly flows: Record<string, LiveFlow>;

  constructor(name: string, args: WebhookFlowSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(RESOURCE_TYPES.webhookFlowSet, name, {}, opts);
    const onAsset = { assetName: args.assetName, serviceId: args.serviceId, assetId: args.assetId };
    const flows = plannedWebhookFlows(args).map(
      (planned) =>
        new LiveFlow(
          `${name}-${planned.suffix}`,
          {
            ...onAsset,
            template: planned.template,
            override: args.overrides?.[planned.template],
            bindings: pulumi
              .output(args.bindings)
              .apply((bindings) => ({ ...bindings, ...planned.bindings })),
          },
          { parent: this },
        ),
    );
    this.flows = Object.fromEntries(flows.map((flow) => [flow.flowName, flow]));
    this.registerOutputs({ flows: this.flows });
  }
}
