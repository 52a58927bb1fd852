import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import { openQueue } from '../queues/open-queue';
import { PartitionLayout } from '../queues/partition-layout';
import { CONTROL_QUEUES, PARTITION_QUEUES } from '../queues/queue-names';

/**
 * One BullMQ Queue handle per snowgate queue of every partition (intake, ingest, deliver, dead-letter, write,
 * write-dead-letter) and of the base prefix (poll), for the dashboard, the ops API and the queue-depth metric.
 * Handles only read and steer; they never process jobs. `layout`: the deployment's partitions, or one prefix;
 * `partitionsOnly`: without the base prefix's queues (the old partitions while the count changes).
 */
export function openOpsQueues(connection: RedisClient, layout: PartitionLayout | string, { partitionsOnly = false } = {}): Queue[] {
  const { prefixes, base } = typeof layout === 'string' ? new PartitionLayout(layout) : layout;
  return [
    ...prefixes.flatMap((prefix) => PARTITION_QUEUES.map((name) => openQueue(name, connection, prefix))),
    ...(partitionsOnly ? [] : CONTROL_QUEUES.map((name) => openQueue(name, connection, base))),
  ] as Queue[];
}

/** Closes what {@link openOpsQueues} opened (the shared connection stays open). */
export async function closeOpsQueues(queues: readonly Queue[]): Promise<void> {
  await Promise.all(queues.map((q) => q.close()));
}
