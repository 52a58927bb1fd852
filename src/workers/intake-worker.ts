import { Worker, type Job } from 'bullmq';
import type { Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import type { ChangeClaims } from '../queues/change-claims';
import type { IngestQueue } from '../queues/ingest-queue';
import type { IntakeBatch } from '../queues/intake-queue';
import { QUEUE_NAMES } from '../queues/queue-names';
import { lockOptions } from './job-lock';

export interface IntakeWorkerDeps {
  /** A 'worker' connection: waits and reconnects while Redis is away. */
  connection: RedisClient;
  prefix: string;
  claims: ChangeClaims;
  /** The ingest queue on a connection that waits for Redis. */
  ingest: IngestQueue;
  logger: Logger;
  /**
   * Batches fanned out at once (default 8). One at a time would string a burst's changes out over a
   * round trip per batch; several keep them together, and their order is kept by the record lanes.
   */
  concurrency?: number;
  /** Lock duration (default 5 s, see lockOptions); a batch whose worker died is taken up again after it. */
  lockDurationMs?: number;
  onDone?: (job: Job<IntakeBatch>, outcome: 'fanned_out' | 'failed', seconds: number) => void;
}

/** What fanning one batch out did. */
export interface FanOutResult {
  changes: number;
  queued: number;
  duplicates: number;
}

/**
 * Fans an accepted batch out into one `ingest` job per change (job id = event id). Only the changes the
 * batch's event ids own are queued: the claim is made again here, so a change whose request died between
 * queueing and claiming is claimed now (or found to be another event's duplicate). Fanning out twice — a
 * retried or recovered batch — queues nothing new while the ingest jobs are kept.
 */
export async function fanOut(batch: IntakeBatch, deps: Pick<IntakeWorkerDeps, 'claims' | 'ingest'>): Promise<FanOutResult> {
  const { changes } = batch;
  const owners = await deps.claims.claim(changes);
  const owned = changes.filter((change, i) => owners[i] === change.eventId);
  if (owned.length > 0) await deps.ingest.addBulk(owned.map((change) => ({ name: change.table, data: change, opts: { jobId: change.eventId } })));
  return { changes: changes.length, queued: owned.length, duplicates: changes.length - owned.length };
}

/** Processes `intake` jobs: each accepted batch becomes its changes' ingest jobs. */
export function createIntakeWorker(deps: IntakeWorkerDeps): Worker<IntakeBatch> {
  const worker = new Worker<IntakeBatch>(
    QUEUE_NAMES.intake,
    async (job) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await fanOut(job.data, deps);
        deps.onDone?.(job, 'fanned_out', seconds());
        return result;
      } catch (err) {
        deps.onDone?.(job, 'failed', seconds());
        deps.logger.warn('intake fan-out failed', { batch: job.id, changes: job.data.changes.length, attempt: job.attemptsMade + 1, err: (err as Error).message });
        throw err;
      }
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 8,
      ...lockOptions(deps.lockDurationMs),
      // fanning out again is harmless: a batch whose workers keep dying is retried, never failed for it
      maxStalledCount: 1000,
    },
  );
  worker.on('error', (err) => deps.logger.warn('intake worker error', { err: err.message }));
  return worker;
}
