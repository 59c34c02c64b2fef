/**
 * The reverse proxy and load balancer in front of the CCE Cloud Connect nodes: HAProxy on Kubernetes, reached by
 * Webex Connect at the FQDN that the CCE Create Task / End Task "Domain" field carries. See docs/edge.md.
 */
import {
  EDGE_APP_NAME,
  OPEN_ALLOW_LIST_WAIVER_ANNOTATION,
  SINGLE_NODE_WAIVER_ANNOTATION,
} from "../lib/conventions";
import { posix } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BODY_LIMIT_SCRIPT, BODY_LIMIT_SCRIPT_FILE } from "../edge/bodyLimitFilter";
import { renderValidHaproxyConfig } from "../edge/haproxyConfig";
import { CONTAINER_CONFIG_FILE, CONTAINER_PATHS, parseEdgeProxyConfig } from "../edge/types";
import {
  cloudConnectEdgeArgsSchema,
  DEFAULT_HAPROXY_IMAGE,
  type ClientTlsSecretSource,
  type CloudConnectEdgeProxyArgs,
  type CloudConnectEdgeSettings,
  type TlsSecretSource,
} from "./cloudConnectEdgeArgs";
import {
  objectMetadata,
  podDisruptionBudget,
  restrictedDeployment,
  RestrictedDeploymentParts,
  sha256,
  workloadLabels,
} from "./kubernetesWorkload";
import { parseComponentArgs, type ContainerResources } from "./workloadArgs";
import { RESOURCE_TYPES } from "../lib/facts";

export const CLOUD_CONNECT_EDGE_TYPE = RESOURCE_TYPES.cloudConnectEdge;
export { DEFAULT_HAPROXY_IMAGE };
export type { CloudConnectEdgeProxyArgs, ClientTlsSecretSource, TlsSecretSource };

/** The user the official haproxy image runs as. */
const HAPROXY_UID = 99;
/** Webex Connect calls the bare FQDN over HTTPS, so the public port is always 443. */
const PUBLIC_PORT = 443;
const CONFIG_FILE = posix.basename(CONTAINER_CONFIG_FILE);
const SECRET_FILE_MODE = 0o440;

function edgeLabels(name: string) {
  return workloadLabels(EDGE_APP_NAME, name);
}

/** The plain-data arguments and their rules are cloudConnectEdgeArgsSchema's; these are the wiring. */
export interface CloudConnectEdgeArgs extends CloudConnectEdgeSettings {
  namespace: pulumi.Input<string>;
  /**
   * The name of the edge's Kubernetes objects, unique in the namespace (also their `app.kubernetes.io/instance`
   * label); the component's resource name when left out. Lets the resource name be unique in the stack instead.
   */
  objectName?: string;
}

/** Everything the manifests need, validated; built before any resource exists. */
export interface CloudConnectEdgeSpec {
  /** The Kubernetes objects' name. */
  name: string;
  environment: string;
  namespace: pulumi.Input<string>;
  fqdn: string;
  image: string;
  replicas: number;
  resources: ContainerResources;
  haproxyConfig: string;
  listenPort: number;
  monitorPort: number;
  monitorPath: string;
  allowedClientCidrs: string[];
  frontTls: TlsSecretSource;
  cloudConnectTls: ClientTlsSecretSource;
  serviceAnnotations: Record<string, string>;
  singleNodeWaiver?: string;
  openAllowListWaiver?: string;
}

/** Checks every argument and renders haproxy.cfg; throws an error naming each bad argument, its value and the fix. */
export function resolveCloudConnectEdgeSpec(name: string, args: CloudConnectEdgeArgs): CloudConnectEdgeSpec {
  const { namespace, objectName, ...settings } = args;
  const spec = parseComponentArgs("CloudConnectEdge", name, cloudConnectEdgeArgsSchema, settings, objectName);
  const fqdn = spec.fqdn.toLowerCase();
  const proxy = parseEdgeProxyConfig({ ...spec.proxy, publicHostname: fqdn, paths: CONTAINER_PATHS });
  return {
    name: objectName ?? name,
    environment: spec.environment,
    namespace,
    fqdn,
    image: spec.image ?? DEFAULT_HAPROXY_IMAGE,
    replicas: spec.replicas,
    resources: spec.resources,
    haproxyConfig: renderValidHaproxyConfig(proxy),
    listenPort: proxy.listenPort,
    monitorPort: proxy.monitorPort,
    monitorPath: proxy.monitorPath,
    allowedClientCidrs: proxy.allowedClientCidrs,
    frontTls: spec.frontTls,
    cloudConnectTls: spec.cloudConnectTls,
    serviceAnnotations: spec.serviceAnnotations,
    singleNodeWaiver: spec.singleNodeWaiver,
    openAllowListWaiver: spec.openAllowListWaiver,
  };
}

