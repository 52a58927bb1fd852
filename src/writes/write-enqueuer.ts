import crypto from 'node:crypto';
import { AppError } from '../lib/errors';
import type { WriteJob } from '../queues/write-job';
import { WRITE_IDEMPOTENCY_TTL_MS, type WriteQueue } from '../queues/write-queue';

/** The outcome of one enqueue: the write id, and whether the key had been used before (then it is the first write's id). */
export interface WriteEnqueueResult {
  id: string;
  duplicate: boolean;
}

/** Told of each write once Redis has it: accepted, or the same idempotency key again (the event log). Must not throw or wait. */
export interface WriteEnqueueObserver {
  accepted(job: Omit<WriteJob, 'attempts'>): void;
  duplicate(job: Omit<WriteJob, 'attempts'>, ownerId: string): void;
}

/**
 * The only place that queues writes. A write is one BullMQ job (job id = write id) deduplicated by its
 * idempotency key inside BullMQ's add — one round trip, atomic: the same key within 24 h answers the first
 * write's id and queues nothing. Resolves only after Redis acknowledged; a Redis failure or no answer within
 * `timeoutMs` (default 1500) rejects with 503 `queue_unavailable`.
 */
export class WriteEnqueuer {
  private readonly timeoutMs: number;

  private readonly observer?: WriteEnqueueObserver;

  constructor(private readonly queue: WriteQueue, options: { timeoutMs?: number; observer?: WriteEnqueueObserver } = {}) {
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.observer = options.observer;
  }

  /** `scope` names the door and action (`action|access-log`, `direct`), so keys of different doors never meet. */
  async enqueue(job: Omit<WriteJob, 'attempts'>, scope: string, idempotencyKey: string): Promise<WriteEnqueueResult> {
    const deduplicationId = crypto.createHash('sha256').update(`${job.instanceId}\n${scope}\n${idempotencyKey}`).digest('hex');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const added = await Promise.race([
        this.queue.add(job.request.table, { ...job, attempts: [] }, { jobId: job.writeId, deduplication: { id: deduplicationId, ttl: WRITE_IDEMPOTENCY_TTL_MS } }),
        timeout,
      ]);
      const id = added.id ?? job.writeId;
      if (id === job.writeId) this.observer?.accepted(job);
      else this.observer?.duplicate(job, id);
      return { id, duplicate: id !== job.writeId };
    } catch (err) {
      throw new AppError('queue_unavailable', 'The queue is unavailable; retry later', 503, { headers: { 'Retry-After': '5' }, cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}
