/**
 * Pulumi mocks for the component tests: every registration the mock engine receives is kept, with its resolved
 * inputs and provider. Call mockEngine() in beforeAll, then import the component modules (dynamic import), so the
 * mocks are in place before the modules load.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  type: string;
  name: string;
  // The mock engine hands over the resolved inputs as untyped JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inputs: any;
  provider?: string;
}

export interface Child {
  type: string;
  name: string;
  parent?: pulumi.Resource;
}

export const registrations: Registration[] = [];

/** Registrations of a type the mock engine holds back until released: shows what waits for what. */
const holds: Array<{ type: string; released: Promise<void> }> = [];

/** Holds every registration of `type` (e.g. "pulumi:providers:kubernetes") until the returned function is called. */
export function holdRegistrations(type: string): () => void {
  let release = () => {};
  holds.push({ type, released: new Promise((resolve) => (release = resolve)) });
  return release;
}

export async function mockEngine(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        await Promise.all(holds.filter((hold) => hold.type === args.type).map((hold) => hold.released));
        registrations.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          provider: args.provider,
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "amb-cce-connect",
    "unit",
    false,
  );
}

export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `condition` holds; rejects naming `what` after about 5 s. */
export async function eventually(what: string, condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting until ${what}`);
}

/**
 * Builds a component with a transformation that records each child and its parent (transformations run
 * synchronously in the constructors), then waits, bounded, until the mock engine has registered every child.
 */
export async function construct<T extends pulumi.ComponentResource>(
  build: (opts: pulumi.ComponentResourceOptions) => T,
  provider?: pulumi.ProviderResource,
): Promise<{ component: T; children: Child[]; registered: (type: string, name: string) => Registration }> {
  const children: Child[] = [];
  const component = build({
    provider,
    transformations: [
      (args) => {
        children.push({ type: args.type, name: args.name, parent: args.opts.parent });
        return undefined;
      },
    ],
  });
  const descendants = children.filter((child) => child.parent !== undefined);
  const find = (type: string, name: string) =>
    registrations.find((registration) => registration.type === type && registration.name === name);
  for (
    let attempt = 0;
    attempt < 200 && !descendants.every((child) => find(child.type, child.name));
    attempt += 1
  ) {
    await sleep(5);
  }
  const registered = (type: string, name: string) => {
    const registration = find(type, name);
    if (registration === undefined) throw new Error(`${type} ${name} was not registered`);
    return registration;
  };
  return { component, children: descendants, registered };
}

export function constructionError(build: () => unknown): string {
  const before = registrations.length;
  try {
    build();
  } catch (error) {
    // Thrown before super(): not even the component was registered.
    expect(registrations.length).toBe(before);
    return (error as Error).message;
  }
  throw new Error("expected construction to fail");
}

/** The "restricted" Pod Security Standard, spelled out here rather than imported, so a change to it is noticed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- registered inputs are untyped JSON
export function expectRestricted(pod: any, runAsUser: number): void {
  expect(pod.securityContext).toEqual({
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: "RuntimeDefault" },
  });
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.containers).toHaveLength(1);
  expect(pod.containers[0].securityContext).toEqual({
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  });
}

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const SERVICE = "kubernetes:core/v1:Service";
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
export const SECRET = "kubernetes:core/v1:Secret";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
