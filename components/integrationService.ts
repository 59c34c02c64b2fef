/**
 * The organisation's integration service (its own image) on Kubernetes: settings in a ConfigMap, settings that hold
 * credentials in a Secret (both as environment variables), the Webex Connect credential in a Secret mounted as files (the token, or the renewing credential's three parts, which the service
 * exchanges for access tokens itself), autoscaled, disruption-budgeted, and fenced by NetworkPolicies.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  CREDENTIAL_FILE_VARIABLES,
  integrationServiceArgsSchema,
  TOKEN_FILE_VARIABLE,
  type CredentialPart,
  type IntegrationServiceSettings,
} from "./integrationServiceArgs";
import {
  objectMetadata,
  podDisruptionBudget,
  restrictedDeployment,
  RestrictedDeploymentParts,
  sha256,
  workloadLabels,
} from "./kubernetesWorkload";
import { parseComponentArgs } from "./workloadArgs";
import { RESOURCE_TYPES } from "../lib/facts";

const INTEGRATION_SERVICE_TYPE_NAME = "IntegrationService";

export const INTEGRATION_SERVICE_TYPE = RESOURCE_TYPES.integrationService;
export { CREDENTIAL_FILE_VARIABLES, TOKEN_FILE_VARIABLE };

/** The credential is files, not environment variables: files stay out of process listings and crash dumps. */
const CREDENTIAL_DIRECTORY = "/var/run/secrets/webex-connect";

/**
 * The Webex Connect credential the service uses, each part a Pulumi secret: a static token (a personal access token
 * lasts 12 hours), or the renewing credential's parts, from which the service gets its own access tokens with
 * Webex's OAuth refresh-token grant.
 */
export type WebexConnectCredentialInput =
  | { token: pulumi.Input<string> }
  | {
      clientId: pulumi.Input<string>;
      clientSecret: pulumi.Input<string>;
      refreshToken: pulumi.Input<string>;
    };

/** The credential's parts as Secret keys (file names) with their values: only those of its kind. */
function credentialParts(
  credential: WebexConnectCredentialInput,
): Array<[CredentialPart, pulumi.Input<string>]> {
  if ("token" in credential) return [["token", credential.token]];
  return [
    ["clientId", credential.clientId],
    ["clientSecret", credential.clientSecret],
    ["refreshToken", credential.refreshToken],
  ];
}

/** Pods allowed to call the service: every pod of `namespace`, or only those with `podLabels`. */
export interface IngressPeer {
  namespace: pulumi.Input<string>;
  podLabels?: pulumi.Input<Record<string, string>>;
}

/** The plain-data arguments and their rules are integrationServiceArgsSchema's; these are the wiring. */
export interface IntegrationServiceArgs extends IntegrationServiceSettings {
  namespace: pulumi.Input<string>;
  /** Stays a Pulumi secret end to end; never part of a schema or a message. */
  webexConnectCredential: WebexConnectCredentialInput;
  /** Callers admitted on `port`, e.g. CloudConnectEdge.ingressPeer. At least one. */
  ingressFrom: IngressPeer[];
  /** The name of the Kubernetes objects, unique in the namespace; the component's resource name when left out. */
  objectName?: string;
}

/** Everything the manifests need, validated; built before any resource exists. */
export interface IntegrationServiceSpec extends z.output<typeof integrationServiceArgsSchema> {
  /** The Kubernetes objects' name. */
  name: string;
  namespace: pulumi.Input<string>;
  webexConnectCredential: WebexConnectCredentialInput;
  ingressFrom: IngressPeer[];
}

/** Checks every argument; throws an error naming each bad argument, its value and the fix. Never shows the credential. */
export function resolveIntegrationServiceSpec(
  name: string,
  args: IntegrationServiceArgs,
): IntegrationServiceSpec {
  const { namespace, webexConnectCredential, ingressFrom, objectName, ...settings } = args;
  const spec = parseComponentArgs(
    INTEGRATION_SERVICE_TYPE_NAME,
    name,
    integrationServiceArgsSchema,
    settings,
    objectName,
  );
  if (ingressFrom.length === 0) {
    throw new Error(
      `${INTEGRATION_SERVICE_TYPE_NAME} ${JSON.stringify(name)}: args.ingressFrom: is empty, so the NetworkPolicies ` +
        "would admit no caller. Fix: pass the callers, e.g. [edge.ingressPeer].",
    );
  }
  return { ...spec, name: objectName ?? name, namespace, webexConnectCredential, ingressFrom };
}

