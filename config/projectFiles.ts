/**
 * A Pulumi project on disk as Pulumi reads it: its name and stack config folder (Pulumi.yaml), which stacks have a
 * file (`Pulumi.<stack>.yaml`), and each stack file's config as written (secrets stay encrypted). The running program
 * (readStackConfig.ts), the operations (ops/) and the onboarding read stack files only through this module.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { StackConfigSource } from "./rawStackConfig";

const projectFileSchema = z.object({
  name: z.string().min(1),
  stackConfigDir: z.string().min(1).optional(),
});

export interface PulumiProject {
  dir: string;
  name: string;
  /** Absolute folder of the `Pulumi.<stack>.yaml` files. */
  stackConfigDir: string;
}

export function readProject(projectDir: string): PulumiProject {
  const file = path.join(projectDir, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new Error(`${projectDir} is not a Pulumi project: ${file} does not exist`);
  const parsed = projectFileSchema.safeParse(parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return {
    dir: projectDir,
    name: parsed.data.name,
    stackConfigDir: path.resolve(projectDir, parsed.data.stackConfigDir ?? "."),
  };
}

/** Stacks that have a stack file, sorted. */
export function discoverStacks(project: Pick<PulumiProject, "stackConfigDir">): string[] {
  if (!fs.existsSync(project.stackConfigDir)) return [];
  return fs
    .readdirSync(project.stackConfigDir)
    .map(stackNameOfFile)
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** The stack's file (`.yaml`, or `.yml`), when it has one. */
export function stackFilePath(
  project: Pick<PulumiProject, "stackConfigDir">,
  stack: string,
): string | undefined {
  return ["yaml", "yml"]
    .map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`))
    .find((candidate) => fs.existsSync(candidate));
}

/** The stack file's `config:` mapping as written (secrets stay encrypted); empty when the stack has no file. */
export function stackFileConfigOf(
  project: Pick<PulumiProject, "stackConfigDir">,
  stack: string,
): Record<string, unknown> {
  const file = stackFilePath(project, stack);
  return file === undefined ? {} : stackFileConfig(fs.readFileSync(file, "utf8"), file);
}

/** What a secret read from a stack file stands for: the file holds only its ciphertext. */
const UNREADABLE_SECRET = "[secret]";

/** `Pulumi.staging-retail.yaml` → `staging-retail`. */
export function stackNameOfFile(filePath: string): string | undefined {
  return /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(filePath))?.[1];
}

/** An encrypted value as a stack file holds it: `{secure: <ciphertext>}`. */
export function isSecure(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).join() === "secure";
}

/** Whether the value at `path` of a value as written is encrypted, or lies inside an encrypted value. */
export function isSecureAt(value: unknown, path: readonly string[] = []): boolean {
  if (isSecure(value)) return true;
  const [head, ...rest] = path;
  if (head === undefined || value === null || typeof value !== "object") return false;
  return isSecureAt((value as Record<string, unknown>)[head], rest);
}

/** Encrypted values (`{secure: …}`), at the top or nested in structured config, stand in as UNREADABLE_SECRET. */
function withSecretsRedacted(value: unknown): unknown {
  if (isSecure(value)) return UNREADABLE_SECRET;
  if (Array.isArray(value)) return value.map(withSecretsRedacted);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSecretsRedacted(item)]));
  }
  return value;
}

/** The `config:` mapping of a stack file's text, as written (secrets still encrypted). */
export function stackFileConfig(yamlText: string, fileName = "the stack file"): Record<string, unknown> {
  const document: unknown = parse(yamlText);
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`${fileName}: "config" must be a mapping of config keys to values`);
  }
  return config as Record<string, unknown>;
}

/** A stack file's config read the way Pulumi reads it, except that secrets are not decrypted. */
export function stackFileSource(stackName: string, yamlText: string): StackConfigSource {
  const values = stackFileConfig(yamlText, `Pulumi.${stackName}.yaml`);
  return {
    stackName,
    get(key) {
      const value = withSecretsRedacted(values[key]);
      if (value === undefined || value === null) return undefined;
      return typeof value === "string" ? value : JSON.stringify(value);
    },
    isSecret: (key, path) => isSecureAt(values[key], path),
  };
}
