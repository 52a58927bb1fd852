/** How the ServiceNow client retries. All times in milliseconds. */
export interface RetryPolicy {
  /** Total attempts including the first. Default 4. */
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt. Default 250. */
  baseDelayMs: number;
  /** Backoff ceiling. Default 10,000. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out in-process: the error goes to the caller (its queue can delay). Default 60,000. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

/** Statuses worth another attempt: throttling and gateway/availability errors. Other 4xx never are. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** `Retry-After` as delay-seconds or an HTTP date, in ms (never negative); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next attempt after a retryable status: Retry-After when given (undefined if it
 * exceeds `maxRetryAfterMs`, meaning "give up now"), otherwise the jittered backoff.
 */
export function retryDelay(retryAfterHeader: string | null, attempt: number, policy: RetryPolicy): number | undefined {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  if (retryAfter !== undefined) return retryAfter <= policy.maxRetryAfterMs ? retryAfter : undefined;
  return backoffDelay(attempt, policy);
}
