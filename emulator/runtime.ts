/** What the API handlers and the control routes share inside one running emulator. */
import type { HttpMethod, RouteName } from "../webexconnect/routes";
import type { FaultInjector } from "./faults";
import type { EmulatorState } from "./state";
import type { StoreContext } from "./store/context";

export interface RequestRecord {
  route: RouteName;
  method: HttpMethod;
  trackingId: string | undefined;
  /** The status sent, or "dropped" when the connection was cut. */
  outcome: number | "dropped";
}

export interface EmulatorRuntime {
  dataDir: string;
  state: EmulatorState;
  faults: FaultInjector;
  random: () => number;
  counts: Map<RouteName, Map<HttpMethod, number>>;
  recent: RequestRecord[];
  controlToken: string;
  persist(): void;
  resetRateLimits(): void;
  /** The emulator's clock (ms): real time plus however far the control surface moved it. */
  now(): number;
  advanceClock(ms: number): void;
}

/** The store's view of the runtime, for the control surface (which is not scoped to an organization). */
export function unscopedStore(runtime: EmulatorRuntime): Omit<StoreContext, "organizationId"> {
  return { state: runtime.state, random: runtime.random, now: () => new Date(runtime.now()).toISOString() };
}

/** The store's view of the runtime, for a caller of `organizationId`. */
export function storeContext(runtime: EmulatorRuntime, organizationId: string): StoreContext {
  return { ...unscopedStore(runtime), organizationId };
}
