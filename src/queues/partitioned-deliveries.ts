import type { Job, Queue } from 'bullmq';
import type { DeadLetterEntry } from '../events/delivery-record';
import type { SubscriberStatus } from '../events/subscriber-status';
import { AppError } from '../lib/errors';
import type { DeliveryProducer } from './delivery-producer';
import type { ReplayFilter, ReplayResult } from './delivery-replayer';

/** The dead-lettered events of every partition, as operators and tests read them. */
export interface AllDeadLetters {
  count(): Promise<number>;
  get(eventId: string): Promise<DeadLetterEntry | undefined>;
  /** Newest first across partitions, `start`..`end` inclusive (default the first 50). */
  list(start?: number, end?: number): Promise<DeadLetterEntry[]>;
  /** Every dead letter, partition after partition (each newest first). */
  all(): AsyncGenerator<DeadLetterEntry>;
}

/**
 * The delivery side of every partition seen as one: each partition's producer (its `deliver` and `dead-letter`
 * queues), and what spans them — finding a delivery job whose partition is not known (a breaker's held
 * deliveries and probes, recorded by job id), dead letters, replays and the subscribers' statuses. An event id
 * does not name its partition, so a lookup asks every partition at once.
 */
export class PartitionedDeliveries {
  /** A `getJob` that finds a delivery job in whichever partition holds it. */
  readonly queue: Pick<Queue, 'getJob'>;
  readonly deadLetters: AllDeadLetters;

  /** The producers of the partitions, then of the old partitions while the partition count changes. */
  readonly all: readonly DeliveryProducer[];

  /** `previous`: the old partitions' producers while the partition count changes (their work is still found and replayed). */
  constructor(readonly producers: readonly DeliveryProducer[], readonly previous: readonly DeliveryProducer[] = []) {
    if (producers.length === 0) throw new RangeError('no partition');
    const all = (this.all = [...producers, ...previous]);
    this.queue = { getJob: (id: string) => this.firstOf((p) => p.queue.getJob(id) as Promise<Job | undefined>) };
    this.deadLetters = {
      count: async () => (await Promise.all(all.map((p) => p.deadLetters.count()))).reduce((a, b) => a + b, 0),
      get: (eventId) => this.firstOf((p) => p.deadLetters.get(eventId)),
      list: async (start = 0, end = 49) => {
        const pages = await Promise.all(all.map((p) => p.deadLetters.list(0, end)));
        return pages.flat().sort((a, b) => b.deadLetteredAt - a.deadLetteredAt).slice(start, end + 1);
      },
      all: async function* () {
        for (const p of all) yield* p.deadLetters.all();
      },
    };
  }

  /** The subscribers' statuses (under the base prefix, the same for every partition). */
  get subscribers(): SubscriberStatus {
    return this.producers[0]!.subscribers;
  }

  /** The producer of one partition. */
  partition(p: number): DeliveryProducer {
    const producer = this.producers[p];
    if (!producer) throw new RangeError(`no partition ${p}`);
    return producer;
  }

  /** Replays one event (see DeliveryProducer.replay) from the partition that has it; 404 when none does. */
  async replay(eventIdOrJobId: string): Promise<ReplayResult> {
    for (const producer of this.all) {
      try {
        return await producer.replay(eventIdOrJobId);
      } catch (err) {
        if (!(err instanceof AppError) || err.httpStatus !== 404) throw err;
      }
    }
    throw new AppError('event_not_found', `no dead-lettered or delivered event ${eventIdOrJobId}`, 404);
  }

  /** Replays what matches the filter in every partition, up to its limit in all. */
  async replayMany(filter: ReplayFilter = {}): Promise<ReplayResult[]> {
    const results: ReplayResult[] = [];
    for (const producer of this.all) {
      const limit = (filter.limit ?? 1000) - results.length;
      if (limit <= 0) break;
      results.push(...(await producer.replayMany({ ...filter, limit })));
    }
    return results;
  }

  enableSubscriber(instanceId: string): Promise<boolean> {
    return this.subscribers.enable(instanceId);
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((p) => p.close()));
  }

  private async firstOf<T>(lookup: (producer: DeliveryProducer) => Promise<T | undefined>): Promise<T | undefined> {
    const found = await Promise.all(this.all.map(lookup));
    return found.find((x) => x !== undefined && x !== null);
  }
}
