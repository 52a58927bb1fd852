import type { Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import { openQueue } from '../queues/open-queue';
import { QUEUE_NAMES } from '../queues/queue-names';

/**
 * One BullMQ Queue handle per snowgate queue (ingest, deliver, dead-letter, poll), for the dashboard,
 * the ops API and the queue-depth metric. Handles only read and steer; they never process jobs.
 */
export function openOpsQueues(connection: RedisClient, prefix: string): Queue[] {
  return Object.values(QUEUE_NAMES).map((name) => openQueue(name, connection, prefix));
}

/** Closes what {@link openOpsQueues} opened (the shared connection stays open). */
export async function closeOpsQueues(queues: readonly Queue[]): Promise<void> {
  await Promise.all(queues.map((q) => q.close()));
}
