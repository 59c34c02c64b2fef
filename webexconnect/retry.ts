/**
 * Retry rules, as small pure functions: which failures are retryable, how long to wait (exponential
 * backoff with full jitter, or the server's Retry-After), and the search-before-create guard that
 * makes non-idempotent creates safe to retry.
 */
import { WebexConnectError } from "./errors";

export interface RetryPolicy {
  /** Attempts per logical call, the first included. */
  maxAttempts: number;
  /** Backoff base: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Statuses that mean "try again": rate limited or a gateway/server that is briefly unavailable. */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];

/**
 * Whether a failed request may be sent again. A 500 is usually transient too, but may come after the work was done:
 * it is repeated only where repeating cannot do the work twice (idempotent routes). Other ambiguous failures of a
 * non-idempotent write are left to the search-before-create guard.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  if (status === 500) return idempotent;
  return RETRYABLE_STATUSES.includes(status) && (idempotent || !statusIsAmbiguous(status));
}

/** Network failures worth retrying. */
export const RETRYABLE_NETWORK_CODES: readonly string[] = [
  "ECONNRESET",
  "ETIMEDOUT",
  "ECONNREFUSED",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "ENETUNREACH",
];

/** Failures that prove the request never reached the server, so even a create may be repeated blindly. */
const NEVER_SENT_CODES: readonly string[] = ["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND", "ENETUNREACH"];

export interface NetworkFailure {
  code?: string;
  message: string;
}

export function isRetryableNetworkFailure(failure: NetworkFailure): boolean {
  return (
    (failure.code !== undefined && RETRYABLE_NETWORK_CODES.includes(failure.code)) ||
    /socket hang up/i.test(failure.message)
  );
}

export function networkFailureWasSent(failure: NetworkFailure): boolean {
  return !(failure.code !== undefined && NEVER_SENT_CODES.includes(failure.code));
}

/** A 429 is a refusal (nothing was done); other retryable statuses may come after the work was done. */
export function statusIsAmbiguous(status: number): boolean {
  return status >= 500;
}

/** Full-jitter exponential backoff for the n-th retry (n ≥ 1). `random` returns a number in [0, 1). */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date) || !/[a-z]/i.test(trimmed)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The wait before the next attempt: never shorter than the server's Retry-After. */
export function nextDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs: number | undefined,
): number {
  const jittered = backoffDelayMs(retry, policy, random);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}

/** True when a create may have been applied although it failed: search by natural key before repeating it. */
export function isAmbiguousWriteFailure(error: unknown): boolean {
  return error instanceof WebexConnectError && error.ambiguous;
}

export interface SearchGuardedCreate<T> {
  /** Looks the object up by its natural key (e.g. service name); undefined when absent. */
  findExisting: () => Promise<T | undefined>;
  /** One create request, not retried on ambiguous failures (the guard decides). */
  create: () => Promise<T>;
  /** Creates attempted at most this many times. */
  maxAttempts: number;
  /** Waits before the n-th repeat of the create (n ≥ 1). */
  pause: (retry: number) => Promise<void>;
}

export interface GuardedCreateResult<T> {
  value: T;
  /** True when the object existed before this call (nothing was created). */
  adopted: boolean;
}

/**
 * Search-before-create: adopt an existing object; otherwise create, and after a create that failed
 * ambiguously search again before repeating it, so a retried create never makes a duplicate.
 */
export async function createWithSearchGuard<T>(
  guard: SearchGuardedCreate<T>,
): Promise<GuardedCreateResult<T>> {
  const existing = await guard.findExisting();
  if (existing !== undefined) return { value: existing, adopted: true };
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await guard.create(), adopted: false };
    } catch (error) {
      if (!isAmbiguousWriteFailure(error) || attempt >= guard.maxAttempts) throw error;
      const created = await guard.findExisting();
      if (created !== undefined) return { value: created, adopted: false };
      await guard.pause(attempt);
    }
  }
}
