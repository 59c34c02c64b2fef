/** Small helpers over JSON values addressed by dotted paths (config keys never contain dots). */
import type { JsonValue } from "./schema";

export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function getPath(root: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path.split(".")) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Sets `path` in `root`, creating intermediate objects; `root` is mutated, so pass a copy. */
export function setPath(root: JsonObject, path: string, value: JsonValue): void {
  const keys = path.split(".");
  let current = root;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!isJsonObject(next)) current[key] = {};
    current = current[key] as JsonObject;
  }
  current[keys[keys.length - 1]] = value;
}

/**
 * Every leaf of `value` with its path. Objects are walked key by key; arrays either walked by index
 * (`routes[0].appId`) or, with `arraysAreLeaves`, reported whole. Empty objects are leaves.
 */
export function leaves(
  value: JsonValue,
  prefix = "",
  arraysAreLeaves = false,
): Array<{ path: string; value: JsonValue }> {
  if (Array.isArray(value) && !arraysAreLeaves) {
    return value.flatMap((item, index) => leaves(item, `${prefix}[${index}]`, arraysAreLeaves));
  }
  if (isJsonObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, item]) =>
      leaves(item, prefix === "" ? key : `${prefix}.${key}`, arraysAreLeaves),
    );
  }
  return [{ path: prefix, value }];
}
