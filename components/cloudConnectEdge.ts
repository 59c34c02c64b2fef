/**
 * The reverse proxy and load balancer in front of the CCE Cloud Connect nodes: HAProxy on Kubernetes, reached by
 * Webex Connect at the FQDN that the CCE Create Task / End Task "Domain" field carries. See docs/edge.md.
 */
import { EDGE_APP_NAME } from "../lib/conventions";
import { posix } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkFqdn } from "../lib/fqdn";
import { renderValidHaproxyConfig } from "../edge/haproxyConfig";
import {
  CONTAINER_CONFIG_FILE,
  CONTAINER_PATHS,
  EdgeProxyConfig,
  EdgeProxyConfigInput,
  parseEdgeProxyConfig,
} from "../edge/types";
import {
  ArgumentErrors,
  ContainerResources,
  objectMetadata,
  podDisruptionBudget,
  restrictedDeployment,
  RestrictedDeploymentParts,
  sha256,
  workloadLabels,
} from "./kubernetesWorkload";

export const CLOUD_CONNECT_EDGE_TYPE = "amb-cce:kubernetes:CloudConnectEdge";

/** A tag is fine in dev only; outside dev pass the same image with its digest. */
export const DEFAULT_HAPROXY_IMAGE = "haproxy:2.6";
/** The user the official haproxy image runs as. */
const HAPROXY_UID = 99;
/** Webex Connect calls the bare FQDN over HTTPS, so the public port is always 443. */
const PUBLIC_PORT = 443;
const CONFIG_FILE = posix.basename(CONTAINER_CONFIG_FILE);
const SECRET_FILE_MODE = 0o440;

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "1", memory: "256Mi" },
};

function edgeLabels(name: string) {
  return workloadLabels(EDGE_APP_NAME, name);
}

/** A kubernetes.io/tls Secret that already exists (e.g. from cert-manager), or PEM text to create one from. */
export type TlsSecretSource =
  | { existingSecretName: string }
  | { certificatePem: pulumi.Input<string>; privateKeyPem: pulumi.Input<string> };

/** The proxy's client certificate for mTLS, plus ca.crt: the CA that signed the Cloud Connect nodes' certificates. */
export type ClientTlsSecretSource =
  | { existingSecretName: string }
  | {
      certificatePem: pulumi.Input<string>;
      privateKeyPem: pulumi.Input<string>;
      caCertificatePem: pulumi.Input<string>;
    };

/** The proxy knobs of edge/types.ts, less what the component owns (its FQDN and the container's file paths). */
export type CloudConnectEdgeProxyArgs = Omit<EdgeProxyConfigInput, "publicHostname" | "paths">;

export interface CloudConnectEdgeArgs {
  namespace: pulumi.Input<string>;
  /** "dev" may run images by tag; any other environment needs digests. */
  environment: string;
  /** Public FQDN of the edge; the value for the CCE nodes' Domain field. Checked at construction. */
  fqdn: string;
  proxy: CloudConnectEdgeProxyArgs;
  /** The certificate Webex Connect sees for `fqdn`. */
  frontTls: TlsSecretSource;
  cloudConnectTls: ClientTlsSecretSource;
  /** Defaults to DEFAULT_HAPROXY_IMAGE (dev only). */
  image?: string;
  /** At least 2, so one pod can fail or move without an outage. Default 2. */
  replicas?: number;
  resources?: ContainerResources;
  /** Extra annotations for the LoadBalancer Service, e.g. the cloud's load balancer type. */
  serviceAnnotations?: Record<string, string>;
}

/** Everything the manifests need, validated; built before any resource exists. */
export interface CloudConnectEdgeSpec {
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
}

