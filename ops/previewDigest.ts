/**
 * The JSON that `pulumi preview --json` prints (the CLI's PreviewDigest), reduced to what the reports read. Secrets
 * arrive blinded as "[secret]": the CLI never shows them without --show-secrets, which nothing here passes.
 */
import { z } from "zod";

const resourceStateSchema = z.object({
  urn: z.string(),
  type: z.string(),
  /** False for component resources, which only group others and touch no live system. */
  custom: z.boolean().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});

const stepSchema = z.object({
  op: z.string(),
  urn: z.string(),
  oldState: resourceStateSchema.optional(),
  newState: resourceStateSchema.optional(),
  diffReasons: z.array(z.string()).optional(),
  replaceReasons: z.array(z.string()).optional(),
  detailedDiff: z.record(z.string(), z.object({ kind: z.string() })).nullish(),
});

const diagnosticSchema = z.object({
  urn: z.string().optional(),
  message: z.string().default(""),
  severity: z.string(),
});

const previewDigestSchema = z.object({
  steps: z.array(stepSchema).default([]),
  diagnostics: z.array(diagnosticSchema).default([]),
  changeSummary: z.record(z.string(), z.number()).optional(),
});

export type PreviewStep = z.infer<typeof stepSchema>;
export type PreviewDiagnostic = z.infer<typeof diagnosticSchema>;
export type PreviewDigest = z.infer<typeof previewDigestSchema>;

/** Parses the CLI's stdout; undefined when it is not a preview digest (the CLI failed before printing one). */
export function parsePreviewDigest(stdout: string): PreviewDigest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const parsed = previewDigestSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The resource's name and type from its URN: `urn:pulumi:<stack>::<project>::<parent$type>::<name>`. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  return { type: qualifiedType.split("$").pop() ?? qualifiedType, name: parts.slice(3).join("::") };
}

/** Error diagnostics, one line each, named by resource: what a failed run's summary shows. */
export function errorMessages(digest: PreviewDigest | undefined, stderr: string): string[] {
  const fromDigest = (digest?.diagnostics ?? [])
    .filter((diagnostic) => diagnostic.severity === "error")
    .map((diagnostic) => {
      const message = diagnostic.message.trim().replace(/^error:\s*/, "");
      return diagnostic.urn ? `${parseUrn(diagnostic.urn).name}: ${message}` : message;
    });
  const fromStderr = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("error:"))
    .map((line) => line.replace(/^error:\s*/, ""));
  return [...new Set([...fromDigest, ...fromStderr])].filter((line) => line !== "");
}
