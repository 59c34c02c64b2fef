/** Typed calls to the emulator's control surface (controlApi.ts): what tests, the harness and the bench use. */
import type { z } from "zod";
import type { AmbAssetWire, EngageRegistration, FlowDefinition, FlowVersion } from "../webexconnect/schemas";
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER, type patchAssetBody, type RequestReport } from "./controlApi";
import type { FaultRule, FaultRuleInput } from "./faults";
import type { EmulatorState } from "./state";
import type { SeedAssetInput } from "./store/assets";

/** Typed calls to the control surface of an emulator at `baseUrl`. */
export function createControlClient(baseUrl: string, controlToken: string) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}${CONTROL_PREFIX}${path}`, {
      method,
      headers: {
        [CONTROL_TOKEN_HEADER]: controlToken,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Emulator control ${method} ${path} failed with ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const segment = encodeURIComponent;
  return {
    /** An AMB asset as Apple registration plus the MSP link with &name= would create it. */
    seedAsset: (input: SeedAssetInput) => request<AmbAssetWire>("POST", "assets", input),
    /** Apple approving the account ("Online"), or a portal user renaming the asset. */
    updateAsset: (assetId: string, patch: z.input<typeof patchAssetBody>) =>
      request<AmbAssetWire>("PATCH", `assets/${segment(assetId)}`, patch),
    setDataStream: (assetId: string, enabled: boolean) =>
      request<{ assetId: string; enabled: boolean }>("PUT", `assets/${segment(assetId)}/data-stream`, {
        enabled,
      }),
    unregisterEngage: (assetId: string) =>
      request<EngageRegistration>("DELETE", `assets/${segment(assetId)}/engage-registration`),
    /** A portal user edits the live flow and makes it live again: a new live version. */
    portalEditFlow: (flowId: string, definition: FlowDefinition) =>
      request<FlowVersion>("POST", `flows/${segment(flowId)}/portal-edit`, { definition }),
    addFault: (rule: FaultRuleInput) => request<FaultRule>("POST", "faults", rule),
    listFaults: () => request<FaultRule[]>("GET", "faults"),
    clearFaults: () => request<void>("DELETE", "faults"),
    requests: () => request<RequestReport>("GET", "requests"),
    clearRequests: () => request<void>("DELETE", "requests"),
    /** Moves the emulator's clock forward: tokens expire as if that much time had passed. */
    advanceClock: (seconds: number) => request<{ now: string }>("POST", "clock", { advanceSeconds: seconds }),
    dumpState: () => request<EmulatorState>("GET", "state"),
    reset: () => request<void>("POST", "reset"),
  };
}

export type EmulatorControl = ReturnType<typeof createControlClient>;