export interface CloudConnectEdgeManifests {
  configMap: k8s.core.v1.ConfigMapArgs;
  /** Present only when the TLS material is given as PEM text rather than an existing Secret. */
  frontTlsSecret?: k8s.core.v1.SecretArgs;
  cloudConnectTlsSecret?: k8s.core.v1.SecretArgs;
  deployment: k8s.apps.v1.DeploymentArgs;
  service: k8s.core.v1.ServiceArgs;
  podDisruptionBudget: k8s.policy.v1.PodDisruptionBudgetArgs;
}

function tlsSecret(
  metadata: k8s.types.input.meta.v1.ObjectMeta,
  source: TlsSecretSource | ClientTlsSecretSource,
): k8s.core.v1.SecretArgs | undefined {
  if ("existingSecretName" in source) return undefined;
  const stringData: Record<string, pulumi.Input<string>> = {
    "tls.crt": source.certificatePem,
    "tls.key": pulumi.secret(source.privateKeyPem),
  };
  if ("caCertificatePem" in source) stringData["ca.crt"] = source.caCertificatePem;
  return { apiVersion: "v1", kind: "Secret", metadata, type: "kubernetes.io/tls", stringData };
}

function secretName(source: TlsSecretSource | ClientTlsSecretSource, createdName: string): string {
  return "existingSecretName" in source ? source.existingSecretName : createdName;
}

/** Maps a kubernetes.io/tls Secret onto HAProxy's split layout: `x.pem` holds the certificate, `x.pem.key` the key. */
function certificateItems(certificatePath: string): k8s.types.input.core.v1.KeyToPath[] {
  const file = posix.basename(certificatePath);
  return [
    { key: "tls.crt", path: file },
    { key: "tls.key", path: `${file}.key` },
  ];
}

/** Pure: the Kubernetes objects of the edge, exactly as the component passes them to the provider. */
export function buildCloudConnectEdgeManifests(spec: CloudConnectEdgeSpec): CloudConnectEdgeManifests {
  const labels = edgeLabels(spec.name);
  const metadata = objectMetadata(spec.namespace, labels);
  const configMapName = `${spec.name}-config`;
  const frontTlsName = `${spec.name}-front-tls`;
  const cloudConnectTlsName = `${spec.name}-cloud-connect-tls`;

  const container: RestrictedDeploymentParts["container"] = {
    name: "haproxy",
    image: spec.image,
    command: ["haproxy"],
    args: ["-db", "-f", CONTAINER_CONFIG_FILE],
    ports: [
      { name: "https", containerPort: spec.listenPort, protocol: "TCP" },
      { name: "monitor", containerPort: spec.monitorPort, protocol: "TCP" },
    ],
    readinessProbe: {
      httpGet: { path: spec.monitorPath, port: "monitor" },
      periodSeconds: 5,
      failureThreshold: 2,
    },
    livenessProbe: {
      httpGet: { path: spec.monitorPath, port: "monitor" },
      initialDelaySeconds: 5,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    resources: spec.resources,
    volumeMounts: [
      { name: "config", mountPath: posix.dirname(CONTAINER_CONFIG_FILE), readOnly: true },
      { name: "front-tls", mountPath: posix.dirname(CONTAINER_PATHS.frontCertificate), readOnly: true },
      {
        name: "cloud-connect-tls",
        mountPath: posix.dirname(CONTAINER_PATHS.cloudConnectClientCertificate),
        readOnly: true,
      },
      // The only writable path: HAProxy's runtime socket.
      { name: "runtime", mountPath: CONTAINER_PATHS.runtimeDirectory },
    ],
  };

  return {
    configMap: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata:
        spec.singleNodeWaiver === undefined
          ? metadata(configMapName)
          : {
              ...metadata(configMapName),
              annotations: { [SINGLE_NODE_WAIVER_ANNOTATION]: spec.singleNodeWaiver },
            },
      // haproxy.cfg loads the body-limit script from the same folder (CONTAINER_PATHS.bodyLimitScript).
      data: { [CONFIG_FILE]: spec.haproxyConfig, [BODY_LIMIT_SCRIPT_FILE]: BODY_LIMIT_SCRIPT },
    },
    frontTlsSecret: tlsSecret(metadata(frontTlsName), spec.frontTls),
    cloudConnectTlsSecret: tlsSecret(metadata(cloudConnectTlsName), spec.cloudConnectTls),
    deployment: restrictedDeployment({
      metadata: metadata(spec.name),
      environment: spec.environment,
      labels,
      replicas: spec.replicas,
      // A changed haproxy.cfg changes the pod template, so the pods roll and load it.
      podAnnotations: { "checksum/haproxy-config": sha256(spec.haproxyConfig + BODY_LIMIT_SCRIPT) },
      runAsUser: HAPROXY_UID,
      container,
      volumes: [
        {
          name: "config",
          configMap: {
            name: configMapName,
            items: [CONFIG_FILE, BODY_LIMIT_SCRIPT_FILE].map((file) => ({ key: file, path: file })),
          },
        },
        {
          name: "front-tls",
          secret: {
            secretName: secretName(spec.frontTls, frontTlsName),
            defaultMode: SECRET_FILE_MODE,
            items: certificateItems(CONTAINER_PATHS.frontCertificate),
          },
        },
        {
          name: "cloud-connect-tls",
          secret: {
            secretName: secretName(spec.cloudConnectTls, cloudConnectTlsName),
            defaultMode: SECRET_FILE_MODE,
            items: [
              ...certificateItems(CONTAINER_PATHS.cloudConnectClientCertificate),
              { key: "ca.crt", path: posix.basename(CONTAINER_PATHS.cloudConnectCa) },
            ],
          },
        },
        { name: "runtime", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
      ],
    }),
    service: {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        ...metadata(spec.name),
        annotations: {
          ...spec.serviceAnnotations,
          "external-dns.alpha.kubernetes.io/hostname": spec.fqdn,
          // The reason this Service admits every address; the policy pack shows it.
          ...(spec.openAllowListWaiver === undefined
            ? {}
            : { [OPEN_ALLOW_LIST_WAIVER_ANNOTATION]: spec.openAllowListWaiver }),
        },
      },
      spec: {
        type: "LoadBalancer",
        // Keeps the client's source address, which the allow-list, the rate limit and X-Forwarded-For rely on.
        externalTrafficPolicy: "Local",
        loadBalancerSourceRanges: spec.allowedClientCidrs,
        selector: labels.selector,
        ports: [{ name: "https", port: PUBLIC_PORT, targetPort: "https", protocol: "TCP" }],
      },
    },
    podDisruptionBudget: podDisruptionBudget(metadata(spec.name), labels.selector),
  };
}

