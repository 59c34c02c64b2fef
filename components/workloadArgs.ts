/**
 * The argument rules of the Kubernetes components as zod schemas: the one place each rule is written. The components
 * parse their arguments with them before registering anything, and config/stackConfig.ts builds the stack's
 * sections from the same shapes, so a stack file that breaks a component's rule is refused before the first resource
 * exists. Messages name no key: the component prefixes `args.<path>`, the stack config the config key.
 * Free of Pulumi imports at run time, so the config can be validated without loading the SDK's resources.
 */
import { z } from "zod";
import { imageDigestProblem } from "../lib/conventions";
import { describeIssues } from "../lib/issues";

/** Kubernetes object names are DNS labels; the longest suffix the components add is 18 characters. */
const OBJECT_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** A Kubernetes quantity such as "100m", "1", "256Mi". */
const quantity = z
  .string()
  .regex(
    /^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/,
    'must be a Kubernetes quantity such as "100m" or "1" (cpu) or "256Mi" (memory)',
  );

export const containerResourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ cpu: quantity, memory: quantity }),
});
export type ContainerResources = z.output<typeof containerResourcesSchema>;

/** An image reference; whether it must carry a digest depends on the environment (imageProblem). */
export const imageReferenceSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'is missing: give an image such as "registry/name@sha256:<digest>"'
        : undefined,
  })
  .min(1, 'is empty: give an image such as "registry/name@sha256:<digest>"')
  .regex(
    /^\S+$/,
    "contains whitespace: give the image reference exactly, e.g. registry/name@sha256:<digest>",
  );

/** A port a non-root container can listen on. */
export const containerPortSchema = z
  .number()
  .int("must be a whole number, e.g. 8080")
  .min(1024, "is below 1024: a non-root container listens on a port from 1024 to 65535, e.g. 8080")
  .max(65535, "is above 65535: use a port from 1024 to 65535, e.g. 8080");

/**
 * The digest rule (lib/conventions.ts) for an image argument that may be left out: `fallback` is what the component
 * runs then, and the message says so.
 */
export function imageProblem(
  image: string | undefined,
  environment: string,
  fallback?: string,
): string | undefined {
  const effective = image ?? fallback;
  if (effective === undefined) return undefined;
  const problem = imageDigestProblem(effective, environment);
  if (problem === undefined || image !== undefined) return problem;
  return `is missing, so the default ${JSON.stringify(fallback)} applies: ${problem}`;
}

/**
 * A Kubernetes component's objects are named `objectName` (their own argument), or the component's resource name
 * when it gives none.
 */
function objectNameProblem(
  componentType: string,
  name: string,
  objectName: string | undefined,
): string | undefined {
  if (OBJECT_NAME.test(objectName ?? name)) return undefined;
  const rule =
    "so it must be 1-40 lower-case letters, digits or inner hyphens, starting with a letter. " +
    'Fix: pass a name such as "cce-edge".';
  return objectName === undefined
    ? `${componentType} ${JSON.stringify(name)}: the resource name is used for Kubernetes object names, ${rule}`
    : `${componentType} ${JSON.stringify(name)}: args.objectName: ${JSON.stringify(objectName)} is a Kubernetes ` +
        `object name, ${rule}`;
}

/**
 * Parses a component's arguments with its schema before anything is registered; throws one error listing every
 * problem as `<Type> "<name>": args.<path>: <problem> (got <value>)`. `objectName` is the name of the component's
 * Kubernetes objects when it is not the resource name.
 */
export function parseComponentArgs<Schema extends z.ZodType>(
  componentType: string,
  name: string,
  schema: Schema,
  args: unknown,
  objectName?: string,
): z.output<Schema> {
  const nameProblem = objectNameProblem(componentType, name, objectName);
  if (nameProblem !== undefined) throw new Error(nameProblem);
  const result = schema.safeParse(args, { reportInput: true });
  if (result.success) return result.data;
  const prefix = `${componentType} ${JSON.stringify(name)}: `;
  throw new Error(
    describeIssues("args", result.error.issues)
      .map((line) => prefix + line)
      .join("\n"),
  );
}
