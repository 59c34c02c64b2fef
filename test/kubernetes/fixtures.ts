/**
 * Component arguments shared by the Kubernetes tests. Type-only imports of the components, so a test can set Pulumi
 * mocks before the component modules load.
 */
import type { AmbChannelArgs } from "../../components/ambChannelArgs";
import type { CloudConnectEdgeArgs } from "../../components/cloudConnectEdge";
import type { IntegrationServiceArgs } from "../../components/integrationService";

export const NAMESPACE = "amb-cce";
export const EDGE_FQDN = "cc-edge.example.com";
export const PINNED_HAPROXY = `haproxy:2.6@sha256:${"a".repeat(64)}`;
export const PINNED_INTEGRATION = `registry.example.com/integration@sha256:${"b".repeat(64)}`;
/** Recognisable so a test can prove it appears nowhere it must not. */
export const WEBEX_CONNECT_TOKEN = "wxc-token-4f1e9c-never-print";

export function edgeArgs(overrides: Partial<CloudConnectEdgeArgs> = {}): CloudConnectEdgeArgs {
  return {
    namespace: NAMESPACE,
    environment: "prod",
    fqdn: EDGE_FQDN,
    image: PINNED_HAPROXY,
    proxy: {
      cloudConnectNodes: [
        { name: "publisher", host: "cc-pub.example.com" },
        { name: "subscriber", host: "cc-sub.example.com" },
      ],
      allowedClientCidrs: ["203.0.113.0/24"],
    },
    frontTls: { certificatePem: "FRONT-CERT-PEM", privateKeyPem: "FRONT-KEY-PEM" },
    cloudConnectTls: {
      certificatePem: "CLIENT-CERT-PEM",
      privateKeyPem: "CLIENT-KEY-PEM",
      caCertificatePem: "CA-PEM",
    },
    ...overrides,
  };
}

export function integrationArgs(overrides: Partial<IntegrationServiceArgs> = {}): IntegrationServiceArgs {
  return {
    namespace: NAMESPACE,
    environment: "prod",
    image: PINNED_INTEGRATION,
    settings: { WEBEX_CONNECT_REGION: "eu", LOG_LEVEL: "info" },
    webexConnectCredential: { token: WEBEX_CONNECT_TOKEN },
    ingressFrom: [
      { namespace: NAMESPACE, podLabels: { "app.kubernetes.io/name": "cloud-connect-edge" } },
      { namespace: "monitoring" },
    ],
    ...overrides,
  };
}

/** `value` without `keys`: e.g. a component's arguments without those its parent fills in. */
export function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key as K))) as Omit<T, K>;
}

/** A whole channel's arguments in the stack file's shape, from the edge's and the integration service's above. */
export function channelArgs(
  environment: string,
  kubernetes: AmbChannelArgs["kubernetes"],
  overrides: Partial<AmbChannelArgs> = {},
): AmbChannelArgs {
  const { fqdn, image, frontTls, cloudConnectTls, proxy } = edgeArgs();
  return {
    environment,
    kubernetes,
    cloudConnect: { nodes: proxy.cloudConnectNodes },
    edge: { fqdn, image, frontTls, cloudConnectTls, allowedClientCidrs: proxy.allowedClientCidrs },
    integrationService: omit(integrationArgs(), "namespace", "environment", "ingressFrom"),
    service: { name: `AMB ${environment}` },
    asset: { appId: "app-1", ambAccountId: "acct", accountName: "Retail" },
    flows: { webhooks: "perAsset" },
    ...overrides,
  };
}
