import { Queue } from 'bullmq';
import type { DeadLetterEntry } from '../events/delivery-record';
import type { RedisClient } from '../lib/redis-connections';
import { QUEUE_NAMES } from './queue-names';

/** Options of {@link DeadLetterQueue}. */
export interface DeadLetterQueueOptions<T = DeadLetterEntry> {
  connection: RedisClient;
  /** BullMQ key prefix (a hash tag such as `{snowgate}`). */
  prefix: string;
  /** Most entries kept; the oldest beyond it are dropped. Default 10000. */
  maxEntries?: number;
  /** The queue holding them. Default `dead-letter` (events). */
  queueName?: string;
  /** An entry's id (its job id): default the event id. */
  idOf?: (entry: T) => string;
  /** An entry's job name: default the event type. */
  nameOf?: (entry: T) => string;
}

const eventId = (entry: unknown) => String((entry as DeadLetterEntry).event.id);
const eventType = (entry: unknown) => String((entry as DeadLetterEntry).event.type);

/**
 * Work given up, in a queue no worker consumes: one waiting job per entry (job id = its id), so operators
 * can list, inspect and replay them. By default the events whose delivery was given up (`dead-letter`,
 * job id = event id, job name = event type); the writes given up use it too (`write-dead-letter`).
 * A new dead letter for the same id replaces the old one.
 */
export class DeadLetterQueue<T = DeadLetterEntry> {
  readonly queue: Queue<T>;
  private readonly maxEntries: number;
  private readonly idOf: (entry: T) => string;
  private readonly nameOf: (entry: T) => string;

  constructor(options: DeadLetterQueueOptions<T>) {
    this.queue = new Queue<T>(options.queueName ?? QUEUE_NAMES.deadLetter, { connection: options.connection, prefix: options.prefix });
    this.maxEntries = options.maxEntries ?? 10_000;
    this.idOf = options.idOf ?? eventId;
    this.nameOf = options.nameOf ?? eventType;
  }

  /** Stores a dead letter (replacing an earlier one of the same id) and trims the oldest beyond the bound. */
  async add(entry: T): Promise<void> {
    const id = this.idOf(entry);
    await this.queue.remove(id);
    await (this.queue as Queue).add(this.nameOf(entry), entry, { jobId: id });
    const excess = (await this.queue.getWaitingCount()) - this.maxEntries;
    if (excess > 0) {
      const oldest = await this.queue.getJobs(['wait'], 0, excess - 1, true);
      await Promise.all(oldest.map((job) => (job.id ? this.queue.remove(job.id) : undefined)));
    }
  }

  async get(id: string): Promise<T | undefined> {
    return (await this.queue.getJob(id))?.data as T | undefined;
  }

  /** Dead letters, newest first, `start`..`end` inclusive (default the first 50). */
  async list(start = 0, end = 49): Promise<T[]> {
    const jobs = await this.queue.getJobs(['wait'], start, end, false);
    return jobs.map((job) => job.data as T);
  }

  /** Every dead letter, newest first, fetched in pages. */
  async *all(pageSize = 500): AsyncGenerator<T> {
    for (let start = 0; ; start += pageSize) {
      const page = await this.list(start, start + pageSize - 1);
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  async count(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  /** Removes a dead letter; true when there was one. */
  async remove(id: string): Promise<boolean> {
    return (await this.queue.remove(id)) === 1;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
