import { AppError } from '../lib/errors';
import type { IngestQueue } from '../queues/ingest-queue';
import { changeKey, type ChangeJob } from '../queues/change-job';

/** How long a change stays remembered for deduplication (webhook retries, webhook + poll overlap). */
export const DEDUPE_TTL_MS = 24 * 3600 * 1000;

/** The outcome of one enqueue: the event id, and whether that change had been accepted before. */
export interface EnqueueResult {
  id: string;
  duplicate: boolean;
}

interface Pending {
  change: ChangeJob;
  resolve: (r: EnqueueResult) => void;
  reject: (e: unknown) => void;
}

export interface ChangeEnqueuerOptions {
  /** Longest wait for Redis before answering 503 (default 1500 ms — the contract allows 2 s). */
  timeoutMs?: number;
  /** Most changes sent in one round trip (default 500). */
  maxBatch?: number;
}

/**
 * The only place that puts changes on the ingest queue. Concurrent enqueues are grouped into one
 * `addBulk` (one Redis round trip for the whole group); each change is deduplicated atomically by its
 * change key inside BullMQ's add script, so a duplicate returns the first event's id. A promise resolves
 * only after Redis acknowledged; any Redis failure or a timeout rejects with 503 `queue_unavailable`.
 */
export class ChangeEnqueuer {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly timeoutMs: number;
  private readonly maxBatch: number;

  constructor(private readonly queue: IngestQueue, options: ChangeEnqueuerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.maxBatch = options.maxBatch ?? 500;
  }

  enqueue(change: ChangeJob): Promise<EnqueueResult> {
    return new Promise<EnqueueResult>((resolve, reject) => {
      this.pending.push({ change, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    void this.send(batch);
  }

  private async send(batch: Pending[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const jobs = await Promise.race([
        this.queue.addBulk(
          batch.map(({ change }) => ({
            name: change.table,
            data: change,
            opts: { jobId: change.eventId, deduplication: { id: changeKey(change), ttl: DEDUPE_TTL_MS } },
          })),
        ),
        timeout,
      ]);
      batch.forEach((p, i) => {
        const id = jobs[i]?.id ?? p.change.eventId;
        p.resolve({ id, duplicate: id !== p.change.eventId });
      });
    } catch (err) {
      const error = new AppError('queue_unavailable', 'The queue is unavailable; retry later', 503, {
        headers: { 'Retry-After': '5' },
        cause: err,
      });
      for (const p of batch) p.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
