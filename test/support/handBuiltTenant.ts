/**
 * A tenant built by hand through the Webex Connect API, the way a person clicks it together in the portal: a
 * service, the AMB asset registered to it in Engage with Data Stream on, and our flows imported and published bound
 * to the asset with the tenant's values typed in (one with an extra call variable), one of them edited by hand.
 */
import {
  bindFlow,
  boundFlowName,
  CCE_EVENTS,
  customerCloseFlowTemplate,
  formatProblems,
  inboundFlowTemplate,
  loadTemplate,
  webhookEventFlowTemplates,
  type FlowDocument,
  type TemplateName,
} from "../../flows";
import { DEFAULT_ORGANIZATION_ID, DEFAULT_TOKEN, type RunningEmulator } from "../../emulator/server";
import { createWebexConnectClient } from "../../webexconnect";

export const HAND_BUILT = {
  appId: "f3c1a9e2-portal",
  ambAccountId: "6b2f9d41-3c7e-4a18-9e05-d8a4c1b7f302",
  accountName: "Portal_Shop",
  proxyFqdn: "amb-shop.cc.example.com",
  serviceName: "Portal Shop (clicked)",
  serviceDescription: "Built in the portal",
  callVariables: { cv_5: "shop" },
  /** The flow a person edited by hand: a node renamed, which is not a value the stack sets. */
  editedTemplate: customerCloseFlowTemplate as TemplateName,
  editedNodeName: "Close the conversation (portal edit)",
};

export interface HandBuiltTenant {
  assetId: string;
  serviceId: string;
  /** Flow name → id. */
  flowIds: Record<string, string>;
}

export async function buildTenantByHand(emulator: RunningEmulator): Promise<HandBuiltTenant> {
  await emulator.control.seedAsset({
    organizationId: DEFAULT_ORGANIZATION_ID,
    name: HAND_BUILT.accountName,
    accountName: HAND_BUILT.accountName,
    appId: HAND_BUILT.appId,
    ambAccountId: HAND_BUILT.ambAccountId,
    status: "Online",
  });
  const client = createWebexConnectClient({
    token: DEFAULT_TOKEN,
    organizationId: DEFAULT_ORGANIZATION_ID,
    baseUrl: emulator.url,
  });
  const { value: service } = await client.createService({
    name: HAND_BUILT.serviceName,
    description: HAND_BUILT.serviceDescription,
  });
  const asset = await client.getAmbAssetByAppId(HAND_BUILT.appId);
  await client.registerToEngage(asset.id, service.id);
  await client.setDataStream(asset.id, true);
  const templates: TemplateName[] = [
    inboundFlowTemplate,
    customerCloseFlowTemplate,
    ...CCE_EVENTS.map((event) => webhookEventFlowTemplates[event]),
  ];
  const flowIds: Record<string, string> = {};
  for (const template of templates) {
    const bound = bindFlow(loadTemplate(template), {
      proxyFqdn: HAND_BUILT.proxyFqdn,
      appId: HAND_BUILT.appId,
      ambAccountId: HAND_BUILT.ambAccountId,
      ambAssetId: asset.id,
      serviceId: service.id,
      callVariables: HAND_BUILT.callVariables,
    });
    if (!bound.ok) throw new Error(formatProblems(bound.problems));
    const definition: FlowDocument = bound.flow;
    if (template === HAND_BUILT.editedTemplate) {
      const node = definition.nodes.find((candidate) => candidate.type === "closeConversation");
      node!.name = HAND_BUILT.editedNodeName;
    }
    const name = boundFlowName(template, HAND_BUILT.accountName);
    const { value: flow } = await client.importFlow(service.id, { name, definition });
    await client.publishFlow(service.id, flow.id, asset.id);
    flowIds[name] = flow.id;
  }
  return { assetId: asset.id, serviceId: service.id, flowIds };
}
