import { Worker } from 'bullmq';
import type { DeliveryHooks, DeliveryJobData } from '../events/delivery-record';
import { DEFAULT_RETRY_SCHEDULE, retryDelayMs, type RetrySchedule } from '../events/retry-schedule';
import type { HostResolver } from '../lib/ssrf-guard';
import { SubscriberStatus } from '../events/subscriber-status';
import type { Instance } from '../instances/instance';
import { silentLogger, type Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import { DeadLetterQueue } from '../queues/dead-letter';
import { QUEUE_NAMES } from '../queues/queue-names';
import type { RecordLanes } from '../queues/record-lanes';
import type { BreakerGate } from './breaker-gate';
import { lockOptions } from './job-lock';
import { createDeliveryProcessor, type DeliveryResult } from './delivery-processor';
import { RetryLaterError } from './retry-later';

/** Tuning of the delivery worker; every field has a production default. */
export interface DeliveryWorkerOptions {
  /** Deliveries in flight per worker process, so one slow subscriber cannot hold the others up. Default 50. */
  concurrency?: number;
  /** The retry schedule of instances that set none. Default {@link DEFAULT_RETRY_SCHEDULE}. */
  schedule?: Partial<RetrySchedule>;
  /** Per-request timeout in ms. Default 10000. */
  timeoutMs?: number;
  /** Capture each exchange for the event log, with this many bytes of the answer (see SendOptions). Default: off. */
  captureBytes?: number;
  /** Job lock; a job whose worker died is taken up again once it lapses. Default 5000 (see lockOptions). */
  lockDurationMs?: number;
  /** How many times a job may be recovered from a dead worker before it fails. Default 3. */
  maxStalledCount?: number;
  /** Bound of the dead-letter queue. Default 10000. */
  maxDeadLetters?: number;
  /** Host resolver for the SSRF guard (tests). Default: the system resolver. */
  resolve?: HostResolver;
  /** Start consuming at once. Default true. */
  autorun?: boolean;
}

/** What the delivery worker needs. */
export interface DeliveryWorkerDeps {
  /** A 'worker' connection (`connectRedis(target, 'worker')`): waits and reconnects. */
  connection: RedisClient;
  /** BullMQ key prefix of the partition, the producer's. */
  prefix: string;
  /** Where the subscribers' statuses live: the deployment's base prefix. Default `prefix`. */
  controlPrefix?: string;
  /** The instance of a job, looked up at each attempt so configuration changes apply to retries. */
  getInstance(id: string): Instance | undefined;
  hooks?: DeliveryHooks;
  logger?: Logger;
  options?: DeliveryWorkerOptions;
  /** Per-record delivery order (see RecordLanes). */
  lanes?: RecordLanes;
  /** The subscriber circuit breaker (see BreakerGate); without it every delivery is sent. */
  breaker?: BreakerGate;
}

/** A running delivery worker. */
export interface DeliveryWorker {
  readonly worker: Worker<DeliveryJobData, DeliveryResult>;
  readonly deadLetters: DeadLetterQueue;
  readonly subscribers: SubscriberStatus;
  /** Stops taking jobs, lets the running ones finish, and closes its queues. */
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker on the `deliver` queue. Retries wait in the delayed set (the schedule's next step,
 * jittered, or longer when the subscriber's Retry-After asks) so fresh events are never held behind them;
 * deliveries the subscriber's breaker holds wait there too; permanent failures and spent schedules are
 * dead-lettered.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const options = deps.options ?? {};
  const schedule: RetrySchedule = { ...DEFAULT_RETRY_SCHEDULE, ...options.schedule };
  const logger = deps.logger ?? silentLogger;
  const deadLetters = new DeadLetterQueue({ connection: deps.connection, prefix: deps.prefix, maxEntries: options.maxDeadLetters });
  const subscribers = new SubscriberStatus(deps.connection, deps.controlPrefix ?? deps.prefix);
  const processor = createDeliveryProcessor({
    getInstance: deps.getInstance,
    deadLetters,
    subscribers,
    schedule,
    send: { timeoutMs: options.timeoutMs ?? 10_000, resolve: options.resolve, captureBytes: options.captureBytes },
    hooks: deps.hooks ?? {},
    logger,
    lanes: deps.lanes,
    breaker: deps.breaker,
  });
  const worker = new Worker<DeliveryJobData, DeliveryResult>(QUEUE_NAMES.deliver, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: options.concurrency ?? 50,
    ...lockOptions(options.lockDurationMs),
    maxStalledCount: options.maxStalledCount ?? 3,
    autorun: options.autorun ?? true,
    settings: {
      backoffStrategy: (attemptsMade, _type, err) =>
        err instanceof RetryLaterError ? err.retryInMs : retryDelayMs(schedule, attemptsMade) ?? schedule.delaysMs.at(-1) ?? 1000,
    },
  });
  worker.on('error', (err) => logger.warn('delivery worker error', { error: err.message }));
  // A job can also fail outside the processor (its worker died more than maxStalledCount times, or Redis failed
  // it on its last attempt): it still ends in the dead-letter queue, and its record lane moves on.
  worker.on('failed', (job, err) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1) && !/stalled/i.test(err.message)) return;
    const eventId = String(job.data.event.id);
    void (async () => {
      if (await deadLetters.get(eventId)) return;
      const entry = { event: job.data.event, instanceId: job.data.instanceId, reason: 'retries_exhausted' as const, message: err.message, attempts: job.data.attempts, deliveryJobId: job.id ?? eventId, deadLetteredAt: Date.now() };
      await deadLetters.add(entry);
      try {
        deps.hooks?.onDeadLettered?.(entry); // metrics and the event log hear of it like any other dead letter
      } catch {
        // a hook must never break delivery
      }
      if (job.data.lane && deps.lanes) await deps.lanes.leave(job.data.lane, eventId);
      logger.warn('event dead-lettered after failing outside delivery', { eventId, instanceId: job.data.instanceId, err: err.message });
    })().catch((e: Error) => logger.warn('could not dead-letter a failed delivery', { eventId, err: e.message }));
  });
  return {
    worker,
    deadLetters,
    subscribers,
    async close() {
      await worker.close();
      await deadLetters.close();
    },
  };
}
