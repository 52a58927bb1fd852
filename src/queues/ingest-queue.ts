import type { JobsOptions, Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import type { ChangeJob } from './change-job';
import { openQueue } from './open-queue';
import { QUEUE_NAMES } from './queue-names';

/**
 * Default options of every ingest job: retried with backoff while ServiceNow is unreachable, and bounded
 * in Redis — completed jobs kept 1 h / 10k, failed ones 7 days / 50k (dead changes stay inspectable).
 */
export const INGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
};

export type IngestQueue = Queue<ChangeJob, unknown, string>;

/** The ingest queue on a producer connection (fails fast while Redis is down). */
export function createIngestQueue(connection: RedisClient, prefix: string): IngestQueue {
  return openQueue<ChangeJob>(QUEUE_NAMES.ingest, connection, prefix, INGEST_JOB_OPTIONS);
}
