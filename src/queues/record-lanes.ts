import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';

/** Where an event stands in its record's line: the lane key and its place (the change's sys_mod_count). */
export interface LaneTicket {
  key: string;
  seq: number;
}

/** The record a lane ticket is for (its key ends in `:lane:{instance:table:sys_id}`). */
export function laneRecord(ticket: LaneTicket): { instanceId: string; table: string; sysId: string } | undefined {
  const m = /:lane:\{([^:{}]+):([^:{}]+):([^:{}]+)\}$/.exec(ticket.key);
  return m ? { instanceId: m[1]!, table: m[2]!, sysId: m[3]! } : undefined;
}

/** A lane member whose delivery job cannot be found is dropped after this long (it may just be being added). */
const ORPHAN_AFTER_MS = 10_000;
const LANE_TTL_SECONDS = 7 * 24 * 3600;

/** Join: add the event at its place, note when, and keep both keys alive. One round trip. */
const JOIN = `redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])`;

/** Leave: drop the event and return the new head (if any). One round trip. */
const LEAVE = `redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, 0)[1]`;

/**
 * Per-record delivery order. Every event of a record that changes over time joins its record's lane
 * (a sorted set by sys_mod_count) before its delivery job is queued; a delivery goes out only when its
 * event heads the lane, and leaves the lane once delivered or dead-lettered. So the subscriber sees a
 * record's events in change order even when one of them is being retried — other records are not held up.
 * While the partition count changes, `before` says whether the record's lane in its old partition is clear:
 * its events there go first.
 */
export class RecordLanes {
  private readonly joinScript: RedisScript;
  private readonly leaveScript: RedisScript;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly deliveries: Pick<Queue, 'getJobState' | 'getJob'>,
    private readonly before?: (ticket: LaneTicket, eventId: string) => Promise<boolean>,
  ) {
    this.joinScript = redisScript(redis, 'snowgateLaneJoin', 2, JOIN);
    this.leaveScript = redisScript(redis, 'snowgateLaneLeave', 2, LEAVE);
  }

  /** The ticket of a change of a record. */
  ticket(instanceId: string, table: string, sysId: string, modCount: string, operation: string): LaneTicket {
    const seq = Number(modCount) + (operation === 'delete' ? 0.5 : 0);
    return { key: `${this.prefix}:lane:{${instanceId}:${table}:${sysId}}`, seq };
  }


  async join(ticket: LaneTicket, eventId: string): Promise<void> {
    await this.joinScript(ticket.key, `${ticket.key}:joined`, String(ticket.seq), eventId, String(Date.now()), String(LANE_TTL_SECONDS));
  }

  /**
   * Whether the event heads its lane (or is not in it: a replay). Clears heads whose jobs are finished or gone,
   * and heads that joined over 10 s ago without a delivery job (an ingest attempt that failed and waits to be retried).
   */
  async isTurn(ticket: LaneTicket, eventId: string): Promise<boolean> {
    if (this.before && !(await this.before(ticket, eventId))) return false;
    for (let i = 0; i < 10; i++) {
      const [head] = await this.redis.zrange(ticket.key, '0', '0');
      if (!head || head === eventId) return true;
      const state = await this.deliveries.getJobState(head);
      if (state === 'completed' || state === 'failed') {
        await this.leave(ticket, head);
        continue;
      }
      if (state === 'unknown') {
        const joined = Number(await this.redis.hget(`${ticket.key}:joined`, head));
        if (Date.now() - joined > ORPHAN_AFTER_MS) {
          await this.leave(ticket, head);
          continue;
        }
      }
      return false;
    }
    return false;
  }

  /** Leaves the lane and wakes the next event of the record at once instead of letting it wait out its delay. */
  async leave(ticket: LaneTicket, eventId: string): Promise<void> {
    const next = (await this.leaveScript(ticket.key, `${ticket.key}:joined`, eventId)) as string | null;
    if (!next) return;
    const job = await this.deliveries.getJob(next);
    if (job && (await job.isDelayed()) && (job.data as { laneWaits?: number }).laneWaits) await job.promote().catch(() => undefined);
  }
}
