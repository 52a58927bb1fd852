import type { Job } from 'bullmq';
import { AppError } from '../lib/errors';
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

/**
 * Where a write stands and how to run it again: its latest job (a replay runs as `{writeId}-r{n}`) or its
 * dead letter. Reads on the request path: a Redis failure answers 503.
 */
export class WriteLedger {
  constructor(private readonly queue: WriteQueue, private readonly deadLetters: DeadLetterQueue<WriteDeadLetter>, private readonly redis: RedisClient, private readonly prefix: string) {}

  private counterKey(writeId: string): string {
    return `${this.prefix}:write-replays:${writeId}`;
  }

  async status(instanceId: string, writeId: string): Promise<WriteView> {
    return this.run(async () => {
      const job = (await this.queue.getJob(await latestReplayJobId(this.redis, this.counterKey(writeId), writeId))) as Job<WriteJob> | undefined;
      const dead = await this.deadLetters.get(writeId);
      if (dead && dead.instanceId === instanceId && (!job || dead.jobId === job.id)) {
        return view(dead.job, 'dead', { error: dead.error, finishedAt: new Date(dead.deadLetteredAt).toISOString() });
      }
      if (!job || job.data.instanceId !== instanceId) throw new AppError('write_not_found', `no write ${writeId} for instance ${instanceId}`, 404);
      const state = await job.getState();
      const finishedAt = job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined;
      if (state === 'completed') {
        const done = job.returnvalue as { result: WriteResult; attempts: WriteAttempt[] };
        return view({ ...job.data, attempts: done.attempts }, 'succeeded', { result: done.result, finishedAt });
      }
      if (state === 'failed') return view(job.data, 'dead', { error: { code: 'failed', message: job.failedReason ?? 'failed' }, finishedAt });
      return view(job.data, job.data.attempts.length > 0 || state === 'delayed' ? 'retrying' : 'queued');
    });
  }

  /** Runs a dead write again as `{writeId}-r{n}` (same write id, so the same client sys_id). Throws 404, 409. */
  async replay(instanceId: string, writeId: string): Promise<{ id: string; jobId: string; replayOf: string }> {
    return this.run(async () => {
      const dead = await this.deadLetters.get(writeId);
      if (!dead || dead.instanceId !== instanceId) throw new AppError('write_not_found', `no dead-lettered write ${writeId} for instance ${instanceId}`, 404);
      const jobId = await nextReplayJobId(this.redis, this.counterKey(writeId), writeId, WEEK_SECONDS);
      await this.queue.add(dead.job.request.table, { ...dead.job, attempts: [], replayOf: dead.jobId }, { jobId });
      await this.deadLetters.remove(writeId);
      return { id: writeId, jobId, replayOf: dead.jobId };
    });
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('queue_unavailable', 'The queue (Redis) is unavailable; retry later', 503, { cause: err, headers: { 'Retry-After': '5' } });
    }
  }
}
