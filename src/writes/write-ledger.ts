import type { Job } from 'bullmq';
import { AppError, redisUnavailable } from '../lib/errors';
import type { RedisClient } from '../lib/redis-connections';
import type { DeadLetterQueue } from '../queues/dead-letter';
import { latestReplayJobId, nextReplayJobId } from '../queues/replay-counter';
import type { WriteAttempt, WriteJob, WriteOrigin, WriteRequest, WriteResult } from '../queues/write-job';
import type { WriteQueue } from '../queues/write-queue';
import type { WriteDeadLetter, WriteError } from './write-record';

/** A write as `GET /instances/{id}/writes/{writeId}` shows it (no field values: they may hold customer data). */
export interface WriteView {
  id: string;
  instanceId: string;
  table: string;
  operation: WriteRequest['operation'];
  origin: WriteOrigin;
  status: 'queued' | 'retrying' | 'succeeded' | 'dead';
  attempts: WriteAttempt[];
  result?: WriteResult;
  error?: WriteError;
  acceptedAt: string;
  finishedAt?: string;
}

const WEEK_SECONDS = 7 * 24 * 3600;

function view(data: WriteJob, status: WriteView['status'], extra: Partial<WriteView> = {}): WriteView {
  return { id: data.writeId, instanceId: data.instanceId, table: data.request.table, operation: data.request.operation, origin: data.origin, status, attempts: data.attempts, acceptedAt: new Date(data.acceptedAt).toISOString(), ...extra };
}

/** One partition's writes: its write queue, their dead letters, and its key prefix (replay counters). */
export interface WriteLedgerPartition {
  queue: WriteQueue;
  deadLetters: DeadLetterQueue<WriteDeadLetter>;
  prefix: string;
}

/**
 * Where a write stands and how to run it again: its latest job (a replay runs as `{writeId}-r{n}`) or its
 * dead letter, in whichever partition its idempotency key sent it to (each is asked at once: a write id does
 * not name its partition). Reads on the request path: a Redis failure answers 503.
 */
export class WriteLedger {
  constructor(private readonly partitions: readonly WriteLedgerPartition[], private readonly redis: RedisClient) {}

  private counterKey(partition: WriteLedgerPartition, writeId: string): string {
    return `${partition.prefix}:write-replays:${writeId}`;
  }

  async status(instanceId: string, writeId: string): Promise<WriteView> {
    return this.run(async () => {
      const views = await Promise.all(this.partitions.map((p) => this.statusIn(p, instanceId, writeId)));
      const found = views.find((v) => v !== undefined);
      if (!found) throw new AppError('write_not_found', `no write ${writeId} for instance ${instanceId}`, 404);
      return found;
    });
  }

  private async statusIn(partition: WriteLedgerPartition, instanceId: string, writeId: string): Promise<WriteView | undefined> {
    const job = (await partition.queue.getJob(await latestReplayJobId(this.redis, this.counterKey(partition, writeId), writeId))) as Job<WriteJob> | undefined;
    const dead = await partition.deadLetters.get(writeId);
    if (dead && dead.instanceId === instanceId && (!job || dead.jobId === job.id)) {
      return view(dead.job, 'dead', { error: dead.error, finishedAt: new Date(dead.deadLetteredAt).toISOString() });
    }
    if (!job || job.data.instanceId !== instanceId) return undefined;
    const state = await job.getState();
    const finishedAt = job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined;
    if (state === 'completed') {
      const done = job.returnvalue as { result: WriteResult; attempts: WriteAttempt[] };
      return view({ ...job.data, attempts: done.attempts }, 'succeeded', { result: done.result, finishedAt });
    }
    if (state === 'failed') return view(job.data, 'dead', { error: { code: 'failed', message: job.failedReason ?? 'failed' }, finishedAt });
    return view(job.data, job.data.attempts.length > 0 || state === 'delayed' ? 'retrying' : 'queued');
  }

  /** Runs a dead write again as `{writeId}-r{n}` (same write id, so the same client sys_id). Throws 404, 409. */
  async replay(instanceId: string, writeId: string): Promise<{ id: string; jobId: string; replayOf: string }> {
    return this.run(async () => {
      const letters = await Promise.all(this.partitions.map((p) => p.deadLetters.get(writeId)));
      const at = letters.findIndex((dead) => dead?.instanceId === instanceId);
      const [dead, partition] = [letters[at], this.partitions[at]];
      if (!dead || !partition) throw new AppError('write_not_found', `no dead-lettered write ${writeId} for instance ${instanceId}`, 404);
      const jobId = await nextReplayJobId(this.redis, this.counterKey(partition, writeId), writeId, WEEK_SECONDS);
      await partition.queue.add(dead.job.request.table, { ...dead.job, attempts: [], replayOf: dead.jobId }, { jobId });
      await partition.deadLetters.remove(writeId);
      return { id: writeId, jobId, replayOf: dead.jobId };
    });
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw redisUnavailable('queue_unavailable', 'The queue (Redis) is unavailable; retry later', err);
    }
  }
}
