import { AppError } from '../lib/errors';

/** The verdict of one rate-limit check. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSec: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per key (instance): `ratePerSecond` tokens a second, bursts up to one second's worth.
 * In-process: with N API replicas an instance may post N times its limit in total.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  take(key: string, ratePerSecond: number): RateDecision {
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: ratePerSecond, updatedAt: t };
    bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((t - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = t;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
  }

  /** Spends one request of `key`'s budget, or throws 429 `rate_limited` with Retry-After (`what`: "webhooks", …). */
  admit(key: string, ratePerSecond: number, who: string, what: string): void {
    const decision = this.take(key, ratePerSecond);
    if (!decision.allowed) {
      throw new AppError('rate_limited', `${who} is over ${ratePerSecond} ${what} per second`, 429, { headers: { 'Retry-After': String(decision.retryAfterSec) } });
    }
  }
}
