/** Public surface of the Webex Connect client: what providers and tests import. */
export { createWebexConnectClient } from "./client";
export type { WebexConnectClient } from "./client";
export type { WebexConnectClientOptions, ListOptions, NamedListOptions } from "./connection";
export * from "./errors";
export * from "./routes";
export * from "./schemas";
export {
  createWithSearchGuard,
  isAmbiguousWriteFailure,
  backoffDelayMs,
  nextDelayMs,
  parseRetryAfterMs,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  type SearchGuardedCreate,
  type GuardedCreateResult,
} from "./retry";
export { paginate, collectAll, findFirst } from "./pagination";
export type { Clock } from "./clock";
export type { Logger, LogEntry } from "./transport";
export {
  renewalDueAt,
  RENEWAL_MARGIN_MS,
  type WebexCredential,
  type StaticTokenCredential,
  type RefreshTokenCredential,
} from "./credentials";
