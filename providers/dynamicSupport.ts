/** Small pieces every Webex Connect provider shares: check failures from zod, unknowns during preview. */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { UNKNOWN } from "../lib/facts";
import { NotFoundError } from "../webexconnect/errors";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Validates `news` with `schema`. Problems with properties still unknown during preview are left out (their value is
 * checked once it is known), and those properties pass through untouched.
 */
export function checkInputs<T extends z.ZodType>(
  schema: T,
  news: Record<string, unknown>,
): pulumi.dynamic.CheckResult {
  // The engine's own properties (the serialized provider) are not ours to validate; it adds them back itself.
  const own = Object.fromEntries(Object.entries(news).filter(([key]) => !key.startsWith("__")));
  const unknownKeys = Object.keys(own).filter((key) => containsUnknown(own[key]));
  const parsed = schema.safeParse(own);
  if (parsed.success) {
    return { inputs: { ...(parsed.data as Record<string, unknown>), ...pick(own, unknownKeys) } };
  }
  const failures = parsed.error.issues
    .filter((issue) => !unknownKeys.includes(String(issue.path[0])))
    .map((issue) => ({
      property: String(issue.path[0] ?? ""),
      reason: `${issue.path.join(".") || "input"}: ${issue.message}`,
    }));
  return failures.length > 0 ? { failures } : { inputs: own };
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, source[key]]));
}

/** A diff over named properties: which changed, and which of those force a replacement. */
export function diffProperties(
  olds: object,
  news: object,
  compare: Record<string, { replaces?: boolean; equal?: (a: unknown, b: unknown) => boolean }>,
): { changed: string[]; replaces: string[] } {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const [key, rule] of Object.entries(compare)) {
    const before = (olds as Record<string, unknown>)[key];
    const after = (news as Record<string, unknown>)[key];
    const same =
      !containsUnknown(after) && (rule.equal ? rule.equal(before, after) : jsonEqual(before, after));
    if (same) continue;
    changed.push(key);
    if (rule.replaces) replaces.push(key);
  }
  return { changed, replaces };
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What `read` returns goes through protobuf Struct conversion, which rejects undefined values: drop them. */
export function readResult(id: string, props: object, inputs: object): pulumi.dynamic.ReadResult {
  const defined = (value: object) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  return { id, props: defined(props), inputs: defined(inputs) };
}

/**
 * Runs a call against an object that may be gone: undefined when Webex Connect answers 404. Refresh then drops the
 * resource from state, and delete treats it as already deleted.
 */
export async function unlessGone<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
