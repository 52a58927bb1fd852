import { Queue, type KeepJobs } from 'bullmq';
import type { DeliveryJobData } from '../events/delivery-record';
import { SubscriberStatus } from '../events/subscriber-status';
import type { SnowgateEvent } from '../events/to-cloud-event';
import { AppError } from '../lib/errors';
import type { RedisClient } from '../lib/redis-connections';
import { DeadLetterQueue } from './dead-letter';
import { QUEUE_NAMES } from './queue-names';
import { DeliveryReplayer, type ReplayFilter, type ReplayResult } from './delivery-replayer';

/** The BullMQ backoff type of delivery jobs; the delivery worker registers the strategy that computes it. */
export const DELIVERY_BACKOFF_TYPE = 'snowgate-delivery';

/** Options of {@link DeliveryProducer}. */
export interface DeliveryProducerOptions {
  /** A 'producer' connection (fails fast while Redis is down). */
  connection: RedisClient;
  /** BullMQ key prefix of the partition (a hash tag such as `{snowgate}`). */
  prefix: string;
  /** Where the subscribers' statuses live, shared by every partition: the deployment's base prefix. Default `prefix`. */
  controlPrefix?: string;
  /** How long / how many delivered jobs (and their events) are kept for replay. Default 7 days, 10000. */
  keepDelivered?: KeepJobs;
  /** How long / how many given-up jobs are kept (their events are in the dead-letter queue too). Default 7 days, 10000. */
  keepFailed?: KeepJobs;
  /** Bound of the dead-letter queue. Default 10000. */
  maxDeadLetters?: number;
}

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * BullMQ's cap on a delivery job's attempts: above any schedule (at most 20 retries), since the retry
 * schedule, not BullMQ, decides when a delivery is spent (see createDeliveryProcessor).
 */
const MAX_DELIVERY_ATTEMPTS = 25;

/**
 * Puts normalized events on the `deliver` queue (job id = event id, so enqueueing an event twice is a
 * no-op) and replays dead-lettered or delivered ones under new job ids with the same CloudEvent id.
 */
export class DeliveryProducer {
  readonly queue: Queue<DeliveryJobData>;
  readonly deadLetters: DeadLetterQueue;
  readonly subscribers: SubscriberStatus;
  private readonly replayer: DeliveryReplayer;
  private readonly jobOptions: { attempts: number; removeOnComplete: KeepJobs; removeOnFail: KeepJobs };

  constructor(options: DeliveryProducerOptions) {
    this.queue = new Queue<DeliveryJobData>(QUEUE_NAMES.deliver, { connection: options.connection, prefix: options.prefix });
    this.deadLetters = new DeadLetterQueue({ connection: options.connection, prefix: options.prefix, maxEntries: options.maxDeadLetters });
    this.subscribers = new SubscriberStatus(options.connection, options.controlPrefix ?? options.prefix);
    const keepDelivered = options.keepDelivered ?? { age: WEEK_SECONDS, count: 10_000 };
    this.jobOptions = {
      attempts: MAX_DELIVERY_ATTEMPTS,
      removeOnComplete: keepDelivered,
      removeOnFail: options.keepFailed ?? { age: WEEK_SECONDS, count: 10_000 },
    };
    this.replayer = new DeliveryReplayer({
      redis: options.connection,
      prefix: options.prefix,
      queue: this.queue,
      deadLetters: this.deadLetters,
      subscribers: this.subscribers,
      counterTtlSeconds: 'age' in keepDelivered ? keepDelivered.age : WEEK_SECONDS,
      add: (jobId, data, replayOf) => this.add(jobId, data, replayOf),
    });
  }

  /** Queues one event for delivery to the instance's subscriber; resolves with the job id (the event id). */
  async enqueue(event: SnowgateEvent, instanceId: string, lane?: DeliveryJobData['lane'], firstAttempt?: DeliveryJobData['firstAttempt']): Promise<{ jobId: string }> {
    if (event.id.includes(':')) throw new AppError('invalid_event_id', `event id ${event.id} contains ':'`, 500, { retryable: false });
    const data: DeliveryJobData = { event: event.toJSON(), instanceId, attempts: [], enqueuedAt: Date.now(), ...(lane ? { lane } : {}), ...(firstAttempt ? { firstAttempt } : {}) };
    return this.add(event.id, data);
  }

  /**
   * Re-delivers one event: by event id (its dead letter, else its latest delivered job) or by delivery job id.
   * The new job is `{eventId}-r{n}`; the CloudEvent (and so `webhook-id`) is unchanged. Enables the
   * instance's subscriber again. Throws AppError 404 `event_not_found`, 409 `delivery_in_progress`.
   */
  replay(eventIdOrJobId: string): Promise<ReplayResult> {
    return this.replayer.replay(eventIdOrJobId);
  }

  /** Re-delivers every dead-lettered (and, if asked, delivered) event matching the filter; see {@link ReplayFilter}. */
  replayMany(filter: ReplayFilter = {}): Promise<ReplayResult[]> {
    return this.replayer.replayMany(filter);
  }

  /** Enables an instance's subscriber after a 410 (call it when the instance is updated); true when it was disabled. */
  enableSubscriber(instanceId: string): Promise<boolean> {
    return this.subscribers.enable(instanceId);
  }

  async close(): Promise<void> {
    await Promise.all([this.queue.close(), this.deadLetters.close()]);
  }

  private async add(jobId: string, data: DeliveryJobData, replayOf?: string): Promise<{ jobId: string }> {
    const job = await this.queue.add(String(data.event.type), replayOf ? { ...data, replayOf } : data, {
      ...this.jobOptions,
      jobId,
      backoff: { type: DELIVERY_BACKOFF_TYPE },
    });
    return { jobId: job.id ?? jobId };
  }
}
