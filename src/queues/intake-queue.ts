import type { JobsOptions, Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import type { ChangeJob } from './change-job';
import { openQueue } from './open-queue';
import { QUEUE_NAMES } from './queue-names';

/** The payload of an `intake` job: the changes accepted together in one round trip, in arrival order. */
export interface IntakeBatch {
  changes: ChangeJob[];
}

/**
 * Default options of every intake job. Fanning a batch out needs only Redis, so a failed attempt is retried
 * every second, up to 1000 times (a quarter of an hour of failures) before the batch is failed and kept for
 * inspection and retry; finished batches are kept briefly — their changes live on as ingest jobs.
 */
export const INTAKE_JOB_OPTIONS: JobsOptions = {
  attempts: 1000,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: { age: 600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export type IntakeQueue = Queue<IntakeBatch, unknown, string>;

/** The intake queue on the given connection (a producer connection on the request path fails fast while Redis is down). */
export function createIntakeQueue(connection: RedisClient, prefix: string): IntakeQueue {
  return openQueue<IntakeBatch>(QUEUE_NAMES.intake, connection, prefix, INTAKE_JOB_OPTIONS);
}
