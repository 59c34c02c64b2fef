/** Validates manifests against the Kubernetes API schema with the kubernetes-models package. */
import * as pulumi from "@pulumi/pulumi";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";

/** Every kind the components create. */
const MODELS = [
  ConfigMap,
  Secret,
  Service,
  Deployment,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  NetworkPolicy,
];

export interface TypedManifest {
  apiVersion: string;
  kind: string;
  [field: string]: unknown;
}

/** Constructs the kubernetes-models model for the manifest's apiVersion/kind and validates it; throws if invalid. */
export function validateManifest(manifest: TypedManifest): void {
  const Model = MODELS.find(
    (model) => model.apiVersion === manifest.apiVersion && model.kind === manifest.kind,
  );
  if (Model === undefined)
    throw new Error(`no kubernetes-models model for ${manifest.apiVersion}/${manifest.kind}`);
  new Model(manifest as never).validate();
}

/** Resolves every Input inside a manifest (secrets included) into the plain JSON the provider would send. */
export async function resolveManifest(manifest: object): Promise<TypedManifest> {
  const resolved = await new Promise<unknown>((resolve) => pulumi.output(manifest).apply(resolve));
  return JSON.parse(JSON.stringify(resolved)) as TypedManifest;
}
