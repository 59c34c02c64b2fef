/**
 * Runs the real Pulumi engine (the CLI that scripts/toolchain.sh put on PATH) through the CLI wrapper
 * (ops/pulumiStack.ts), on a throw-away file backend. Mocks never execute dynamic providers; this does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { selectStack, type PulumiStack } from "../ops/pulumiStack";

export const repoRoot = path.resolve(__dirname, "..");

/** Environment every engine run gets: no update checks, no plugin downloads, a fixed passphrase for the secrets. */
export function engineEnv(backendDir: string): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "test-only-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Only TypeScript programs read it: the old layout of test/stack/aliases.engine.test.ts runs through ts-node.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
}

/** A scratch folder inside the repo (git-ignored) so that Node resolves the project's node_modules from it. */
export function scratchDir(prefix: string): string {
  const base = path.join(repoRoot, ".work");
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

export interface EphemeralStackOptions {
  projectName: string;
  /**
   * The program, a path from the repository root: a module whose default export is the async function Pulumi runs
   * (its result becomes the stack's outputs). The language host runs it, as it runs the project's own program.
   */
  program: string;
  stackName?: string;
  /** Stack config by key (the project's namespace is implied); secrets are set with `--secret`. */
  config?: Record<string, { value: string; secret?: boolean }>;
  envVars?: Record<string, string>;
}

export interface EphemeralStackContext {
  /** The workspace folder (inside .work/, removed afterwards). */
  workDir: string;
  /** The file backend's folder: state files live here. */
  backendDir: string;
}

/**
 * Creates a stack of `program` on a fresh file backend, hands it to `body`, then destroys it and removes every trace,
 * whether `body` passed or failed.
 */
export async function withEphemeralStack<T>(
  options: EphemeralStackOptions,
  body: (stack: PulumiStack, context: EphemeralStackContext) => Promise<T>,
): Promise<T> {
  const root = scratchDir(options.projectName);
  const workDir = path.join(root, "workspace");
  const backendDir = path.join(root, "state");
  fs.mkdirSync(workDir);
  fs.mkdirSync(backendDir);
  fs.writeFileSync(
    path.join(workDir, "Pulumi.yaml"),
    `name: ${options.projectName}\nruntime: nodejs\nmain: index.ts\n`,
  );
  fs.writeFileSync(
    path.join(workDir, "index.ts"),
    `export = require(${JSON.stringify(path.join(repoRoot, options.program))}).default;\n`,
  );
  const env = { ...process.env, ...engineEnv(backendDir), ...options.envVars };
  try {
    const stack = await selectStack(options.stackName ?? "test", { cwd: workDir, env });
    try {
      for (const [key, { value, secret }] of Object.entries(options.config ?? {}))
        await stack.setConfig(key, value, { secret });
      return await body(stack, { workDir, backendDir });
    } finally {
      await stack.destroy();
      await stack.remove();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Reads the stack's state file as text, to prove what is (and is not) stored in it. */
export function readStateFiles(backendDir: string): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json")) files.push(fs.readFileSync(full, "utf8"));
    }
  };
  walk(backendDir);
  return files.join("\n");
}
