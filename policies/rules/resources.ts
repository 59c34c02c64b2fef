/** How the rules recognise the project's resources: Pulumi types, and the labels the components put on objects. */
import { EDGE_APP_NAME } from "../../lib/conventions";
import { asObject, isUnknown, type ResourceView } from "./engineValues";

export const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";
export const K8S_SERVICE_TYPE = "kubernetes:core/v1:Service";
export const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";

/** The `app.kubernetes.io/name` label components/cloudConnectEdge.ts gives every object of the edge. */
const APP_NAME_LABEL = "app.kubernetes.io/name";
/** The edge Service's public hostname, the value of the CCE Create/End Task Domain field. */
export const EXTERNAL_DNS_HOSTNAME = "external-dns.alpha.kubernetes.io/hostname";

/** A metadata label or annotation; unknown values come back as the unknown marker. */
export function metadataEntry(resource: ResourceView, field: "labels" | "annotations", key: string): unknown {
  const metadata = resource.props.metadata;
  if (isUnknown(metadata)) return metadata;
  const entries = asObject(metadata)?.[field];
  return isUnknown(entries) ? entries : asObject(entries)?.[key];
}

export function isEdgeObject(resource: ResourceView, type: string): boolean {
  return resource.type === type && metadataEntry(resource, "labels", APP_NAME_LABEL) === EDGE_APP_NAME;
}

/** How messages name a resource: `AmbAsset "asset"`, or a Kubernetes object by its object name. */
export function describeResource(resource: ResourceView): string {
  const kind = resource.type.slice(resource.type.lastIndexOf(":") + 1);
  const objectName = asObject(resource.props.metadata)?.name;
  const name = typeof objectName === "string" && !isUnknown(objectName) ? objectName : resource.name;
  return `${kind} ${JSON.stringify(name)}`;
}
