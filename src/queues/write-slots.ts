import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';

/** Drop expired leases; take one if fewer than the cap are held. One round trip. */
const ACQUIRE = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

/** Options of {@link WriteSlots}. */
export interface WriteSlotsOptions {
  /** How long a lease lives unless released: longer than a write's request timeout. Default 40 s. */
  leaseMs?: number;
  /** Longest `take` waits for a free slot. Default 10 s. */
  maxWaitMs?: number;
}

/**
 * The per-instance cap on writes in flight, across every worker process: ServiceNow runs inbound REST in
 * a small semaphore pool and answers 429 once its queue is full, so snowgate never sends an instance more
 * than `writes.max_concurrency` writes at once. A slot is a lease in a sorted set (scored by expiry), so a
 * worker that dies holding one frees it when the lease lapses.
 */
export class WriteSlots {
  private readonly acquireScript: RedisScript;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly redis: RedisClient, private readonly prefix: string, options: WriteSlotsOptions = {}) {
    this.acquireScript = redisScript(redis, 'snowgateWriteSlot', 1, ACQUIRE);
    this.leaseMs = options.leaseMs ?? 40_000;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
  }

  private key(instanceId: string): string {
    return `${this.prefix}:write-slots:${instanceId}`;
  }

  /** Takes a slot now, if one is free; resolves with its lease token. */
  async tryTake(instanceId: string, cap: number): Promise<string | undefined> {
    const token = crypto.randomUUID();
    const now = Date.now();
    const taken = await this.acquireScript(this.key(instanceId), String(now), String(now + this.leaseMs), String(cap), token, String(this.leaseMs * 2));
    return taken === 1 ? token : undefined;
  }

  /** Waits (polling, 5 → 100 ms apart) for a slot; undefined when none came free within `maxWaitMs`. */
  async take(instanceId: string, cap: number): Promise<string | undefined> {
    const deadline = Date.now() + this.maxWaitMs;
    for (let wait = 5; ; wait = Math.min(100, wait * 2)) {
      const token = await this.tryTake(instanceId, cap);
      if (token || Date.now() + wait > deadline) return token;
      await sleep(wait + Math.floor(Math.random() * wait));
    }
  }

  async release(instanceId: string, token: string): Promise<void> {
    await this.redis.zrem(this.key(instanceId), token);
  }

  /** Slots held now (expired leases included until the next take). */
  async held(instanceId: string): Promise<number> {
    return this.redis.zcard(this.key(instanceId));
  }
}
