/**
 * `pulumi.com/skipAwait: "true"` on every Kubernetes object of a component tree, for an API server that runs no
 * controllers (the local default, kube/localApiServer.ts): there a Deployment never gets ready replicas and a
 * LoadBalancer Service never gets an address, so the provider would wait until its timeout. Never for a real cluster:
 * config/stackConfig.ts allows `kubernetes.skipAwait` only with the local context.
 */
import * as pulumi from "@pulumi/pulumi";

export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

type Annotations = Record<string, pulumi.Input<string>>;
type Metadata = { annotations?: pulumi.Input<Annotations> } & Record<string, unknown>;

function withSkipAwait(annotations: pulumi.Input<Annotations> | undefined): pulumi.Input<Annotations> {
  if (annotations === undefined || isPlain(annotations))
    return { ...annotations, [SKIP_AWAIT_ANNOTATION]: "true" };
  return pulumi.output(annotations).apply((resolved) => ({ ...resolved, [SKIP_AWAIT_ANNOTATION]: "true" }));
}

function isPlain<T extends object>(value: pulumi.Input<T>): value is T {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

function annotate(metadata: Metadata): Metadata {
  return { ...metadata, annotations: withSkipAwait(metadata.annotations) };
}

/** A resource transform adding the annotation to the metadata of `kubernetes:` resources; others pass through. */
export const skipAwaitTransform: pulumi.ResourceTransform = ({ type, props, opts }) => {
  if (!type.startsWith("kubernetes:")) return undefined;
  const metadata = (props.metadata ?? {}) as pulumi.Input<Metadata>;
  return {
    props: {
      ...props,
      metadata: isPlain(metadata) ? annotate(metadata) : pulumi.output(metadata).apply(annotate),
    },
    opts,
  };
};