export interface IntegrationServiceManifests {
  configMap: k8s.core.v1.ConfigMapArgs;
  secret: k8s.core.v1.SecretArgs;
  deployment: k8s.apps.v1.DeploymentArgs;
  service: k8s.core.v1.ServiceArgs;
  horizontalPodAutoscaler: k8s.autoscaling.v2.HorizontalPodAutoscalerArgs;
  podDisruptionBudget: k8s.policy.v1.PodDisruptionBudgetArgs;
  defaultDenyNetworkPolicy: k8s.networking.v1.NetworkPolicyArgs;
  allowNetworkPolicy: k8s.networking.v1.NetworkPolicyArgs;
}

function peer(from: IngressPeer): k8s.types.input.networking.v1.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": from.namespace } },
    ...(from.podLabels === undefined ? {} : { podSelector: { matchLabels: from.podLabels } }),
  };
}

/**
 * The Secret of the settings that hold credentials, when there are any. It has no fixed name: the provider replaces
 * a Secret whose data changes, so a changed value gets a new Secret under a new generated name, and the Deployment
 * that refers to it rolls its pods, which read environment variables only at start.
 */
export function secretSettingsManifest(spec: IntegrationServiceSpec): k8s.core.v1.SecretArgs | undefined {
  const entries = Object.entries(spec.secretSettings);
  if (entries.length === 0) return undefined;
  const labels = workloadLabels("integration-service", spec.name);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { namespace: spec.namespace, labels: labels.all },
    type: "Opaque",
    stringData: Object.fromEntries(entries.map(([key, value]) => [key, pulumi.secret(value)])),
  };
}

/**
 * Pure: the Kubernetes objects of the integration service, exactly as the component passes them to the provider.
 * `secretSettingsName` is the generated name of secretSettingsManifest's Secret, which the component creates first.
 */
export function buildIntegrationServiceManifests(
  spec: IntegrationServiceSpec,
  secretSettingsName?: pulumi.Input<string>,
): IntegrationServiceManifests {
  if (Object.keys(spec.secretSettings).length > 0 && secretSettingsName === undefined) {
    throw new Error(
      "buildIntegrationServiceManifests: the spec has secret settings, so pass their Secret's name",
    );
  }
  const labels = workloadLabels("integration-service", spec.name);
  const metadata = objectMetadata(spec.namespace, labels);
  const settingsName = `${spec.name}-settings`;
  const secretName = `${spec.name}-webex-connect`;
  const podSelector = { matchLabels: labels.selector };
  const httpProbe = (path: string) => ({ httpGet: { path, port: "http" } });
  const credential = credentialParts(spec.webexConnectCredential);

  const container: RestrictedDeploymentParts["container"] = {
    name: "integration-service",
    image: spec.image,
    ports: [{ name: "http", containerPort: spec.port, protocol: "TCP" }],
    envFrom: [
      { configMapRef: { name: settingsName } },
      ...(secretSettingsName === undefined ? [] : [{ secretRef: { name: secretSettingsName } }]),
    ],
    env: credential.map(([part]) => ({
      name: CREDENTIAL_FILE_VARIABLES[part],
      value: `${CREDENTIAL_DIRECTORY}/${part}`,
    })),
    readinessProbe: { ...httpProbe(spec.readinessPath), periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: {
      ...httpProbe(spec.livenessPath),
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    resources: spec.resources,
    volumeMounts: [
      { name: "webex-connect", mountPath: CREDENTIAL_DIRECTORY, readOnly: true },
      // The root filesystem is read-only; most runtimes still want a scratch directory.
      { name: "tmp", mountPath: "/tmp" },
    ],
  };

  return {
    configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(settingsName), data: spec.settings },
    secret: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: metadata(secretName),
      type: "Opaque",
      stringData: Object.fromEntries(credential.map(([part, value]) => [part, pulumi.secret(value)])),
    },
    deployment: restrictedDeployment({
      metadata: metadata(spec.name),
      environment: spec.environment,
      labels,
      // Settings are read at start, so changed settings must roll the pods. The credential files update in place.
      podAnnotations: {
        "checksum/settings": sha256(JSON.stringify(spec.settings)),
      },
      runAsUser: spec.runAsUser,
      container,
      volumes: [
        { name: "webex-connect", secret: { secretName, defaultMode: 0o440 } },
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
      ],
    }),
    service: {
      apiVersion: "v1",
      kind: "Service",
      metadata: metadata(spec.name),
      spec: {
        type: "ClusterIP",
        selector: labels.selector,
        ports: [{ name: "http", port: spec.port, targetPort: "http", protocol: "TCP" }],
      },
    },
    horizontalPodAutoscaler: {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: metadata(spec.name),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: spec.name },
        minReplicas: spec.autoscaling.minReplicas,
        maxReplicas: spec.autoscaling.maxReplicas,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: {
                type: "Utilization",
                averageUtilization: spec.autoscaling.targetCpuUtilizationPercent,
              },
            },
          },
        ],
      },
    },
    podDisruptionBudget: podDisruptionBudget(metadata(spec.name), labels.selector),
    // Scoped to this service's pods: a namespace-wide deny would also cut off neighbours such as the edge.
    defaultDenyNetworkPolicy: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(`${spec.name}-default-deny`),
      spec: { podSelector, policyTypes: ["Ingress", "Egress"] },
    },
    allowNetworkPolicy: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(`${spec.name}-allow`),
      spec: {
        podSelector,
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: spec.ingressFrom.map(peer), ports: [{ protocol: "TCP", port: spec.port }] }],
        egress: [
          // DNS, wherever the cluster runs its resolver (kube-dns, node-local caches).
          {
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
          // HTTPS to Webex Connect, whose addresses are not published as fixed ranges.
          { ports: [{ protocol: "TCP", port: 443 }] },
        ],
      },
    },
  };
}

