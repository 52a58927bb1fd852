import type { RedisClient } from '../lib/redis-connections';

/** Where a backfill of one resource stands. */
export interface BackfillPosition {
  /** The `--since` it was started with (ISO 8601): a different since starts over. */
  since: string;
  /** The last sys_id queued (keyset order); absent before the first page. */
  afterSysId?: string;
  /** Rows queued so far, and the total ServiceNow counted at the start. */
  done: number;
  total?: number;
  complete?: boolean;
}

/**
 * Resumable backfill cursors: one Redis hash per instance (`{prefix}:poller:backfill:{instanceId}`),
 * a field per resource, saved after every queued page and removed when the whole backfill finished.
 */
export class BackfillCursorStore {
  constructor(private readonly redis: RedisClient, private readonly prefix: string) {}

  key(instanceId: string): string {
    return `${this.prefix}:poller:backfill:${instanceId}`;
  }

  /** The saved position for this since, or undefined (none, or started with another since). */
  async load(instanceId: string, resource: string, since: Date): Promise<BackfillPosition | undefined> {
    const raw = await this.redis.hget(this.key(instanceId), resource);
    if (!raw) return undefined;
    const position = JSON.parse(raw) as BackfillPosition;
    return position.since === since.toISOString() ? position : undefined;
  }

  async save(instanceId: string, resource: string, position: BackfillPosition): Promise<void> {
    await this.redis.hset(this.key(instanceId), resource, JSON.stringify(position));
  }

  /** Forgets every cursor of an instance (after a finished backfill). */
  async clear(instanceId: string): Promise<void> {
    await this.redis.del(this.key(instanceId));
  }
}
