/**
 * What the Kubernetes components share: argument checks that run before any resource is registered, labels,
 * the restricted security settings (Pod Security Standards "restricted"), spreading and disruption budgets.
 */
import { DEV_ENVIRONMENT, ENVIRONMENT_LABEL, isPinnedByDigest } from "../lib/conventions";
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The one environment allowed to run images by tag; every other one needs a digest, so rollouts are exact. */

/** Kubernetes object names are DNS labels; the longest suffix the components add is 18 characters. */
const OBJECT_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

export interface ContainerResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Names the component and the argument in every construction error, e.g. `IntegrationService "api": args.image …`. */
export class ArgumentErrors {
  constructor(
    private readonly componentType: string,
    private readonly name: string,
  ) {}

  error(arg: string, problem: string): Error {
    return new Error(`${this.componentType} ${JSON.stringify(this.name)}: ${arg} ${problem}`);
  }

  /** The component name becomes the Kubernetes object names. */
  checkObjectName(): void {
    if (!OBJECT_NAME.test(this.name)) {
      throw new Error(
        `${this.componentType} ${JSON.stringify(this.name)}: the resource name is used for Kubernetes object names, ` +
          "so it must be 1-40 lower-case letters, digits or inner hyphens, starting with a letter. " +
          'Fix: pass a name such as "cce-edge".',
      );
    }
  }

  /** Outside dev an image must be pinned by digest, so every replica and every rollback runs the same bytes. */
  checkImage(image: string, environment: string): void {
    const arg = "args.image";
    if (image.trim() === "")
      throw this.error(arg, 'is empty. Fix: give an image such as "registry/name@sha256:<digest>".');
    if (/\s/.test(image))
      throw this.error(arg, `${JSON.stringify(image)} contains whitespace. Fix: remove it.`);
    if (environment === DEV_ENVIRONMENT || isPinnedByDigest(image)) return;
    const withoutDigest = image.replace(/@.*$/, "");
    throw this.error(
      arg,
      `${JSON.stringify(image)} is not pinned by digest, which environment ${JSON.stringify(environment)} requires ` +
        `(only ${JSON.stringify(DEV_ENVIRONMENT)} may use tags). Fix: use ${JSON.stringify(`${withoutDigest}@sha256:<64 hex digits>`)}; ` +
        `\`docker buildx imagetools inspect ${withoutDigest}\` prints the digest.`,
    );
  }

  checkPort(port: number, arg: string): void {
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      throw this.error(
        arg,
        `is ${port}; a non-root container listens on an integer port from 1024 to 65535. Fix: use e.g. 8080.`,
      );
    }
  }
}

export interface WorkloadLabels {
  /** Stable labels used in selectors; never change them on a live workload. */
  selector: Record<string, string>;
  all: Record<string, string>;
}

export function workloadLabels(appName: string, instance: string): WorkloadLabels {
  const selector = { "app.kubernetes.io/name": appName, "app.kubernetes.io/instance": instance };
  return {
    selector,
    all: { ...selector, "app.kubernetes.io/part-of": "amb-cce", "app.kubernetes.io/managed-by": "pulumi" },
  };
}

/** Metadata of one object of a workload: its name, the workload's namespace and labels. */
export function objectMetadata(
  namespace: pulumi.Input<string>,
  labels: WorkloadLabels,
): (name: string) => k8s.types.input.meta.v1.ObjectMeta {
  return (name) => ({ name, namespace, labels: labels.all });
}

/** The restricted pod profile; a numeric user lets the kubelet verify runAsNonRoot for images with named users. */
function restrictedPodSecurityContext(runAsUser: number): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

const RESTRICTED_CONTAINER_SECURITY_CONTEXT: k8s.types.input.core.v1.SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Prefer one replica per node; "preferred" keeps small clusters schedulable. */
function spreadAcrossNodes(selector: Record<string, string>): k8s.types.input.core.v1.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: "kubernetes.io/hostname",
            labelSelector: { matchLabels: selector },
          },
        },
      ],
    },
  };
}

export interface RestrictedDeploymentParts {
  metadata: k8s.types.input.meta.v1.ObjectMeta;
  /** Labels the Deployment with the stack's environment, for per-environment policies (image digests). */
  environment: string;
  labels: WorkloadLabels;
  /** Left out when a HorizontalPodAutoscaler owns the count: a fixed value would reset it on every update. */
  replicas?: number;
  /** Checksums of what the pods read at start, so a change rolls them. */
  podAnnotations: Record<string, pulumi.Input<string>>;
  runAsUser: number;
  /** The one container; its security context is set here. */
  container: Omit<k8s.types.input.core.v1.Container, "securityContext">;
  volumes: k8s.types.input.core.v1.Volume[];
}

/**
 * A Deployment under the "restricted" Pod Security Standard: non-root, read-only root filesystem, no privilege
 * escalation, no capabilities, RuntimeDefault seccomp, no service-account token; spread across nodes and rolled
 * out one extra pod at a time, so capacity never drops.
 */
export function restrictedDeployment(parts: RestrictedDeploymentParts): k8s.apps.v1.DeploymentArgs {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      ...parts.metadata,
      labels: { ...parts.metadata.labels, [ENVIRONMENT_LABEL]: parts.environment },
    },
    spec: {
      ...(parts.replicas === undefined ? {} : { replicas: parts.replicas }),
      selector: { matchLabels: parts.labels.selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: parts.labels.all, annotations: parts.podAnnotations },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(parts.runAsUser),
          affinity: spreadAcrossNodes(parts.labels.selector),
          containers: [{ ...parts.container, securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT }],
          volumes: parts.volumes,
        },
      },
    },
  };
}

/** Voluntary evictions (node drains, upgrades) take down at most one replica at a time. */
export function podDisruptionBudget(
  metadata: k8s.types.input.meta.v1.ObjectMeta,
  selector: Record<string, string>,
): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata,
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  };
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
