import type { RedisClient } from '../lib/redis-connections';

/** Why and when a subscriber was disabled. */
export interface DisabledSubscriber {
  instanceId: string;
  /** Epoch ms. */
  at: number;
  /** The event whose delivery got the 410. */
  eventId: string;
  status: number;
}

/**
 * Which instances' subscribers are disabled (they answered 410 Gone). Kept in one Redis hash under the
 * queue prefix, so every worker sees it; deliveries to a disabled subscriber are dead-lettered at once.
 * An operator's replay, or an update of the instance, enables it again.
 */
export class SubscriberStatus {
  private readonly key: string;

  constructor(private readonly redis: RedisClient, prefix: string) {
    this.key = `${prefix}:delivery-subscribers:disabled`;
  }

  async disable(entry: DisabledSubscriber): Promise<void> {
    await this.redis.hset(this.key, entry.instanceId, JSON.stringify(entry));
  }

  /** Enables the subscriber again; true when it had been disabled. */
  async enable(instanceId: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, instanceId)) > 0;
  }

  async get(instanceId: string): Promise<DisabledSubscriber | undefined> {
    const raw = await this.redis.hget(this.key, instanceId);
    return raw ? (JSON.parse(raw) as DisabledSubscriber) : undefined;
  }

  async list(): Promise<DisabledSubscriber[]> {
    return Object.values(await this.redis.hgetall(this.key)).map((raw) => JSON.parse(raw) as DisabledSubscriber);
  }
}
