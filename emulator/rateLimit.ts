/** A token bucket per bearer token: `capacity` requests at once, refilled at `refillPerSecond`. */

export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Retry-After used when a bucket never refills. */
const NO_REFILL_RETRY_AFTER_SECONDS = 60;

export function createRateLimiter(now: () => number) {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();

  function take(key: string, limit: RateLimit): RateDecision {
    const at = now();
    const bucket = buckets.get(key) ?? { tokens: limit.capacity, updatedAt: at };
    bucket.tokens = Math.min(
      limit.capacity,
      bucket.tokens + ((at - bucket.updatedAt) / 1000) * limit.refillPerSecond,
    );
    bucket.updatedAt = at;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const retryAfterSeconds =
      limit.refillPerSecond > 0
        ? Math.ceil((1 - bucket.tokens) / limit.refillPerSecond)
        : NO_REFILL_RETRY_AFTER_SECONDS;
    return { allowed: false, retryAfterSeconds };
  }

  return { take, reset: () => buckets.clear() };
}