/** Checks every argument and renders haproxy.cfg; throws an error naming the argument, the value and the fix. */
export function resolveCloudConnectEdgeSpec(name: string, args: CloudConnectEdgeArgs): CloudConnectEdgeSpec {
  const errors = new ArgumentErrors("CloudConnectEdge", name);
  errors.checkObjectName();
  const fqdnCheck = checkFqdn(args.fqdn);
  if (!fqdnCheck.ok) throw errors.error("args.fqdn", fqdnCheck.message);
  const image = args.image ?? DEFAULT_HAPROXY_IMAGE;
  errors.checkImage(image, args.environment);
  const replicas = args.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 2) {
    throw errors.error(
      "args.replicas",
      `is ${replicas}; the edge needs at least 2 replicas so Webex Connect keeps a path while a pod restarts or moves. Fix: use 2 or more.`,
    );
  }
  let proxy: EdgeProxyConfig;
  try {
    proxy = parseEdgeProxyConfig(
      { ...args.proxy, publicHostname: fqdnCheck.fqdn, paths: CONTAINER_PATHS },
      "args.proxy",
    );
  } catch (error) {
    throw errors.error("args.proxy", `is invalid:\n${(error as Error).message}`);
  }
  for (const [arg, source] of [
    ["args.frontTls", args.frontTls],
    ["args.cloudConnectTls", args.cloudConnectTls],
  ] as const) {
    if (
      "existingSecretName" in source &&
      !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(source.existingSecretName)
    ) {
      throw errors.error(
        `${arg}.existingSecretName`,
        `${JSON.stringify(source.existingSecretName)} is not a Kubernetes Secret name. Fix: give the name of a kubernetes.io/tls Secret in the same namespace.`,
      );
    }
  }
  return {
    name,
    environment: args.environment,
    namespace: args.namespace,
    fqdn: fqdnCheck.fqdn,
    image,
    replicas,
    resources: args.resources ?? DEFAULT_RESOURCES,
    haproxyConfig: renderValidHaproxyConfig(proxy),
    listenPort: proxy.listenPort,
    monitorPort: proxy.monitorPort,
    monitorPath: proxy.monitorPath,
    allowedClientCidrs: proxy.allowedClientCidrs,
    frontTls: args.frontTls,
    cloudConnectTls: args.cloudConnectTls,
    serviceAnnotations: args.serviceAnnotations ?? {},
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
      metadata: metadata(configMapName),
      data: { [CONFIG_FILE]: spec.haproxyConfig },
    },
    frontTlsSecret: tlsSecret(metadata(frontTlsName), spec.frontTls),
    cloudConnectTlsSecret: tlsSecret(metadata(cloudConnectTlsName), spec.cloudConnectTls),
    deployment: restrictedDeployment({
      metadata: metadata(spec.name),
      environment: spec.environment,
      labels,
      replicas: spec.replicas,
      // A changed haproxy.cfg changes the pod template, so the pods roll and load it.
      podAnnotations: { "checksum/haproxy-config": sha256(spec.haproxyConfig) },
      runAsUser: HAPROXY_UID,
      container,
      volumes: [
        {
          name: "config",
          configMap: { name: configMapName, items: [{ key: CONFIG_FILE, path: CONFIG_FILE }] },
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
        annotations: { ...spec.serviceAnnotations, "external-dns.alpha.kubernetes.io/hostname": spec.fqdn },
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

  constructor(name: string, args: CloudConnectEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so a bad argument leaves no half-built component behind.
    const spec = resolveCloudConnectEdgeSpec(name, args);
    super(CLOUD_CONNECT_EDGE_TYPE, name, {}, opts);

    const manifests = buildCloudConnectEdgeManifests(spec);
    const childOptions = { parent: this };
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, manifests.configMap, childOptions);
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
    new k8s.core.v1.Service(name, manifests.service, childOptions);
    new k8s.policy.v1.PodDisruptionBudget(name, manifests.podDisruptionBudget, childOptions);

    this.fqdn = pulumi.output(spec.fqdn);
    this.ingressPeer = {
      namespace: args.namespace,
      podLabels: edgeLabels(name).selector,
    };
    this.registerOutputs({ fqdn: this.fqdn });
  }
}
