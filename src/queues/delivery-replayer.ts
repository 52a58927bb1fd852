import type { Job, Queue } from 'bullmq';
import type { DeliveryJobData } from '../events/delivery-record';
import type { SubscriberStatus } from '../events/subscriber-status';
import { AppError } from '../lib/errors';
import type { RedisClient } from '../lib/redis-connections';
import type { DeadLetterQueue } from './dead-letter';
import { latestReplayJobId, nextReplayJobId } from './replay-counter';

/** What a replay did. */
export interface ReplayResult {
  eventId: string;
  instanceId: string;
  /** The new delivery job: `{eventId}-r{n}`. */
  jobId: string;
  /** The job (or dead letter's job) replayed. */
  replayOf: string;
  from: 'dead-letter' | 'delivered' | 'failed';
}

/** Which events a bulk replay takes. Times match when the event was dead-lettered (or delivered). */
export interface ReplayFilter {
  instanceId?: string;
  /** CloudEvent type, e.g. `com.servicenow.case.updated`. */
  type?: string;
  /** Inclusive lower bound, Date or epoch ms. */
  from?: Date | number;
  /** Inclusive upper bound, Date or epoch ms. */
  to?: Date | number;
  /** Which events to look at. Default `['dead-letter']`. */
  include?: Array<'dead-letter' | 'delivered'>;
  /** Most events replayed in one call. Default 1000. */
  limit?: number;
}

/** What {@link DeliveryReplayer} works with; the producer supplies it. */
export interface DeliveryReplayerDeps {
  redis: RedisClient;
  prefix: string;
  queue: Queue<DeliveryJobData>;
  deadLetters: DeadLetterQueue;
  subscribers: SubscriberStatus;
  /** How long the per-event replay counter lives (as long as delivered jobs are kept). */
  counterTtlSeconds: number;
  add(jobId: string, data: DeliveryJobData, replayOf: string): Promise<{ jobId: string }>;
}

interface Found {
  event: Record<string, unknown>;
  instanceId: string;
  replayOf: string;
  from: ReplayResult['from'];
}

const IN_PROGRESS = new Set(['active', 'waiting', 'wait', 'delayed', 'prioritized', 'waiting-children', 'paused']);

/** Finds the last delivery of an event (dead letter or kept job) and re-enqueues it as `{eventId}-r{n}`. */
export class DeliveryReplayer {
  constructor(private readonly deps: DeliveryReplayerDeps) {}

  async replay(eventIdOrJobId: string): Promise<ReplayResult> {
    const found = await this.find(eventIdOrJobId);
    const eventId = String(found.event.id);
    const replayJobId = await nextReplayJobId(this.deps.redis, this.counterKey(eventId), eventId, this.deps.counterTtlSeconds);
    await this.deps.subscribers.enable(found.instanceId);
    const data: DeliveryJobData = { event: found.event, instanceId: found.instanceId, attempts: [], enqueuedAt: Date.now() };
    const { jobId } = await this.deps.add(replayJobId, data, found.replayOf);
    if (found.from === 'dead-letter') await this.deps.deadLetters.remove(eventId);
    return { eventId, instanceId: found.instanceId, jobId, replayOf: found.replayOf, from: found.from };
  }

  async replayMany(filter: ReplayFilter): Promise<ReplayResult[]> {
    const limit = filter.limit ?? 1000;
    const from = filter.from === undefined ? -Infinity : Number(filter.from);
    const to = filter.to === undefined ? Infinity : Number(filter.to);
    const matches = (event: Record<string, unknown>, instanceId: string, at: number) =>
      (!filter.instanceId || filter.instanceId === instanceId) && (!filter.type || filter.type === event.type) && at >= from && at <= to;
    const ids = new Set<string>();
    const include = filter.include ?? ['dead-letter'];
    if (include.includes('dead-letter')) {
      for await (const entry of this.deps.deadLetters.all()) {
        if (ids.size >= limit) break;
        if (matches(entry.event, entry.instanceId, entry.deadLetteredAt)) ids.add(String(entry.event.id));
      }
    }
    if (include.includes('delivered')) {
      for (let start = 0; ids.size < limit; start += 500) {
        const page = await this.deps.queue.getJobs(['completed'], start, start + 499);
        for (const job of page) {
          const data = job.data as DeliveryJobData;
          if (ids.size < limit && matches(data.event, data.instanceId, job.finishedOn ?? 0)) ids.add(String(data.event.id));
        }
        if (page.length < 500) break;
      }
    }
    const results: ReplayResult[] = [];
    for (const id of ids) {
      try {
        results.push(await this.replay(id));
      } catch (err) {
        if (!(err instanceof AppError) || err.httpStatus !== 409) throw err;
      }
    }
    return results;
  }

  private counterKey(eventId: string): string {
    return `${this.deps.prefix}:delivery-replays:${eventId}`;
  }

  /** A job id names that delivery; an event id names its latest delivery (or its dead letter). */
  private async find(id: string): Promise<Found> {
    const direct = (await this.deps.queue.getJob(id)) as Job<DeliveryJobData> | undefined;
    if (direct && String(direct.data.event.id) !== id) return this.fromJob(direct);
    const latestId = await latestReplayJobId(this.deps.redis, this.counterKey(id), id);
    const latest = latestId !== id ? ((await this.deps.queue.getJob(latestId)) as Job<DeliveryJobData> | undefined) : direct;
    if (latest && IN_PROGRESS.has(await latest.getState())) throw inProgress(latest.id ?? id);
    const dead = await this.deps.deadLetters.get(id);
    if (dead) return { event: dead.event, instanceId: dead.instanceId, replayOf: dead.deliveryJobId, from: 'dead-letter' };
    if (latest) return this.fromJob(latest);
    if (direct) return this.fromJob(direct);
    throw new AppError('event_not_found', `no dead-lettered or delivered event ${id}`, 404);
  }

  private async fromJob(job: Job<DeliveryJobData>): Promise<Found> {
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') throw inProgress(job.id ?? '');
    const from = state === 'completed' ? 'delivered' : 'failed';
    return { event: job.data.event, instanceId: job.data.instanceId, replayOf: job.id ?? '', from };
  }
}

function inProgress(jobId: string): AppError {
  return new AppError('delivery_in_progress', `delivery ${jobId} is still queued or running`, 409);
}
