import crypto from 'node:crypto';
import { redisUnavailable } from '../lib/errors';
import { CLAIM_TTL_MS, type ChangeClaims } from '../queues/change-claims';
import { changeKey, type ChangeJob } from '../queues/change-job';
import type { IngestQueue } from '../queues/ingest-queue';
import type { IntakeQueue } from '../queues/intake-queue';
import type { ReplicaAck } from '../queues/replica-ack';

/** The outcome of one enqueue: the event id, and whether that change had been accepted before. */
export interface EnqueueResult {
  id: string;
  duplicate: boolean;
}

/** Told of each change once Redis has it: accepted as a new event, or a duplicate of an earlier one (the event log). Must not throw or wait. */
export interface EnqueueObserver {
  accepted(change: ChangeJob, requestId?: string): void;
  duplicate(change: ChangeJob, ownerId: string, requestId?: string): void;
}

interface Pending {
  change: ChangeJob;
  requestId?: string;
  resolve: (r: EnqueueResult) => void;
  reject: (e: unknown) => void;
}

/** Where accepted changes go, and their deduplication: one partition's queues. */
export interface ChangeEnqueuerQueues {
  intake: IntakeQueue;
  ingest: IngestQueue;
  claims: ChangeClaims;
  /** Waits for the partition's replicas to hold what was just queued (SNOWGATE_REDIS_WAIT_REPLICAS); absent: no wait. */
  ack?: ReplicaAck;
}

/** Several partitions, and the one each change goes to (the partition of its record). */
export interface ChangeRoutes {
  partitions: readonly ChangeEnqueuerQueues[];
  partitionOf(change: ChangeJob): number;
  /** While the partition count changes: each change's owner under the old count, if it was accepted then (null if not). */
  previousOwners?(changes: readonly ChangeJob[]): Promise<Array<string | null>>;
}

export interface ChangeEnqueuerOptions {
  /** Longest wait for Redis before answering 503 (default 1500 ms — the contract allows 2 s). */
  timeoutMs?: number;
  /** Most changes sent in one round trip (default 500). */
  maxBatch?: number;
  /** Groups of at least this many changes go as one intake job; smaller ones straight to ingest (default 4). */
  intakeFrom?: number;
  /**
   * Whether the process is saturated (default: always). Groups go as intake jobs only while it is: the
   * fan-out is more work in all, worth it only to unburden a request path that is the bottleneck.
   */
  saturated?: () => boolean;
  observer?: EnqueueObserver;
}

/**
 * The only place that accepts changes. Concurrent enqueues are grouped, and a group takes one of two paths:
 * - small, or the process not saturated (the common case): its ingest jobs at once, each claimed atomically
 *   inside BullMQ's add (deduplication by change key) — one round trip, no extra hop (a lone change by
 *   `add`, a group by `addBulk`);
 * - large (≥ `intakeFrom`) while the process is saturated: one `intake` job holding the whole group (one
 *   BullMQ add whatever its size; the intake worker fans it out into ingest jobs later, off the request
 *   path), then each change claimed for its event id (one script). The job goes first so that no change is ever claimed without being queued;
 *   the fan-out claims again and drops what another event owns, so a crash between the two steps loses
 *   nothing and doubles nothing.
 * A change claimed before is a duplicate and answers with the first event's id. With several partitions, a
 * group is split by the partitions of its records and each part goes to its own. A promise resolves only
 * after Redis acknowledged (and, when asked, the partition's replicas); any Redis failure or a timeout
 * rejects with 503 `queue_unavailable`.
 */
export class ChangeEnqueuer {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly timeoutMs: number;
  private readonly maxBatch: number;
  private readonly intakeFrom: number;
  private readonly saturated: () => boolean;
  private readonly routes: ChangeRoutes;

  constructor(queues: ChangeEnqueuerQueues | ChangeRoutes, private readonly options: ChangeEnqueuerOptions = {}) {
    this.routes = 'partitions' in queues ? queues : { partitions: [queues], partitionOf: () => 0 };
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.maxBatch = options.maxBatch ?? 500;
    this.intakeFrom = options.intakeFrom ?? 4;
    this.saturated = options.saturated ?? (() => true);
  }

  /** Accepts one change; `requestId` (the webhook's X-Request-Id) is passed on to the observer. */
  enqueue(change: ChangeJob, requestId?: string): Promise<EnqueueResult> {
    return new Promise<EnqueueResult>((resolve, reject) => {
      this.pending.push({ change, requestId, resolve, reject });
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
    if (this.routes.partitions.length === 1) return this.sendTo(this.routes.partitions[0]!, batch);
    const groups = new Map<number, Pending[]>();
    for (const p of batch) {
      const partition = this.routes.partitionOf(p.change);
      const group = groups.get(partition);
      if (group) group.push(p);
      else groups.set(partition, [p]);
    }
    await Promise.all([...groups].map(([partition, group]) => this.sendTo(this.routes.partitions[partition]!, group)));
  }

  private async sendTo(queues: ChangeEnqueuerQueues, batch: Pending[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const changes = batch.map((p) => p.change);
      const owners = await Promise.race([this.queueDurably(queues, changes), timeout]);
      const { observer } = this.options;
      batch.forEach((p, i) => {
        const id = owners[i] ?? p.change.eventId;
        p.resolve({ id, duplicate: id !== p.change.eventId });
        if (id === p.change.eventId) observer?.accepted(p.change, p.requestId);
        else observer?.duplicate(p.change, id, p.requestId);
      });
    } catch (err) {
      const error = redisUnavailable('queue_unavailable', 'The queue is unavailable; retry later', err);
      for (const p of batch) p.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Queues and claims the changes (but those accepted under the old partition count), then waits for the partition's replicas when asked. */
  private async queueDurably(queues: ChangeEnqueuerQueues, changes: ChangeJob[]): Promise<string[]> {
    const before = (await this.routes.previousOwners?.(changes)) ?? [];
    const fresh = changes.filter((_, i) => !before[i]);
    const owners = fresh.length > 0 ? await this.queueAndClaim(queues, fresh) : [];
    await queues.ack?.();
    let next = 0;
    return changes.map((_, i) => before[i] ?? owners[next++]!);
  }

  /** Queues the changes and returns, in order, the event id that owns each one. */
  private async queueAndClaim(queues: ChangeEnqueuerQueues, changes: ChangeJob[]): Promise<string[]> {
    if (changes.length >= this.intakeFrom && this.saturated()) {
      await queues.intake.add('changes', { changes }, { jobId: crypto.randomUUID() });
      return queues.claims.claim(changes);
    }
    const opts = (change: ChangeJob) => ({ jobId: change.eventId, deduplication: { id: changeKey(change), ttl: CLAIM_TTL_MS } });
    if (changes.length === 1) {
      // the common case (one webhook in a turn): one script call, without the pipeline addBulk builds — making an
      // ioredis pipeline copies every script BullMQ defined onto it, ~10% of an api process's CPU at 250 webhooks/s
      const [change] = changes as [ChangeJob];
      const job = await queues.ingest.add(change.table, change, opts(change));
      return [job.id ?? change.eventId];
    }
    const jobs = await queues.ingest.addBulk(changes.map((change) => ({ name: change.table, data: change, opts: opts(change) })));
    return jobs.map((job, i) => job.id ?? changes[i].eventId);
  }
}
