/**
 * The organisation's integration service (its own image) on Kubernetes: settings in a ConfigMap, the Webex Connect
 * token in a Secret mounted as a file, autoscaled, disruption-budgeted, and fenced by NetworkPolicies.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
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

export const INTEGRATION_SERVICE_TYPE = "amb-cce:kubernetes:IntegrationService";

/** The token is a file, not an environment variable: files stay out of process listings and crash dumps. */
const TOKEN_DIRECTORY = "/var/run/secrets/webex-connect";
const TOKEN_KEY = "token";
/** The service reads the token from the file this variable names. */
export const TOKEN_FILE_VARIABLE = "WEBEX_CONNECT_TOKEN_FILE";
const ENVIRONMENT_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~/-]*$/;

const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};

/** Pods allowed to call the service: every pod of `namespace`, or only those with `podLabels`. */
export interface IngressPeer {
  namespace: pulumi.Input<string>;
  podLabels?: pulumi.Input<Record<string, string>>;
}

export interface IntegrationServiceArgs {
  namespace: pulumi.Input<string>;
  /** "dev" may run images by tag; any other environment needs digests. */
  environment: string;
  image: string;
  /** Container port of the service's HTTP listener; the Service exposes the same port. Default 8080. */
  port?: number;
  readinessPath?: string;
  livenessPath?: string;
  /** Non-secret settings; each key becomes an environment variable. */
  settings?: Record<string, pulumi.Input<string>>;
  /** The Webex Connect API token. Stays a Pulumi secret end to end. */
  webexConnectToken: pulumi.Input<string>;
  /** Callers admitted on `port`, e.g. CloudConnectEdge.ingressPeer. At least one. */
  ingressFrom: IngressPeer[];
  autoscaling?: { minReplicas?: number; maxReplicas?: number; targetCpuUtilizationPercent?: number };
  resources?: ContainerResources;
  /** The image's non-root user id. Default 10001. */
  runAsUser?: number;
}

/** Everything the manifests need, validated; built before any resource exists. */
export interface IntegrationServiceSpec {
  name: string;
  environment: string;
  namespace: pulumi.Input<string>;
  image: string;
  port: number;
  readinessPath: string;
  livenessPath: string;
  settings: Record<string, pulumi.Input<string>>;
  webexConnectToken: pulumi.Input<string>;
  ingressFrom: IngressPeer[];
  minReplicas: number;
  maxReplicas: number;
  targetCpuUtilizationPercent: number;
  resources: ContainerResources;
  runAsUser: number;
}

/** Settings keys become environment variable names; the token file's variable is the component's own. */
function settingKeyProblem(key: string): string | undefined {
  if (key === TOKEN_FILE_VARIABLE) {
    return "is reserved: the component sets it to the token file's path. Fix: remove it from args.settings.";
  }
  if (ENVIRONMENT_VARIABLE.test(key)) return undefined;
  const suggestion = key
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_")
    .replace(/^(\d)/, "_$1");
  return (
    "is not an environment variable name (letters, digits and '_', not starting with a digit). " +
    `Fix: rename it, e.g. to ${JSON.stringify(suggestion)}.`
  );
}

