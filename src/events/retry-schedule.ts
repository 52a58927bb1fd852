/**
 * The retry schedule of deliveries: a fixed list of steps with jitter around each one, so every delay has a
 * floor and a subscriber outage is bridged for as long as the steps add up to (Standard Webhooks' example
 * schedule by default: ~27.6 h, never under 24.8 h).
 */
export interface RetrySchedule {
  /** Delay before each retry, in ms: retry n waits about `delaysMs[n - 1]`. Attempts in all = length + 1. */
  delaysMs: readonly number[];
  /** Spread around each step: a delay is uniform in `[step × (1 − jitter), step × (1 + jitter)]`. Default 0.1. */
  jitter: number;
  /** Longest Retry-After honoured as asked, in ms; longer ones are cut to this. Default 3600000 (1 h). */
  maxRetryAfterMs: number;
}

/** The default steps, as `SNOWGATE_DELIVERY_SCHEDULE` and `event.notification.retry_schedule` write them. */
export const DEFAULT_RETRY_STEPS = '5s,5m,30m,2h,5h,10h,10h';

/**
 * The default steps of writes into ServiceNow (`SNOWGATE_WRITE_SCHEDULE`): 10 attempts over ~8.5 min, a
 * doubling backoff — a write is waited for, and ServiceNow's throttling answers with Retry-After.
 */
export const DEFAULT_WRITE_STEPS = '1s,2s,4s,8s,16s,32s,1m,2m,4m';

/** 8 attempts: at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (each ±10 %); Retry-After honoured up to 1 h. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = Object.freeze({
  delaysMs: Object.freeze([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]),
  jitter: 0.1,
  maxRetryAfterMs: 3_600_000,
});

/** How long the schedule lasts from the first attempt to the last, at the nominal steps (no jitter). */
export function scheduleSpanMs(schedule: RetrySchedule): number {
  return schedule.delaysMs.reduce((sum, step) => sum + step, 0);
}

/**
 * The delay before retry number `retry` (1 = the first retry), or undefined when the schedule is spent:
 * the step with jitter around it (never under `step × (1 − jitter)`, never 0, so a retry always goes through
 * the delayed set and never jumps the queue). A subscriber's Retry-After (capped at `maxRetryAfterMs`) is
 * honoured as a minimum: the retry never comes sooner than asked, nor sooner than the step's floor.
 */
export function retryDelayMs(schedule: RetrySchedule, retry: number, retryAfterMs?: number, random = Math.random): number | undefined {
  const step = schedule.delaysMs[retry - 1];
  if (step === undefined) return undefined;
  const jittered = Math.round(step * (1 - schedule.jitter + 2 * schedule.jitter * random()));
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, schedule.maxRetryAfterMs);
  return Math.max(1, jittered, asked);
}