/** Who may reach other workloads from the edge's pods (see IntegrationService's ingressFrom). */
export interface EdgeIngressPeer {
  namespace: pulumi.Input<string>;
  podLabels: Record<string, string>;
}

export class CloudConnectEdge extends pulumi.ComponentResource {
  /** The bare hostname for the CCE Create Task / End Task Domain field: no scheme, no slashes, no port. */
  public readonly fqdn: pulumi.Output<string>;
  /** The edge's pods, for NetworkPolicies of the workloads it calls. */
  public readonly ingressPeer: EdgeIngressPeer;
  /** The LoadBalancer Service in front of the edge's pods: its status holds the address the FQDN must point to. */
  public readonly service: k8s.core.v1.Service;

  constructor(name: string, args: CloudConnectEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so a bad argument leaves no half-built component behind.
    const spec = resolveCloudConnectEdgeSpec(name, args);
    super(CLOUD_CONNECT_EDGE_TYPE, name, {}, opts);

    const manifests = buildCloudConnectEdgeManifests(spec);
    const childOptions = { parent: this };
    // The Kubernetes provider replaces a ConfigMap whose data changed; its name is fixed, so the old one must go
    // first (created first, the new one collides with it). The pods roll on the Deployment's checksum annotation.
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, manifests.configMap, {
      ...childOptions,
      deleteBeforeReplace: true,
    });
    const secrets = [
      manifests.frontTlsSecret &&
        new k8s.core.v1.Secret(`${name}-front-tls`, manifests.frontTlsSecret, childOptions),
      manifests.cloudConnectTlsSecret &&
        new k8s.core.v1.Secret(`${name}-cloud-connect-tls`, manifests.cloudConnectTlsSecret, childOptions),
    ].filter((secret): secret is k8s.core.v1.Secret => secret !== undefined);
    new k8s.apps.v1.Deployment(name, manifests.deployment, {
      ...childOptions,
      dependsOn: [configMap, ...secrets],
    });
    this.service = new k8s.core.v1.Service(name, manifests.service, childOptions);
    new k8s.policy.v1.PodDisruptionBudget(name, manifests.podDisruptionBudget, childOptions);

    this.fqdn = pulumi.output(spec.fqdn);
    this.ingressPeer = {
      namespace: args.namespace,
      podLabels: edgeLabels(spec.name).selector,
    };
    this.registerOutputs({ fqdn: this.fqdn, ingressPeer: this.ingressPeer, service: this.service });
  }
}
