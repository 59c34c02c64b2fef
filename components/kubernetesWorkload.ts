/**
 * What the Kubernetes components (the Cloud Connect edge, the integration service) share: their labels and object
 * metadata, a Deployment under the "restricted" Pod Security Standard spread across nodes, a disruption budget, and
 * the checksum that rolls pods when what they read at start changes. Argument checks are in workloadArgs.ts.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_LABEL } from "../lib/conventions";

export interface WorkloadLabels {
  /** Stable labels used in selectors; never change them on a live workload. */
  selector: Record<string, string>;
  all: Record<string, string>;
}

/** The labels of a workload's objects: `app.kubernetes.io/name` is the application, `instance` the workload. */
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

/** The restricted container profile: read-only root filesystem, no escalation, no capabilities. */
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

/** Hex SHA-256 of a text, for the `checksum/…` pod annotations. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
