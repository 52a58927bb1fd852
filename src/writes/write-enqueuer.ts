import crypto from 'node:crypto';
import { AppError, redisUnavailable } from '../lib/errors';
import type { WriteJob } from '../queues/write-job';
import type { ReplicaAck } from '../queues/replica-ack';
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

/** One partition's write queue and its replica acknowledgement. */
export interface WritePartition {
  write: WriteQueue;
  ack?: ReplicaAck;
}

/** The partitions, and the one each idempotency key goes to. */
export interface WriteRoutes {
  partitions: readonly WritePartition[];
  partitionOf(deduplicationId: string): number;
  /** While the partition count changes: the write this key named under the old count, if any. */
  previousOwner?(deduplicationId: string): Promise<string | null>;
}

/**
 * The only place that queues writes. A write is one BullMQ job (job id = write id) deduplicated by its
 * idempotency key inside BullMQ's add — one round trip, atomic: the same key within 24 h answers the first
 * write's id and queues nothing. With several partitions, a write goes to the partition of its idempotency key,
 * so that the same key always meets its first write. Resolves only after Redis acknowledged (and, when asked,
 * the partition's replicas); a Redis failure or no answer within `timeoutMs` (default 1500) rejects with 503
 * `queue_unavailable`.
 */
export class WriteEnqueuer {
  private readonly timeoutMs: number;
  private readonly routes: WriteRoutes;

  private readonly observer?: WriteEnqueueObserver;

  constructor(queue: WriteQueue | WriteRoutes, options: { timeoutMs?: number; observer?: WriteEnqueueObserver } = {}) {
    this.routes = 'partitions' in queue ? queue : { partitions: [{ write: queue }], partitionOf: () => 0 };
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.observer = options.observer;
  }

  /**
   * `scope` names the door and action (`action|access-log`, `direct`), so keys of different doors never meet.
   * With `sameRequest`, a key used before for a different request (table, operation, target or fields) is
   * refused with 422 `idempotency_key_reused` instead of answering the first write's id.
   */
  async enqueue(job: Omit<WriteJob, 'attempts'>, scope: string, idempotencyKey: string, options: { sameRequest?: boolean } = {}): Promise<WriteEnqueueResult> {
    const deduplicationId = crypto.createHash('sha256').update(`${job.instanceId}\n${scope}\n${idempotencyKey}`).digest('hex');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const partition = this.routes.partitions[this.routes.partitionOf(deduplicationId)]!;
    const add = async () => {
      const before = await this.routes.previousOwner?.(deduplicationId);
      if (before) return { id: before };
      const added = await partition.write.add(job.request.table, { ...job, attempts: [] }, { jobId: job.writeId, deduplication: { id: deduplicationId, ttl: WRITE_IDEMPOTENCY_TTL_MS } });
      await partition.ack?.();
      if (options.sameRequest && added.id && added.id !== job.writeId) {
        const first = await partition.write.getJob(added.id);
        if (first && canonicalJson(first.data.request) !== canonicalJson(job.request)) return { id: added.id, reused: true };
      }
      return added;
    };
    try {
      const added: { id?: string; reused?: boolean } = await Promise.race([add(), timeout]);
      if (added.reused) {
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used for a different write request; send the same request again, or a new key', 422, { details: [{ path: '/', message: `first used for write ${added.id}` }] });
      }
      const id = added.id ?? job.writeId;
      if (id === job.writeId) this.observer?.accepted(job);
      else this.observer?.duplicate(job, id);
      return { id, duplicate: id !== job.writeId };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw redisUnavailable('queue_unavailable', 'The queue is unavailable; retry later', err);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** JSON with every object's keys sorted, so the same request in another key order compares equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
