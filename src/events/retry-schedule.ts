/** The retry schedule of deliveries: exponential backoff with full jitter, capped. */
export interface RetrySchedule {
  /** Total attempts, the first included. Default 8. */
  attempts: number;
  /** Ceiling of the first retry's delay, in ms. Default 1000. */
  baseDelayMs: number;
  /** Ceiling of any retry's delay, in ms. Default 600000 (10 min). */
  maxDelayMs: number;
  /** Longest Retry-After honoured as asked, in ms; longer ones are cut to this. Default 3600000 (1 h). */
  maxRetryAfterMs: number;
}

/** 8 attempts; retry ceilings 1 s, 2 s, 4 s … up to 10 min; Retry-After honoured up to 1 h. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = Object.freeze({
  attempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 600_000,
  maxRetryAfterMs: 3_600_000,
});

/**
 * The delay before retry number `retry` (1 = the first retry): a uniform random value in
 * `[1, min(maxDelayMs, baseDelayMs · 2^(retry-1))]` ("full jitter", so retrying subscribers spread out).
 * A subscriber's Retry-After, when given, is used instead (capped at `maxRetryAfterMs`). Never 0, so a
 * retry always goes through the delayed set and never jumps the queue.
 */
export function retryDelayMs(schedule: RetrySchedule, retry: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.max(1, Math.min(retryAfterMs, schedule.maxRetryAfterMs));
  const ceiling = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.max(1, Math.ceil(random() * ceiling));
}
