import * as pulumi from "@pulumi/pulumi";
import {
  CCE_EVENTS,
  commonWebhookFlowTemplate,
  webhookEventFlowTemplates,
  type DestinationRoute,
  type FlowBindings,
} from "../flows";
import { LiveFlow } from "./liveFlow";

export interface WebhookFlowSetArgs {
  /** "perAsset": the five CCE event flows conditioned on this asset's App ID; "common": one flow branching on cce.destination. */
  mode: "perAsset" | "common";
  assetName: string;
  serviceId: pulumi.Input<string>;
  assetId: pulumi.Input<string>;
  bindings: pulumi.Input<Omit<FlowBindings, "serviceId" | "ambAssetId" | "destinationRoutes">>;
  /** Common mode: one route per AMB asset of the tenant. */
  destinationRoutes?: DestinationRoute[];
}

/** The CCE webhook-event flows (CREATED, QUEUED, ROUTED, CLOSED, TRANSFERRED) of one AMB asset. */
export class WebhookFlowSet extends pulumi.ComponentResource {
  /** Flow name → its live flow. */
  readonly flows: Record<string, LiveFlow>;

  constructor(name: string, args: WebhookFlowSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("amb-cce:webexconnect:WebhookFlowSet", name, {}, opts);
    const common = { assetName: args.assetName, serviceId: args.serviceId, assetId: args.assetId };
    const flows =
      args.mode === "perAsset"
        ? CCE_EVENTS.map(
            (event) =>
              new LiveFlow(
                `${name}-${event.toLowerCase()}`,
                { ...common, template: webhookEventFlowTemplates[event], bindings: args.bindings },
                { parent: this },
              ),
          )
        : [
            new LiveFlow(
              `${name}-common`,
              {
                ...common,
                template: commonWebhookFlowTemplate,
                bindings: pulumi
                  .output(args.bindings)
                  .apply((b) => ({ ...b, destinationRoutes: args.destinationRoutes })),
              },
              { parent: this },
            ),
          ];
    this.flows = Object.fromEntries(flows.map((flow) => [flow.flowName, flow]));
    this.registerOutputs({ flowIds: Object.fromEntries(flows.map((flow) => [flow.flowName, flow.flowId])) });
  }
}
