import { Queue } from 'bullmq';
import type { DeadLetterEntry } from '../events/delivery-record';
import type { RedisClient } from '../lib/redis-connections';
import { QUEUE_NAMES } from './queue-names';

/** Options of {@link DeadLetterQueue}. */
export interface DeadLetterQueueOptions {
  connection: RedisClient;
  /** BullMQ key prefix (a hash tag such as `{snowgate}`). */
  prefix: string;
  /** Most entries kept; the oldest beyond it are dropped. Default 10000. */
  maxEntries?: number;
}

/**
 * Events whose delivery was given up, in the `dead-letter` queue: one waiting job per event (job id =
 * event id, job name = event type) that no worker consumes, so operators can list, inspect and replay them.
 * A new dead letter for the same event replaces the old one.
 */
export class DeadLetterQueue {
  readonly queue: Queue<DeadLetterEntry>;
  private readonly maxEntries: number;

  constructor(options: DeadLetterQueueOptions) {
    this.queue = new Queue<DeadLetterEntry>(QUEUE_NAMES.deadLetter, { connection: options.connection, prefix: options.prefix });
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Stores a dead letter (replacing an earlier one of the same event) and trims the oldest beyond the bound. */
  async add(entry: DeadLetterEntry): Promise<void> {
    const eventId = String(entry.event.id);
    await this.queue.remove(eventId);
    await this.queue.add(String(entry.event.type), entry, { jobId: eventId });
    const excess = (await this.queue.getWaitingCount()) - this.maxEntries;
    if (excess > 0) {
      const oldest = await this.queue.getJobs(['wait'], 0, excess - 1, true);
      await Promise.all(oldest.map((job) => (job.id ? this.queue.remove(job.id) : undefined)));
    }
  }

  async get(eventId: string): Promise<DeadLetterEntry | undefined> {
    return (await this.queue.getJob(eventId))?.data as DeadLetterEntry | undefined;
  }

  /** Dead letters, newest first, `start`..`end` inclusive (default the first 50). */
  async list(start = 0, end = 49): Promise<DeadLetterEntry[]> {
    const jobs = await this.queue.getJobs(['wait'], start, end, false);
    return jobs.map((job) => job.data as DeadLetterEntry);
  }

  /** Every dead letter, newest first, fetched in pages. */
  async *all(pageSize = 500): AsyncGenerator<DeadLetterEntry> {
    for (let start = 0; ; start += pageSize) {
      const page = await this.list(start, start + pageSize - 1);
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  async count(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  /** Removes an event's dead letter; true when there was one. */
  async remove(eventId: string): Promise<boolean> {
    return (await this.queue.remove(eventId)) === 1;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
