/**
 * `pulumi.com/skipAwait` belongs only to the local default, whose API server runs no controllers: the config refuses
 * it with any other context, and the transform adds it to Kubernetes objects only.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SKIP_AWAIT_ANNOTATION, skipAwaitTransform } from "../../components/skipAwait";
import { parseStackConfig, StackConfigError } from "../../config/stackConfig";
import { LOCAL_CONTEXT } from "../../kube/context";
import { rawOf, readStackFileConfig, STACKS_DIR } from "../config/support";

function problemsOf(kubernetes: Record<string, unknown>): string[] {
  const config = readStackFileConfig(path.join(STACKS_DIR, "Pulumi.dev-retail.yaml"));
  config["amb-cce-connect:kubernetes"] = { namespace: "amb-retail", ...kubernetes };
  try {
    parseStackConfig(rawOf("dev-retail", config));
    return [];
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    return error.problems;
  }
}

test("kubernetes.skipAwait is accepted with the local context and refused with any other", () => {
  expect(problemsOf({ context: LOCAL_CONTEXT, skipAwait: true })).toEqual([]);
  expect(problemsOf({ context: "cce-dev", skipAwait: false })).toEqual([]);
  expect(problemsOf({ context: "cce-dev", skipAwait: true })).toEqual([
    `amb-cce-connect:kubernetes.skipAwait: is true with context "cce-dev": only the local default's API server ` +
      `(context ${LOCAL_CONTEXT}) runs without controllers, so only it may skip waiting for objects to become ready. ` +
      "Fix: remove kubernetes.skipAwait",
  ]);
  expect(problemsOf({ renderYamlToDirectory: "out", skipAwait: true })).toEqual([
    expect.stringContaining("amb-cce-connect:kubernetes.skipAwait: is true with context null"),
  ]);
});

const transform = (type: string, props: Record<string, unknown>) =>
  skipAwaitTransform({ type, name: "x", custom: true, props, opts: {} }) as
    | { props: Record<string, { annotations?: unknown }> }
    | undefined;

const resolved = (value: pulumi.Input<object> | undefined) =>
  new Promise((resolve) => pulumi.output(value).apply((plain) => resolve(plain)));

test("the transform annotates Kubernetes objects, keeps their annotations and leaves other resources alone", async () => {
  const deployment = transform("kubernetes:apps/v1:Deployment", {
    metadata: { name: "edge", annotations: { "team/owner": "cc" } },
    spec: { replicas: 2 },
  });
  expect(deployment?.props.metadata).toEqual({
    name: "edge",
    annotations: { "team/owner": "cc", [SKIP_AWAIT_ANNOTATION]: "true" },
  });
  expect(deployment?.props.spec).toEqual({ replicas: 2 });

  const fromOutput = transform("kubernetes:core/v1:Service", {
    metadata: pulumi.output({ name: "edge", annotations: { a: "b" } }),
  });
  expect(await resolved(fromOutput?.props.metadata)).toEqual({
    name: "edge",
    annotations: { a: "b", [SKIP_AWAIT_ANNOTATION]: "true" },
  });
  const noMetadata = transform("kubernetes:core/v1:Namespace", {});
  expect(noMetadata?.props.metadata).toEqual({ annotations: { [SKIP_AWAIT_ANNOTATION]: "true" } });

  expect(transform("pulumi-nodejs:dynamic:Resource", { metadata: {} })).toBeUndefined();
});
