import { ConfigError } from '../lib/errors';
import type { RedisClient } from '../lib/redis-connections';
import type { PartitionLayout } from './partition-layout';
import { PARTITION_QUEUES } from './queue-names';

/** The partition count a deployment runs, as Redis records it under the base prefix. */
export interface PartitionRecord {
  count: number;
  /** The count before the last change, while its partitions may still hold work (see README › Changing the partition count). */
  previous?: number;
  /** When the count last changed (epoch ms). */
  changedAt?: number;
}

/** The key of the record: under the base prefix, beside the other control data. */
export function partitionRecordKey(base: string): string {
  return `${base}:partitions`;
}

/** The record, if the deployment has one. */
export async function readPartitionRecord(redis: RedisClient, base: string): Promise<PartitionRecord | undefined> {
  const fields = await redis.hgetall(partitionRecordKey(base));
  if (!fields.count) return undefined;
  return {
    count: Number(fields.count),
    ...(fields.previous ? { previous: Number(fields.previous) } : {}),
    ...(fields.changedAt ? { changedAt: Number(fields.changedAt) } : {}),
  };
}

/** Whether the one-partition layout (the base prefix, as before partitions existed) ever held a queue. */
async function hasUnpartitionedQueues(redis: RedisClient, base: string): Promise<boolean> {
  return (await redis.exists(...PARTITION_QUEUES.map((name) => `${base}:${name}:meta`))) > 0;
}

/**
 * The count recorded for the deployment; without a record, 1 if its base prefix holds queues already (a
 * deployment from before partitions existed), else undefined (a new one).
 */
export async function recordedPartitions(redis: RedisClient, base: string): Promise<PartitionRecord | undefined> {
  const record = await readPartitionRecord(redis, base);
  if (record) return record;
  return (await hasUnpartitionedQueues(redis, base)) ? { count: 1 } : undefined;
}

/**
 * At start-up: records the count of a new deployment, and refuses — with one line naming what to do — a count
 * other than the one the deployment runs, since routing a record's changes by another count would split them
 * across partitions (order and deduplication lost). Resolves with the record.
 */
export async function checkPartitions(redis: RedisClient, layout: PartitionLayout): Promise<PartitionRecord> {
  const key = partitionRecordKey(layout.base);
  // HSETNX: a count already recorded stays; one from before partitions (1) or this process's (a new deployment) is recorded
  await redis.hsetnx(key, 'count', String((await recordedPartitions(redis, layout.base))?.count ?? layout.count));
  const record = (await readPartitionRecord(redis, layout.base))!;
  if (record.count !== layout.count) {
    throw new ConfigError(
      `SNOWGATE_PARTITIONS=${layout.count}, but this deployment runs ${record.count} partition${record.count === 1 ? '' : 's'} (recorded in Redis at ${key}): ` +
        `set SNOWGATE_PARTITIONS=${record.count}, or change the count with \`npx snowgate partitions --set ${layout.count}\` (README › Changing the partition count)`,
    );
  }
  return record;
}
