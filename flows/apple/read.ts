/** Reading a message that may be anything (a flow node's JSON, a stack file's YAML) without trusting its shape. */

export type Fields = { readonly [key: string]: unknown };
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export function asFields(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

export function asList(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function isText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Non-empty, padded base64: how Apple takes images inline. */
export function isBase64(value: unknown): value is string {
  return isText(value) && BASE64.test(value);
}

/** The value at `path` below `root`, or undefined where the path leaves the data. */
export function at(root: unknown, path: Path): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof segment === "number") current = asList(current)?.[segment];
    else {
      const fields = asFields(current);
      current = fields !== undefined && Object.hasOwn(fields, segment) ? fields[segment] : undefined;
    }
  }
  return current;
}

/** `interactiveData.data.listPicker.sections[0].items[1]`, the notation flows/ uses for config paths. */
export function dottedPath(path: Path): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    return text === "" ? segment : `${text}.${segment}`;
  }, "");
}

/** A value as a problem shows it: JSON, shortened so a base64 image does not fill the screen. */
export function shown(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The elements of a list, each with its path; nothing when the value is not a list. */
export function entries(root: unknown, path: Path): Array<{ value: unknown; path: Path }> {
  return (asList(at(root, path)) ?? []).map((value, index) => ({ value, path: [...path, index] }));
}

/** The non-empty strings that the listed objects hold under `key`. */
export function textsOf(listed: ReadonlyArray<{ value: unknown }>, key: string): string[] {
  return listed.map(({ value }) => asFields(value)?.[key]).filter(isText);
}

/** Values that occur more than once, each once. */
export function repeated<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}
