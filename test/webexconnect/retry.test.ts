import fc from "fast-check";
import { ServerError, ValidationError, type CallContext } from "../../webexconnect/errors";
import {
  backoffDelayMs,
  createWithSearchGuard,
  isAmbiguousWriteFailure,
  isRetryableNetworkFailure,
  isRetryableStatus,
  networkFailureWasSent,
  nextDelayMs,
  parseRetryAfterMs,
  type RetryPolicy,
} from "../../webexconnect/retry";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
const context: CallContext = {
  method: "POST",
  route: "service.create",
  trackingId: "t-1",
  status: 502,
  attempts: 1,
};

describe("backoff", () => {
  test("full jitter stays within [0, min(max, base * 2^(n-1))]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (retry, random) => {
          const delay = backoffDelayMs(retry, policy, () => random);
          const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
          return delay >= 0 && delay < ceiling;
        },
      ),
    );
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, policy, () => 0.5)).toBe(500);
  });

  test("Retry-After wins when it is longer than the jittered delay", () => {
    expect(nextDelayMs(1, policy, () => 0.5, 2_000)).toBe(2_000);
    expect(nextDelayMs(4, policy, () => 0.9, 0)).toBe(720);
    expect(nextDelayMs(1, policy, () => 0.5, undefined)).toBe(50);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2025-04-01T10:00:00Z");
  test.each([
    ["3", 3_000],
    [" 0 ", 0],
    ["Tue, 01 Apr 2025 10:00:05 GMT", 5_000],
    ["Tue, 01 Apr 2025 09:59:00 GMT", 0],
  ])("%j waits %d ms", (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
  test.each([undefined, "", "soon", "-1", "1.5"])("%j is ignored", (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});

describe("network failures", () => {
  test.each([
    [{ code: "ECONNRESET", message: "read ECONNRESET" }, true, true],
    [{ code: "ETIMEDOUT", message: "Timeout awaiting 'request'" }, true, true],
    [{ code: undefined, message: "socket hang up" }, true, true],
    [{ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }, true, false],
    [{ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND" }, false, false],
    [{ code: "ERR_INVALID_URL", message: "Invalid URL" }, false, true],
  ])("%j: retryable %s, maybe applied %s", (failure, retryable, sent) => {
    expect(isRetryableNetworkFailure(failure)).toBe(retryable);
    expect(networkFailureWasSent(failure)).toBe(sent);
  });
});

describe("search-before-create", () => {
  const ambiguous = () => new ServerError(context, "bad gateway", true, 0);
  const noPause = async () => undefined;

  test("adopts what exists without creating", async () => {
    const create = jest.fn();
    const result = await createWithSearchGuard({
      findExisting: async () => "existing",
      create,
      maxAttempts: 3,
      pause: noPause,
    });
    expect(result).toEqual({ value: "existing", adopted: true });
    expect(create).not.toHaveBeenCalled();
  });

  test("after an ambiguous failure, finds the object instead of creating it again", async () => {
    const found = [undefined, "created-by-lost-call"];
    const create = jest.fn().mockRejectedValue(ambiguous());
    const result = await createWithSearchGuard({
      findExisting: async () => found.shift(),
      create,
      maxAttempts: 3,
      pause: noPause,
    });
    expect(result).toEqual({ value: "created-by-lost-call", adopted: false });
    expect(create).toHaveBeenCalledTimes(1);
  });

  test("creates again when the search finds nothing, pausing with the retry number", async () => {
    const pauses: number[] = [];
    const create = jest
      .fn()
      .mockRejectedValueOnce(ambiguous())
      .mockRejectedValueOnce(ambiguous())
      .mockResolvedValue("made");
    const result = await createWithSearchGuard({
      findExisting: async () => undefined,
      create,
      maxAttempts: 3,
      pause: async (retry) => void pauses.push(retry),
    });
    expect(result).toEqual({ value: "made", adopted: false });
    expect(pauses).toEqual([1, 2]);
  });

  test("rethrows unambiguous failures at once, and ambiguous ones after maxAttempts", async () => {
    const refused = new ValidationError({ ...context, status: 400 }, "name", "too long");
    expect(isAmbiguousWriteFailure(refused)).toBe(false);
    const onceRefused = jest.fn().mockRejectedValue(refused);
    await expect(
      createWithSearchGuard({
        findExisting: async () => undefined,
        create: onceRefused,
        maxAttempts: 3,
        pause: noPause,
      }),
    ).rejects.toBe(refused);
    expect(onceRefused).toHaveBeenCalledTimes(1);

    const alwaysAmbiguous = jest.fn().mockRejectedValue(ambiguous());
    await expect(
      createWithSearchGuard({
        findExisting: async () => undefined,
        create: alwaysAmbiguous,
        maxAttempts: 3,
        pause: noPause,
      }),
    ).rejects.toMatchObject({ name: "ServerError" });
    expect(alwaysAmbiguous).toHaveBeenCalledTimes(3);
  });
});

describe("which statuses are retried", () => {
  test.each([
    [500, true, true],
    [500, false, false],
    [502, true, true],
    [502, false, false],
    [429, false, true],
    [503, true, true],
    [400, true, false],
    [409, true, false],
  ])("status %i on an idempotent=%s route: retried %s", (status, idempotent, retried) => {
    expect(isRetryableStatus(status, idempotent)).toBe(retried);
  });
});
