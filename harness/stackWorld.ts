/**
 * The real program against the emulator: an emulator with the stacks' AMB assets seeded as Apple registration would
 * leave them ("Online"), a copy of the project with those stack files pointed at it, and a throw-away file backend.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, type Document } from "yaml";
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TOKEN,
  startEmulator,
  type RunningEmulator,
} from "../emulator/server";
import type { RateLimit } from "../emulator/rateLimit";
import { SETTINGS_ENV } from "../lib/facts";
import { selectStack, type PulumiStack } from "../ops/pulumiStack";
import { copyProject, type ProjectCopy } from "./projectCopy";
import { engineEnv, repoRoot, scratchDir } from "./pulumiEngine";

export interface StackAsset {
  appId: string;
  ambAccountId: string;
  accountName: string;
}

/** The AMB asset a stack file in stacks/ configures. */
export function assetOfStack(stack: string): StackAsset {
  const file = parse(fs.readFileSync(path.join(repoRoot, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
  return file.config["amb-cce-connect:asset"];
}

export interface StackWorld {
  emulator: RunningEmulator;
  project: ProjectCopy;
  /** The engine's environment: backend, passphrase, the emulator's credentials (add it to process.env). */
  env: Record<string, string>;
  /** The stack `name` of the project copy, created in the backend if it is not there yet. */
  openStack(name: string): Promise<PulumiStack>;
  close(): Promise<void>;
}

export async function createStackWorld(
  stacks: string[],
  options: { seed?: number; rateLimit?: RateLimit; edit?: (stack: string, doc: Document) => void } = {},
): Promise<StackWorld> {
  const emulatorDir = scratchDir("emulator");
  const backendDir = scratchDir("backend");
  const emulator = await startEmulator({
    dataDir: emulatorDir,
    seed: options.seed ?? 1,
    rateLimit: options.rateLimit,
  });
  for (const stack of stacks) {
    const { appId, ambAccountId, accountName } = assetOfStack(stack);
    await emulator.control.seedAsset({
      organizationId: DEFAULT_ORGANIZATION_ID,
      name: accountName,
      accountName,
      appId,
      ambAccountId,
      status: "Online",
    });
  }
  const project = copyProject(stacks, emulator.url, options.edit);
  const env = {
    ...engineEnv(backendDir),
    PULUMI_CONFIG_PASSPHRASE: "stack-world",
    [SETTINGS_ENV.token]: DEFAULT_TOKEN,
    [SETTINGS_ENV.organizationId]: DEFAULT_ORGANIZATION_ID,
  };
  return {
    emulator,
    project,
    env,
    openStack: (name) => selectStack(name, { cwd: project.dir, env: { ...process.env, ...env } }),
    async close() {
      await emulator.close();
      project.remove();
      for (const dir of [emulatorDir, backendDir]) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
