import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import { CLAIM_TTL_MS, claimKey } from './change-claims';
import type { ChangeJob } from './change-job';
import { openQueue } from './open-queue';
import { PartitionLayout } from './partition-layout';
import type { PartitionRecord } from './partition-record';
import { PARTITION_QUEUES, QUEUE_NAMES, type QueueName } from './queue-names';

/**
 * The label of a gateway process's request-path connection (`snowgate-producer-{label}` in CLIENT LIST): its
 * partition count and deployment, so that a change of the count can see which processes still run the old one.
 */
export function producerLabel(layout: PartitionLayout): string {
  return `n${layout.count}-${layout.base}`;
}

/** The request-path connections in a CLIENT LIST answer: each one's partition count and deployment (none: a version from before partitions). */
export function producersIn(clientList: string): Array<{ count?: number; base?: string }> {
  return [...clientList.matchAll(/ name=snowgate-producer(?:-n(\d+)-(\S+))? /g)].map((m) => (m[1] ? { count: Number(m[1]), base: m[2] } : {}));
}

/** CLIENT LIST of the master holding the base prefix (with Redis Cluster, the pipeline is routed by its key). */
export async function baseClientList(redis: RedisClient, base: string): Promise<string> {
  const results = await redis.pipeline().exists(`${base}:partitions`).call('CLIENT', 'LIST').exec();
  const [error, list] = results?.[1] ?? [new Error('no answer to CLIENT LIST'), ''];
  if (error) throw error;
  return ` ${String(list).replace(/\n/g, ' \n ')} `;
}

/** Job states that are work still to do. */
const UNFINISHED = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * A change of the partition count in progress (see README › Changing the partition count): the layout before
 * it, whose partitions the workers drain while the new ones take every new change. Until it is finished:
 * - a change or write already accepted under the old count is found by its claim there (24 h), so a report of
 *   it again is still a duplicate, and a write snowgate made is still known by its echo;
 * - the changes routed to the new partitions are not enriched before the old partitions' intake and ingest
 *   queues are empty and no process of the old count is connected any more — so none overtakes an older
 *   change of its record still on its way through an old partition;
 * - a record's events in the new partitions wait for its events still in an old partition's lane.
 */
export class PartitionMigration {
  readonly previous: PartitionLayout;
  readonly changedAt: number;
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly redis: RedisClient, readonly current: PartitionLayout, record: Required<Pick<PartitionRecord, 'previous'>> & PartitionRecord) {
    this.previous = new PartitionLayout(current.base, record.previous);
    this.changedAt = record.changedAt ?? 0;
  }

  /** The migration the record describes, if one is. */
  static of(redis: RedisClient, current: PartitionLayout, record: PartitionRecord | undefined): PartitionMigration | undefined {
    return record?.previous && record.previous !== record.count ? new PartitionMigration(redis, current, { ...record, previous: record.previous }) : undefined;
  }

  /** Whether claims and echoes made under the old count may still be alive (they last 24 h). */
  carriesOver(now = Date.now()): boolean {
    return now < this.changedAt + CLAIM_TTL_MS;
  }

  /** Each change's owner under the old count while claims carry over (null: not accepted then). One MGET per old partition. */
  async claimOwners(redis: RedisClient, changes: readonly ChangeJob[]): Promise<Array<string | null>> {
    const owners: Array<string | null> = changes.map(() => null);
    if (!this.carriesOver() || changes.length === 0) return owners;
    const byPartition = new Map<number, number[]>();
    changes.forEach((c, i) => {
      const p = this.previous.ofRecord(c.instanceId, c.table, c.sysId);
      byPartition.set(p, [...(byPartition.get(p) ?? []), i]);
    });
    await Promise.all(
      [...byPartition].map(async ([p, indexes]) => {
        const found = await redis.mget(...indexes.map((i) => claimKey(this.previous.prefix(p), changes[i]!)));
        indexes.forEach((i, k) => (owners[i] = found[k] ?? null));
      }),
    );
    return owners;
  }

  /** The write an idempotency key (its deduplication id) named under the old count, while it carries over. */
  async writeOwner(redis: RedisClient, deduplicationId: string): Promise<string | null> {
    if (!this.carriesOver()) return null;
    return redis.get(`${this.previous.prefix(this.previous.ofKey(deduplicationId))}:${QUEUE_NAMES.write}:de:${deduplicationId}`);
  }

  /** Gateway processes connected with another partition count than the current one (or from before partitions existed). */
  async otherProcesses(): Promise<number> {
    const producers = producersIn(await baseClientList(this.redis, this.current.base));
    return producers.filter((p) => p.count === undefined || (p.base === this.current.base && p.count !== this.current.count)).length;
  }

  /** Jobs still to do in the old partitions' queues of these names. */
  async unfinished(names: readonly QueueName[]): Promise<number> {
    const counts = await Promise.all(
      this.previous.prefixes.flatMap((prefix) => names.map((name) => this.queue(name, prefix).getJobCounts(...UNFINISHED))),
    );
    return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  }

  /** What the old partitions still hold, per queue name: work still to do, failed jobs and dead letters (invisible once the change is finished). */
  async leftovers(): Promise<Partial<Record<QueueName, number>>> {
    const left: Partial<Record<QueueName, number>> = {};
    for (const name of PARTITION_QUEUES) {
      const counts = await Promise.all(this.previous.prefixes.map((prefix) => this.queue(name, prefix).getJobCounts(...UNFINISHED, 'failed')));
      const total = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
      if (total > 0) left[name] = total;
    }
    return left;
  }

  /** Whether nothing can reach the old partitions' lanes ahead of the new ones any more (see the class). */
  async intakeDrained(): Promise<boolean> {
    return (await this.otherProcesses()) === 0 && (await this.unfinished([QUEUE_NAMES.intake, QUEUE_NAMES.ingest])) === 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private queue(name: QueueName, prefix: string): Queue {
    const key = `${prefix}:${name}`;
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = openQueue(name, this.redis, prefix) as Queue));
    return queue;
  }
}
