/**
 * What a rule reads: plain copies of the resource properties the policy server hands over, with values that are not
 * known until `pulumi up` kept as the engine's unknown marker, so a rule can skip exactly those and check the rest.
 *
 * The server wraps properties in a proxy that throws on the first unknown value, which would stop a rule before it
 * checked anything else. The copy reads every value through that proxy and records unknowns instead. A rule that
 * skipped a value ends by throwing the server's own unknown-value error, which the server reports as the advisory
 * "can't run policy … during preview: …", so a skip is never silent; violations reported before it still count.
 */
import { UNKNOWN } from "../../lib/facts";
import { policySdkInternals } from "./policySdkInternals";

const { UnknownValueError } = policySdkInternals();

/** The markers of the other types, which the policy server recognises too. */
const UNKNOWN_MARKERS: ReadonlySet<string> = new Set([
  UNKNOWN,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_MARKERS.has(value);
}

function readThroughProxy(container: Record<string | number, unknown>, key: string | number): unknown {
  try {
    return plainCopy(container[key]);
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** A plain deep copy of `value`; values the proxy refuses to read become UNKNOWN. */
export function plainCopy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const container = value as Record<string | number, unknown>;
  // Index by index: Array methods would read every element through the proxy and throw on the first unknown.
  if (Array.isArray(value))
    return Array.from({ length: value.length }, (_, index) => readThroughProxy(container, index));
  return Object.fromEntries(Object.keys(value).map((key) => [key, readThroughProxy(container, key)]));
}

export type Props = Record<string, unknown>;

/** A resource as the rules see it: plain properties in which an unknown value is UNKNOWN. */
export interface ResourceView {
  type: string;
  name: string;
  urn: string;
  props: Props;
}

export function asObject(value: unknown): Props | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value at a dotted path of plain objects, or undefined where a step is missing or not an object. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split(".")) {
    if (isUnknown(current)) return current;
    current = asObject(current)?.[key];
  }
  return current;
}

export interface Violation {
  message: string;
  /** For stack rules: the resource in violation; absent when the stack as a whole is. */
  urn?: string;
}

/** What a check found: violations, and the values it skipped because they are not known yet. */
export class Outcome {
  readonly violations: Violation[] = [];
  readonly skipped: string[] = [];

  fail(message: string, urn?: string): void {
    this.violations.push(urn === undefined ? { message } : { message, urn });
  }

  /** Records `what` as not known at preview when `value` is unknown; returns whether it is known. */
  known(value: unknown, what: string): boolean {
    if (!isUnknown(value)) return true;
    if (!this.skipped.includes(what)) this.skipped.push(what);
    return false;
  }

  /** The error the policy server reports as a preview advisory; undefined when nothing was skipped. */
  skippedError(): Error | undefined {
    if (this.skipped.length === 0) return undefined;
    const error = new UnknownValueError(UNKNOWN, []);
    error.message =
      `${this.skipped.length === 1 ? "this value is" : "these values are"} not known until \`pulumi up\` ` +
      `and will be checked then (every known value was checked now): ${this.skipped.join("; ")}`;
    return error;
  }
}
