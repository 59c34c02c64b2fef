/**
 * The emulator's persistent state: plain JSON, written atomically (temp file + rename) after every
 * change so a restart on the same data dir finds everything as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { ambAssetWire, flowDefinition, FLOW_STATUSES, VERSION_ORIGINS } from "../webexconnect/schemas";

const orgScoped = { id: z.string(), organizationId: z.string(), createdAt: z.string() };

const assetRecord = ambAssetWire.extend({
  organizationId: z.string(),
  createdAt: z.string(),
  engageServiceId: z.string().nullable(),
  dataStreamEnabled: z.boolean(),
});
const serviceRecord = z.object({
  ...orgScoped,
  name: z.string(),
  description: z.string(),
  serviceKey: z.string(),
  jwtSecret: z.string(),
  updatedAt: z.string(),
});
const flowRecord = z.object({
  ...orgScoped,
  serviceId: z.string(),
  name: z.string(),
  status: z.enum(FLOW_STATUSES),
  liveVersionId: z.string().nullable(),
  boundAssetId: z.string().nullable(),
  draftDefinition: flowDefinition,
  updatedAt: z.string(),
});
const versionRecord = z.object({
  ...orgScoped,
  serviceId: z.string(),
  flowId: z.string(),
  number: z.number().int(),
  assetId: z.string(),
  origin: z.enum(VERSION_ORIGINS),
  definition: flowDefinition,
});

const emulatorState = z.object({
  schemaVersion: z.literal(1),
  /** Grows forever so ids stay unique across restarts. */
  nextSerial: z.number().int().min(1),
  assets: z.record(z.string(), assetRecord),
  services: z.record(z.string(), serviceRecord),
  flows: z.record(z.string(), flowRecord),
  versions: z.record(z.string(), versionRecord),
});

export type AssetRecord = z.infer<typeof assetRecord>;
export type ServiceRecord = z.infer<typeof serviceRecord>;
export type FlowRecord = z.infer<typeof flowRecord>;
export type VersionRecord = z.infer<typeof versionRecord>;
export type EmulatorState = z.infer<typeof emulatorState>;

export const STATE_FILE_NAME = "state.json";

export function emptyState(): EmulatorState {
  return { schemaVersion: 1, nextSerial: 1, assets: {}, services: {}, flows: {}, versions: {} };
}

export function stateFilePath(dataDir: string): string {
  return path.join(dataDir, STATE_FILE_NAME);
}

/** Reads the data dir's state, or an empty state for a new dir. A damaged file is an error, not silently reset. */
export function loadState(dataDir: string): EmulatorState {
  const file = stateFilePath(dataDir);
  if (!fs.existsSync(file)) return emptyState();
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `Emulator state ${file} is not valid JSON (${(error as Error).message}): delete it or use another --data-dir.`,
    );
  }
  const parsed = emulatorState.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Emulator state ${file} has an unexpected shape at ${issue.path.join(".") || "(root)"} (${issue.message}): delete it or use another --data-dir.`,
    );
  }
  return parsed.data;
}

/** Writes the whole state to a temp file in the same dir, then renames it over the old one. */
export function saveState(dataDir: string, state: EmulatorState): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = stateFilePath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  const handle = fs.openSync(temp, "w");
  try {
    fs.writeSync(handle, JSON.stringify(state, null, 2));
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  fs.renameSync(temp, file);
}
