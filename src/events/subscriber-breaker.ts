import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';
import { ADMIT, CLAIM, RECORD, RESET } from './breaker-scripts';

/** Tuning of the subscriber circuit breaker. */
export interface BreakerSettings {
  /** Consecutive failed deliveries (408/429/5xx, network errors, timeouts) that open the breaker. Default 5. */
  failureThreshold: number;
  /** How long it stays open before the first probe, in ms; each failed probe doubles it. Default 10000. */
  openMs: number;
  /** The longest it stays open between probes, in ms. Default 600000 (10 min). */
  maxOpenMs: number;
  /** How long a probe may take before another delivery may probe instead (a send's timeout and some). Default 15000. */
  probeLeaseMs: number;
}

/** 5 failures open it; probes after 10 s, then 20 s, 40 s … up to 10 min; a probe has 15 s before another may go. */
export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = Object.freeze({ failureThreshold: 5, openMs: 10_000, maxOpenMs: 600_000, probeLeaseMs: 15_000 });

/** `closed`: deliveries flow; `open`: deliveries are held; `half_open`: one probe is testing the subscriber. */
export type BreakerPhase = 'closed' | 'open' | 'half_open';

/** A breaker as operators see it (ops API, /readyz, metrics). */
export interface BreakerState {
  instanceId: string;
  state: BreakerPhase;
  /** Consecutive failures so far. */
  failures: number;
  /** Deliveries waiting for the subscriber to recover. */
  heldEvents: number;
  /** When it opened (RFC 3339), while not closed. */
  openedAt?: string;
  /** When the next probe is due (RFC 3339), while open. */
  nextProbeAt?: string;
}

/** What a delivery may do: go out, go out as the probe, or wait. */
export type Admission = 'send' | 'probe' | 'hold';

/** What recording an outcome changed. */
export interface BreakerTransition {
  /** `opened` at the threshold, `reopened` after a failed probe, `closed` after a success. */
  to?: 'opened' | 'reopened' | 'closed';
  /** The deliveries that were held, oldest first, when it closed: they may go now. */
  released: string[];
}

/**
 * A circuit breaker per subscriber (per instance), kept in Redis so that every worker process shares it
 * (after Convoy's). Closed, deliveries flow. After `failureThreshold` consecutive failures it opens: deliveries
 * are held (not failed: they spend no attempt of their schedule) in the order they arrived. Once `openMs`
 * has passed, one delivery — the one held longest, or the next to arrive — goes out as the probe (half-open);
 * while it is out, no other goes. A probe that fails opens the breaker again for twice as long (up to
 * `maxOpenMs`); any delivered answer closes it and releases the held deliveries. Every transition is one Lua
 * script, so concurrent workers agree on a single probe.
 */
export class SubscriberBreaker {
  readonly settings: BreakerSettings;
  private readonly admitScript: RedisScript;
  private readonly claimScript: RedisScript;
  private readonly recordScript: RedisScript;
  private readonly resetScript: RedisScript;
  private readonly dueKey: string;

  constructor(private readonly redis: RedisClient, private readonly prefix: string, settings: Partial<BreakerSettings> = {}) {
    this.settings = { ...DEFAULT_BREAKER_SETTINGS, ...settings };
    this.admitScript = redisScript(redis, 'snowgateBreakerAdmit', 3, ADMIT);
    this.claimScript = redisScript(redis, 'snowgateBreakerClaim', 3, CLAIM);
    this.recordScript = redisScript(redis, 'snowgateBreakerRecord', 3, RECORD);
    this.resetScript = redisScript(redis, 'snowgateBreakerReset', 3, RESET);
    this.dueKey = `${prefix}:breakers:due`;
  }

  private keys(instanceId: string): [string, string, string] {
    const key = `${this.prefix}:breaker:${instanceId}`;
    return [key, `${key}:held`, this.dueKey];
  }

  /** Whether a delivery of `jobId` may go out now; a held one is kept in line until the breaker lets it go. */
  async admit(instanceId: string, jobId: string, now = Date.now()): Promise<Admission> {
    return (await this.admitScript(...this.keys(instanceId), instanceId, jobId, String(now), String(this.settings.probeLeaseMs))) as Admission;
  }

  /** Puts a delivery (back) in line without asking to send: a failed probe waits with the others. */
  async hold(instanceId: string, jobId: string, now = Date.now()): Promise<void> {
    await this.redis.zadd(this.keys(instanceId)[1], 'NX', now, jobId);
  }

  /** Takes a delivery out of line (dead-lettered while held). */
  async forget(instanceId: string, jobId: string): Promise<void> {
    await this.redis.zrem(this.keys(instanceId)[1], jobId);
  }

  /** Records how a send to the subscriber went: `answered` for any HTTP answer that is not a retryable failure. */
  async record(instanceId: string, jobId: string, answered: boolean, now = Date.now()): Promise<BreakerTransition> {
    const { failureThreshold, openMs, maxOpenMs } = this.settings;
    const result = (await this.recordScript(...this.keys(instanceId), instanceId, jobId, answered ? '1' : '0', String(now), String(failureThreshold), String(openMs), String(maxOpenMs))) as string[];
    const [to, ...released] = result;
    return { to: to as BreakerTransition['to'], released };
  }

  /** Whether the breaker is closed right now (read from Redis). */
  async isClosed(instanceId: string): Promise<boolean> {
    return ((await this.redis.hget(this.keys(instanceId)[0], 'state')) ?? 'closed') === 'closed';
  }

  /** For the prober: the probes due now, one per breaker (the delivery held longest), claimed for this caller. */
  async claimDueProbes(now = Date.now(), limit = 20): Promise<Array<{ instanceId: string; jobId: string }>> {
    const due = await this.redis.zrangebyscore(this.dueKey, '-inf', String(now), 'LIMIT', 0, limit);
    const claimed = await Promise.all(
      due.map(async (instanceId) => {
        const jobId = (await this.claimScript(...this.keys(instanceId), instanceId, String(now), String(this.settings.probeLeaseMs), String(this.settings.openMs))) as string | null;
        return jobId ? [{ instanceId, jobId }] : [];
      }),
    );
    return claimed.flat();
  }

  /** Closes the breaker whatever its state (an operator's reset, an instance updated or deleted); returns the held deliveries. */
  async reset(instanceId: string): Promise<string[]> {
    return (await this.resetScript(...this.keys(instanceId), instanceId)) as string[];
  }

  /** The state of each instance's breaker (closed with no failures when it has none). */
  async states(instanceIds: readonly string[]): Promise<BreakerState[]> {
    const pipeline = this.redis.pipeline();
    for (const id of instanceIds) {
      const [key, held] = this.keys(id);
      pipeline.hgetall(key).zcard(held);
    }
    const replies = (await pipeline.exec()) ?? [];
    return instanceIds.map((instanceId, i) => {
      const hash = (replies[2 * i]?.[1] ?? {}) as Record<string, string>;
      const state = (hash.state ?? 'closed') as BreakerPhase;
      const at = (field: string) => (state !== 'closed' && hash[field] ? new Date(Number(hash[field])).toISOString() : undefined);
      return {
        instanceId,
        state,
        failures: Number(hash.failures ?? 0),
        heldEvents: Number(replies[2 * i + 1]?.[1] ?? 0),
        ...(at('openedAt') ? { openedAt: at('openedAt') } : {}),
        ...(state === 'open' && at('openUntil') ? { nextProbeAt: at('openUntil') } : {}),
      };
    });
  }
}
