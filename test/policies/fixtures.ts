/** Resources as the policy server hands them over: the stack's AMB asset, bound live flows, the edge's objects. */
import {
  buildCloudConnectEdgeManifests,
  resolveCloudConnectEdgeSpec,
} from "../../components/cloudConnectEdge";
import {
  buildIntegrationServiceManifests,
  resolveIntegrationServiceSpec,
} from "../../components/integrationService";
import { boundDefinition } from "../../components/liveFlow";
import { boundFlowName, type FlowBindings, type FlowDocument, type TemplateName } from "../../flows";
import { CONFIG_MAP_TYPE, DEPLOYMENT_TYPE, K8S_SERVICE_TYPE } from "../../policies/rules/resources";
import { AMB_ASSET_TYPE, LIVE_FLOW_TYPE } from "../../lib/facts";
import { edgeArgs, EDGE_FQDN, integrationArgs } from "../kubernetes/fixtures";
import { resolveManifest, type TypedManifest } from "../kubernetes/kubernetesModels";
import type { FakeResource } from "./policyHarness";

export { EDGE_FQDN };
export const APP_ID = "app-7f3e9c";
export const ASSET_ID = "asset-1";
export const SERVICE_ID = "svc-1";
export const ACCOUNT_NAME = "TestAccount_Cisco";
/** The custom event the common flow raises for this stack's asset. */
export const EVENT_ID = "amb-event-1";
const AMB_ACCOUNT_ID = "ca7c8be7-1dec-4580-9668-a92ab0054485";

/** The AMB asset after `up`: inputs plus the assetId output. */
export function ambAsset(props: Record<string, unknown> = {}): FakeResource {
  return {
    type: AMB_ASSET_TYPE,
    name: "asset",
    props: {
      appId: APP_ID,
      accountName: ACCOUNT_NAME,
      serviceId: SERVICE_ID,
      dataStream: true,
      assetId: ASSET_ID,
      ...props,
    },
  };
}

/**
 * The template (or `source`, an override of it) bound to this stack's asset, service and edge; `bindings` override
 * those values.
 */
export function boundFlow(
  template: TemplateName,
  bindings: Partial<FlowBindings> = {},
  source?: FlowDocument,
): FlowDocument {
  return boundDefinition(
    template,
    {
      proxyFqdn: EDGE_FQDN,
      appId: APP_ID,
      ambAccountId: AMB_ACCOUNT_ID,
      ambAssetId: ASSET_ID,
      serviceId: SERVICE_ID,
      destinationRoutes: [{ appId: APP_ID, eventId: EVENT_ID }],
      eventId: EVENT_ID,
      ...bindings,
    },
    source,
  );
}

export function liveFlow(
  name: string,
  template: TemplateName,
  options: { definition?: unknown; props?: Record<string, unknown> } = {},
): FakeResource {
  return {
    type: LIVE_FLOW_TYPE,
    name,
    props: {
      name: boundFlowName(template, ACCOUNT_NAME),
      serviceId: SERVICE_ID,
      assetId: ASSET_ID,
      definition: options.definition ?? boundFlow(template),
      ...options.props,
    },
  };
}

const KUBERNETES_TYPES: Record<string, string> = {
  ConfigMap: CONFIG_MAP_TYPE,
  Service: K8S_SERVICE_TYPE,
  Deployment: DEPLOYMENT_TYPE,
};

/** A manifest as the Kubernetes resource of its kind, named like the component names it. */
export function kubernetesResource(manifest: TypedManifest): FakeResource {
  const name = (manifest.metadata as { name: string }).name;
  return { type: KUBERNETES_TYPES[manifest.kind] ?? `kubernetes:${manifest.kind}`, name, props: manifest };
}

/** The edge's ConfigMap, Service and Deployment exactly as CloudConnectEdge builds them. */
export async function edgeObjects(): Promise<{
  configMap: FakeResource;
  service: FakeResource;
  deployment: FakeResource;
}> {
  const manifests = buildCloudConnectEdgeManifests(resolveCloudConnectEdgeSpec("cce-edge", edgeArgs()));
  return {
    configMap: kubernetesResource(await resolveManifest(manifests.configMap)),
    service: kubernetesResource(await resolveManifest(manifests.service)),
    deployment: kubernetesResource(await resolveManifest(manifests.deployment)),
  };
}

/** The integration service's settings ConfigMap and Deployment exactly as IntegrationService builds them. */
export async function integrationObjects(): Promise<{ configMap: FakeResource; deployment: FakeResource }> {
  const manifests = buildIntegrationServiceManifests(
    resolveIntegrationServiceSpec("integration", integrationArgs()),
  );
  return {
    configMap: kubernetesResource(await resolveManifest(manifests.configMap)),
    deployment: kubernetesResource(await resolveManifest(manifests.deployment)),
  };
}
