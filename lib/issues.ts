import type { z } from "zod";

/**
 * One line per zod issue: `<path>: <message> (got <value>)`. Messages carry the fix; the value is shown where it
 * helps, never for keys marked secret.
 */
export function describeIssues(
  rootPath: string,
  issues: readonly z.core.$ZodIssue[],
  isSecretPath: (path: string) => boolean = () => false,
): string[] {
  return issues.map((issue) => {
    const path = [rootPath, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    const showInput = issue.code !== "custom" && issue.input !== undefined && !isSecretPath(path);
    const got = showInput ? ` (got ${JSON.stringify(issue.input)})` : "";
    return `${path}: ${issue.message}${got}`;
  });
}
