import type { JobsOptions, Queue } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import { openQueue } from './open-queue';
import { QUEUE_NAMES } from './queue-names';
import type { WriteJob } from './write-job';

/** The BullMQ backoff type of write jobs; the write worker registers the strategy that computes it. */
export const WRITE_BACKOFF_TYPE = 'snowgate-write';

/** How long the same idempotency key maps to the same write (24 h, like a change's claim). */
export const WRITE_IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * Default options of every write job: 10 attempts (backoff computed by the worker: Retry-After or
 * exponential with jitter), results and failures kept a week for `GET …/writes/{id}`.
 */
export const WRITE_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: WRITE_BACKOFF_TYPE },
  removeOnComplete: { age: WEEK_SECONDS, count: 50_000 },
  removeOnFail: { age: WEEK_SECONDS, count: 50_000 },
};

export type WriteQueue = Queue<WriteJob, unknown, string>;

/** The write queue on the given connection (a producer connection on the request path fails fast while Redis is down). */
export function createWriteQueue(connection: RedisClient, prefix: string): WriteQueue {
  return openQueue<WriteJob>(QUEUE_NAMES.write, connection, prefix, WRITE_JOB_OPTIONS);
}
