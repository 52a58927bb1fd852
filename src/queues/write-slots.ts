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
  /** Local permits per instance: this process never asks Redis for more slots than the cap (waiters queue in memory). */
  private readonly local = new Map<string, { held: number; waiting: Array<() => void> }>();
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

  /**
   * Waits for a slot: first one of this process's `cap` local permits (in memory), then a lease in Redis
   * (polled 5 → 100 ms apart while other processes hold the rest); undefined when none came free within
   * `maxWaitMs`.
   */
  async take(instanceId: string, cap: number): Promise<string | undefined> {
    const deadline = Date.now() + this.maxWaitMs;
    if (!(await this.permit(instanceId, cap, this.maxWaitMs))) return undefined;
    try {
      for (let wait = 5; ; wait = Math.min(100, wait * 2)) {
        const token = await this.tryTake(instanceId, cap);
        if (token) return token;
        if (Date.now() + wait > deadline) break;
        await sleep(wait + Math.floor(Math.random() * wait));
      }
    } catch (err) {
      this.unpermit(instanceId);
      throw err;
    }
    this.unpermit(instanceId);
    return undefined;
  }

  async release(instanceId: string, token: string): Promise<void> {
    this.unpermit(instanceId);
    await this.redis.zrem(this.key(instanceId), token);
  }

  private permit(instanceId: string, cap: number, waitMs: number): Promise<boolean> {
    const gate = this.local.get(instanceId) ?? { held: 0, waiting: [] };
    this.local.set(instanceId, gate);
    if (gate.held < cap) {
      gate.held += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        gate.held += 1;
        resolve(true);
      };
      const timer = setTimeout(() => {
        gate.waiting.splice(gate.waiting.indexOf(grant), 1);
        resolve(false);
      }, waitMs);
      gate.waiting.push(grant);
    });
  }

  private unpermit(instanceId: string): void {
    const gate = this.local.get(instanceId);
    if (!gate) return;
    gate.held -= 1;
    gate.waiting.shift()?.();
  }

  /** Slots held now (expired leases included until the next take). */
  async held(instanceId: string): Promise<number> {
    return this.redis.zcard(this.key(instanceId));
  }
}
