/** Reading the example stack files the way the program reads its Pulumi config. */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import {
  rawStackConfig,
  stackFileConfig,
  stackFileSource,
  stackNameOfFile,
  type SettingsEnvironment,
} from "../../config/rawStackConfig";
import { SETTINGS_ENV } from "../../providers/settingsKeys";

export const STACKS_DIR = path.join(__dirname, "..", "..", "stacks");

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
