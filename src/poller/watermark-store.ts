import type { RedisClient } from '../lib/redis-connections';

/**
 * Each instance's poll watermarks, one Redis hash per instance (`{prefix}:poller:watermarks:{instanceId}`),
 * one field per resource, values ISO 8601 UTC (readable with redis-cli). A watermark is the newest
 * timestamp up to which every change has been queued.
 */
export class WatermarkStore {
  constructor(private readonly redis: RedisClient, private readonly prefix: string) {}

  key(instanceId: string): string {
    return `${this.prefix}:poller:watermarks:${instanceId}`;
  }

  async get(instanceId: string, resource: string): Promise<Date | undefined> {
    const raw = await this.redis.hget(this.key(instanceId), resource);
    const d = raw ? new Date(raw) : undefined;
    return d && !Number.isNaN(d.getTime()) ? d : undefined;
  }

  async set(instanceId: string, resource: string, at: Date): Promise<void> {
    await this.redis.hset(this.key(instanceId), resource, at.toISOString());
  }

  /** Every watermark of an instance, by resource. */
  async all(instanceId: string): Promise<Record<string, Date>> {
    const raw = await this.redis.hgetall(this.key(instanceId));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, new Date(v)]));
  }

  /** Forgets an instance's watermarks (the next poll starts afresh). */
  async clear(instanceId: string): Promise<void> {
    await this.redis.del(this.key(instanceId));
  }
}
