/**
 * The flow templates this project ships (flows/templates/*.json) and how bound flows are named.
 * Templates are imported rather than read from disk, so the build compiles them into dist/ with the code that uses
 * them, and every process that binds a flow (the program, the providers, the scripts) finds them the same way.
 */
import { cloneJson } from "../lib/json";
import assetEvents from "./templates/AppleMessages_asset_events.json";
import customerClose from "./templates/AppleMessages_CustomerClose.json";
import inbound from "./templates/AppleMessages_inbound_flow.json";
import webhookClosed from "./templates/AppleMessages_webhook_CLOSED.json";
import webhookCommon from "./templates/AppleMessages_webhook_common.json";
import webhookCreated from "./templates/AppleMessages_webhook_CREATED.json";
import webhookQueued from "./templates/AppleMessages_webhook_QUEUED.json";
import webhookRouted from "./templates/AppleMessages_webhook_ROUTED.json";
import webhookTransferred from "./templates/AppleMessages_webhook_TRANSFERRED.json";
import { parseFlowDocument, type FlowDocument } from "./schema";

const TEMPLATES = {
  AppleMessages_inbound_flow: inbound,
  AppleMessages_CustomerClose: customerClose,
  AppleMessages_webhook_CREATED: webhookCreated,
  AppleMessages_webhook_QUEUED: webhookQueued,
  AppleMessages_webhook_ROUTED: webhookRouted,
  AppleMessages_webhook_CLOSED: webhookClosed,
  AppleMessages_webhook_TRANSFERRED: webhookTransferred,
  AppleMessages_webhook_common: webhookCommon,
  AppleMessages_asset_events: assetEvents,
} as const;

export type TemplateName = keyof typeof TEMPLATES;

/** The CCE events Cloud Connect posts to Webex Connect's webhook, in the order a task sees them. */
export const CCE_EVENTS = ["CREATED", "QUEUED", "ROUTED", "CLOSED", "TRANSFERRED"] as const;
export type CceEvent = (typeof CCE_EVENTS)[number];

export const inboundFlowTemplate: TemplateName = "AppleMessages_inbound_flow";
export const customerCloseFlowTemplate: TemplateName = "AppleMessages_CustomerClose";
/** Per-asset webhook flows: each is conditioned on cce.destination equal to the asset's App ID. */
export const webhookEventFlowTemplates: Readonly<Record<CceEvent, TemplateName>> = {
  CREATED: "AppleMessages_webhook_CREATED",
  QUEUED: "AppleMessages_webhook_QUEUED",
  ROUTED: "AppleMessages_webhook_ROUTED",
  CLOSED: "AppleMessages_webhook_CLOSED",
  TRANSFERRED: "AppleMessages_webhook_TRANSFERRED",
};
/** The alternative to the per-asset webhook flows: one flow for the tenant that branches on cce.destination. */
export const commonWebhookFlowTemplate: TemplateName = "AppleMessages_webhook_common";
/**
 * Common mode, per asset: starts on the custom event the common flow raises for the asset and does, per CCE event,
 * what the per-asset webhook flow of that event does. It holds the AMB nodes, so it is bound to its one asset.
 */
export const assetEventsFlowTemplate: TemplateName = "AppleMessages_asset_events";

export function listTemplates(): TemplateName[] {
  return Object.keys(TEMPLATES) as TemplateName[];
}

/** A fresh, schema-checked copy of the template; callers may change it freely. */
export function loadTemplate(name: TemplateName): FlowDocument {
  if (!Object.hasOwn(TEMPLATES, name)) {
    throw new Error(
      `There is no flow template ${JSON.stringify(name)}; the templates are: ${listTemplates().join(", ")}.`,
    );
  }
  return parseFlowDocument(cloneJson(TEMPLATES[name]), `flows/templates/${name}.json`);
}

/**
 * The name of a template's flow bound to one AMB asset, e.g. `AppleMessages_inbound_flow__TestAccount_Cisco`:
 * a live flow is bound to exactly one asset, so each asset gets its own copy.
 */
export function boundFlowName(templateName: TemplateName, assetName: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(assetName)) {
    throw new Error(
      `The asset name ${JSON.stringify(assetName)} cannot be part of a flow name: use letters, digits, "_" and "-" only.`,
    );
  }
  return `${templateName}__${assetName}`;
}
