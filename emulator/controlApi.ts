/**
 * The contract of the emulator's control surface for tests, under /_emulator/ (never in the route table) and
 * guarded by its own token: what the control routes (controlRoutes.ts) accept and the control client
 * (controlClient.ts) sends.
 */
import { z } from "zod";
import type { HttpMethod, RouteName } from "../webexconnect/routes";
import { AMB_ASSET_STATUSES, flowDefinition } from "../webexconnect/schemas";
import type { RequestRecord } from "./runtime";

export const CONTROL_PREFIX = "/_emulator/";
export const CONTROL_TOKEN_HEADER = "x-emulator-control-token";

export const seedAssetBody = z.strictObject({
  organizationId: z.string().min(1),
  name: z.string().trim().min(1),
  accountName: z.string().trim().min(1).optional(),
  appId: z.string().min(1).optional(),
  ambAccountId: z.string().min(1).optional(),
  status: z.enum(AMB_ASSET_STATUSES).optional(),
  description: z.string().optional(),
});
export const patchAssetBody = z.strictObject({
  status: z.enum(AMB_ASSET_STATUSES).optional(),
  name: z.string().trim().min(1).optional(),
});
export const dataStreamBody = z.strictObject({ enabled: z.boolean() });
export const portalEditBody = z.strictObject({ definition: flowDefinition });
export const clockBody = z.strictObject({ advanceSeconds: z.number().int().positive() });

export interface RequestReport {
  /** Requests per route and method, faulted ones included. */
  counts: Partial<Record<RouteName, Partial<Record<HttpMethod, number>>>>;
  recent: RequestRecord[];
}