export class IntegrationService extends pulumi.ComponentResource {
  /** In-cluster DNS name of the Service, e.g. "integration.amb-cce.svc" (independent of the cluster domain). */
  public readonly serviceHost: pulumi.Output<string>;
  public readonly port: number;

  constructor(name: string, args: IntegrationServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, so a bad argument leaves no half-built component behind.
    const spec = resolveIntegrationServiceSpec(name, args);
    super(INTEGRATION_SERVICE_TYPE, name, {}, opts);

    const childOptions = { parent: this };
    const secretSettingsArgs = secretSettingsManifest(spec);
    const secretSettings =
      secretSettingsArgs &&
      new k8s.core.v1.Secret(`${name}-secret-settings`, secretSettingsArgs, childOptions);
    const manifests = buildIntegrationServiceManifests(spec, secretSettings?.metadata.name);
    // The Kubernetes provider replaces a ConfigMap whose data changed; its name is fixed, so the old one must go
    // first (created first, the new one collides with it). The pods roll on the Deployment's checksum annotation.
    const configMap = new k8s.core.v1.ConfigMap(`${name}-settings`, manifests.configMap, {
      ...childOptions,
      deleteBeforeReplace: true,
    });
    const secret = new k8s.core.v1.Secret(`${name}-webex-connect`, manifests.secret, childOptions);
    new k8s.apps.v1.Deployment(name, manifests.deployment, {
      ...childOptions,
      dependsOn: [configMap, secret, ...(secretSettings === undefined ? [] : [secretSettings])],
    });
    new k8s.core.v1.Service(name, manifests.service, childOptions);
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(name, manifests.horizontalPodAutoscaler, childOptions);
    new k8s.policy.v1.PodDisruptionBudget(name, manifests.podDisruptionBudget, childOptions);
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      manifests.defaultDenyNetworkPolicy,
      childOptions,
    );
    new k8s.networking.v1.NetworkPolicy(`${name}-allow`, manifests.allowNetworkPolicy, childOptions);

    this.serviceHost = pulumi.interpolate`${spec.name}.${args.namespace}.svc`;
    this.port = spec.port;
    this.registerOutputs({ serviceHost: this.serviceHost, port: this.port });
  }
}