/** Checks every argument; throws an error naming the argument, the value and the fix. Never shows the token. */
export function resolveIntegrationServiceSpec(
  name: string,
  args: IntegrationServiceArgs,
): IntegrationServiceSpec {
  const errors = new ArgumentErrors("IntegrationService", name);
  errors.checkObjectName();
  errors.checkImage(args.image, args.environment);
  const port = args.port ?? 8080;
  errors.checkPort(port, "args.port");
  const readinessPath = args.readinessPath ?? "/readyz";
  const livenessPath = args.livenessPath ?? "/healthz";
  for (const [arg, path] of [
    ["args.readinessPath", readinessPath],
    ["args.livenessPath", livenessPath],
  ] as const) {
    if (!HTTP_PATH.test(path))
      throw errors.error(arg, `${JSON.stringify(path)} is not an HTTP path. Fix: use e.g. "/healthz".`);
  }
  const settings = args.settings ?? {};
  for (const key of Object.keys(settings)) {
    const problem = settingKeyProblem(key);
    if (problem !== undefined) throw errors.error(`args.settings.${key}`, problem);
  }
  if (args.ingressFrom.length === 0) {
    throw errors.error(
      "args.ingressFrom",
      "is empty, so the NetworkPolicies would admit no caller. Fix: pass the callers, e.g. [edge.ingressPeer].",
    );
  }
  const minReplicas = args.autoscaling?.minReplicas ?? 2;
  const maxReplicas = args.autoscaling?.maxReplicas ?? 6;
  const targetCpuUtilizationPercent = args.autoscaling?.targetCpuUtilizationPercent ?? 70;
  if (!Number.isInteger(minReplicas) || minReplicas < 2) {
    throw errors.error(
      "args.autoscaling.minReplicas",
      `is ${minReplicas}; at least 2 keep the service up while a pod restarts (the disruption budget allows one down). Fix: use 2 or more.`,
    );
  }
  if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
    throw errors.error(
      "args.autoscaling.maxReplicas",
      `is ${maxReplicas}, below minReplicas ${minReplicas}. Fix: use ${minReplicas} or more.`,
    );
  }
  if (
    !Number.isInteger(targetCpuUtilizationPercent) ||
    targetCpuUtilizationPercent < 1 ||
    targetCpuUtilizationPercent > 100
  ) {
    throw errors.error(
      "args.autoscaling.targetCpuUtilizationPercent",
      `is ${targetCpuUtilizationPercent}; it is a percentage of the CPU request. Fix: use a whole number from 1 to 100, e.g. 70.`,
    );
  }
  const runAsUser = args.runAsUser ?? 10001;
  if (!Number.isInteger(runAsUser) || runAsUser < 1) {
    throw errors.error(
      "args.runAsUser",
      `is ${runAsUser}; the container must run as a non-root user. Fix: use the image's user id, e.g. 10001.`,
    );
  }
  return {
    name,
    environment: args.environment,
    namespace: args.namespace,
    image: args.image,
    port,
    readinessPath,
    livenessPath,
    settings,
    webexConnectToken: args.webexConnectToken,
    ingressFrom: args.ingressFrom,
    minReplicas,
    maxReplicas,
    targetCpuUtilizationPercent,
    resources: args.resources ?? DEFAULT_RESOURCES,
    runAsUser,
  };
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

/** Pure: the Kubernetes objects of the integration service, exactly as the component passes them to the provider. */
export function buildIntegrationServiceManifests(spec: IntegrationServiceSpec): IntegrationServiceManifests {
  const labels = workloadLabels("integration-service", spec.name);
  const metadata = objectMetadata(spec.namespace, labels);
  const settingsName = `${spec.name}-settings`;
  const secretName = `${spec.name}-webex-connect`;
  const podSelector = { matchLabels: labels.selector };
  const httpProbe = (path: string) => ({ httpGet: { path, port: "http" } });

  const container: RestrictedDeploymentParts["container"] = {
    name: "integration-service",
    image: spec.image,
    ports: [{ name: "http", containerPort: spec.port, protocol: "TCP" }],
    envFrom: [{ configMapRef: { name: settingsName } }],
    env: [{ name: TOKEN_FILE_VARIABLE, value: `${TOKEN_DIRECTORY}/${TOKEN_KEY}` }],
    readinessProbe: { ...httpProbe(spec.readinessPath), periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: {
      ...httpProbe(spec.livenessPath),
      initialDelaySeconds: 10,
      periodSeconds: 10,
      failureThreshold: 3,
    },
    resources: spec.resources,
    volumeMounts: [
      { name: "webex-connect", mountPath: TOKEN_DIRECTORY, readOnly: true },
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
      stringData: { [TOKEN_KEY]: pulumi.secret(spec.webexConnectToken) },
    },
    deployment: restrictedDeployment({
      metadata: metadata(spec.name),
      environment: spec.environment,
      labels,
      // Settings are read at start, so changed settings must roll the pods. The token file updates in place.
      podAnnotations: {
        "checksum/settings": pulumi
          .output(spec.settings)
          .apply((settings) => sha256(JSON.stringify(settings))),
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
        minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas,
        metrics: [
          {
            type: "Resource",
            resource: {
              name: "cpu",
              target: { type: "Utilization", averageUtilization: spec.targetCpuUtilizationPercent },
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

    const manifests = buildIntegrationServiceManifests(spec);
    const childOptions = { parent: this };
    const configMap = new k8s.core.v1.ConfigMap(`${name}-settings`, manifests.configMap, childOptions);
    const secret = new k8s.core.v1.Secret(`${name}-webex-connect`, manifests.secret, childOptions);
    new k8s.apps.v1.Deployment(name, manifests.deployment, {
      ...childOptions,
      dependsOn: [configMap, secret],
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

    this.serviceHost = pulumi.interpolate`${name}.${args.namespace}.svc`;
    this.port = spec.port;
    this.registerOutputs({ serviceHost: this.serviceHost, port: this.port });
  }
}
