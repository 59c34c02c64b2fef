/** Reading the example stack files the way the program reads its Pulumi config. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { stringify } from "yaml";
import { isSecure, stackFileConfig, stackFileSource, stackNameOfFile } from "../../config/projectFiles";
import { rawStackConfig, type SettingsEnvironment } from "../../config/rawStackConfig";
import { PROJECT_NAME, SETTINGS_ENV } from "../../lib/facts";

const REPO_ROOT = path.join(__dirname, "..", "..");
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).name;
export const STACKS_DIR = path.join(REPO_ROOT, "stacks");

/** The `config:` mapping of a stack file, as written. */
export type StackFileConfig = Record<string, unknown>;

/** A token that is set (in CI, WEBEX_CONNECT_TOKEN); its value must never show in a message. */
export const TOKEN_VALUE = "wxc-token-7f3a9c1e-DO-NOT-PRINT";
export const TOKEN_FROM_ENV: SettingsEnvironment = { [SETTINGS_ENV.token]: TOKEN_VALUE };

export function stackFilePaths(dir: string = STACKS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^Pulumi\..+\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readStackFileConfig(filePath: string): StackFileConfig {
  return stackFileConfig(fs.readFileSync(filePath, "utf8"), filePath);
}

/** The raw stack configuration of a `config:` mapping, through the program's own mapping. */
export function rawOf(
  stackName: string,
  config: StackFileConfig,
  env: SettingsEnvironment = TOKEN_FROM_ENV,
): Record<string, unknown> {
  return rawStackConfig(stackFileSource(stackName, stringify({ config })), env);
}

export function rawOfFile(
  filePath: string,
  env: SettingsEnvironment = TOKEN_FROM_ENV,
): Record<string, unknown> {
  const stackName = stackNameOfFile(filePath);
  if (stackName === undefined)
    throw new Error(`${filePath} is not a stack file: stack files are named Pulumi.<stack>.yaml`);
  return rawStackConfig(stackFileSource(stackName, fs.readFileSync(filePath, "utf8")), env);
}

/**
 * A throw-away project folder (Pulumi.yaml, stacks/Pulumi.<stack>.yaml) whose stack file holds `config` as written:
 * where the running program reads which values are stored encrypted. The caller removes it.
 */
export function projectWith(stackName: string, config: StackFileConfig): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
  const project = { name: PROJECT_NAME, runtime: "nodejs", stackConfigDir: "stacks" };
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
  fs.mkdirSync(path.join(dir, "stacks"));
  fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stackName}.yaml`), stringify({ config }));
  return dir;
}

/** What running the stack program (index.ts) under Pulumi's mocks did. */
export interface ProgramRun {
  /** The error the program stopped with, if it did. */
  error?: unknown;
  /** Every resource the program registered, as `<type>::<name>`. */
  registered: string[];
}

/** index.ts compiled once, run as many times as the tests like with the modules it imports loaded only once. */
let compiledProgram: string | undefined;

/**
 * Runs the real program, index.ts, under Pulumi's mocks with a stack file's `config:` mapping as the stack's config
 * (and as its stack file, in a project folder of its own) and `env` as the environment variables it reads. A resource the program constructs is registered with the mock
 * engine, so `registered` shows whether validation refused the configuration before the first resource.
 */
export async function runProgram(
  stackName: string,
  config: StackFileConfig,
  env: SettingsEnvironment = TOKEN_FROM_ENV,
): Promise<ProgramRun> {
  const registered: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(`${args.type}::${args.name}`);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    PROJECT_NAME,
    stackName,
  );
  const secretKeys = Object.keys(config).filter((key) => isSecure(config[key]));
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
    secretKeys,
  );
  compiledProgram ??= ts.transpileModule(
    fs.readFileSync(path.join(REPO_ROOT, "program", "index.ts"), "utf8"),
    {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    },
  ).outputText;
  // The program imports the package by its own name: here, its source.
  const requireFromRoot = (id: string): unknown => require(id === PACKAGE_NAME ? REPO_ROOT : id);
  const saved = Object.fromEntries(Object.values(SETTINGS_ENV).map((name) => [name, process.env[name]]));
  for (const name of Object.values(SETTINGS_ENV)) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
  // Pulumi runs a program in its project's folder, where the program finds its stack file.
  const projectDir = projectWith(stackName, config);
  const cwd = process.cwd();
  let error: unknown;
  try {
    process.chdir(projectDir);
    new Function("exports", "require", "module", compiledProgram)({}, requireFromRoot, { exports: {} });
  } catch (thrown) {
    error = thrown;
  } finally {
    process.chdir(cwd);
    fs.rmSync(projectDir, { recursive: true, force: true });
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  // Registrations reach the mock engine asynchronously; let them land before counting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { error, registered };
}
