import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../lib/redis-connections';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** A held lock: extend it while working, release it when done (both no-ops once it was lost). */
export interface HeldLock {
  extend(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * A per-instance Redis lock (`SET NX PX` with a random token, compare-and-delete on release), so that
 * a slow poll never overlaps the next tick of the same instance, in this process or another.
 */
export class PollLock {
  constructor(private readonly redis: RedisClient, private readonly prefix: string, private readonly ttlMs: number) {}

  key(instanceId: string): string {
    return `${this.prefix}:poller:lock:${instanceId}`;
  }

  /** The lock, or undefined when someone else holds it (after waiting up to `waitMs` for it). */
  async acquire(instanceId: string, waitMs = 0): Promise<HeldLock | undefined> {
    const key = this.key(instanceId);
    const token = crypto.randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) return undefined;
      await sleep(50);
    }
    return {
      extend: async () => (await this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs))) === 1,
      release: async () => {
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }
}
