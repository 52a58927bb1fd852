import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { DeadLetterReason, DeliveryHooks, DeliveryJobData, AttemptRecord } from '../events/delivery-record';
import type { AttemptOutcome } from '../events/delivery-outcome';
import { retryDelayMs, scheduleSpanMs, type RetrySchedule } from '../events/retry-schedule';
import { sendEvent, type SendOptions } from '../events/send-event';
import type { Admission } from '../events/subscriber-breaker';
import type { SubscriberStatus } from '../events/subscriber-status';
import { eventFromJson } from '../events/to-cloud-event';
import type { Instance } from '../instances/instance';
import type { Logger } from '../lib/logger';
import type { DeadLetterQueue } from '../queues/dead-letter';
import type { RecordLanes } from '../queues/record-lanes';
import type { BreakerGate } from './breaker-gate';
import { deliveryTarget } from './delivery-target';
import { RetryLaterError } from './retry-later';

/** What the processor works with. */
export interface DeliveryProcessorDeps {
  getInstance(id: string): Instance | undefined;
  deadLetters: DeadLetterQueue;
  subscribers: SubscriberStatus;
  /** The schedule of instances that do not set `event.notification.retry_schedule`. */
  schedule: RetrySchedule;
  send: SendOptions;
  hooks: DeliveryHooks;
  logger: Logger;
  /** Per-record order: a delivery waits while an earlier event of its record is pending. */
  lanes?: RecordLanes;
  /** The subscriber circuit breaker: without it, every delivery is sent when its turn comes. */
  breaker?: BreakerGate;
}

/** How long a delivery waits before looking again whether its record's earlier event went out. */
function laneWaitMs(waits: number): number {
  return Math.min(2000, 20 * 2 ** Math.min(waits, 7));
}

/** The result of a delivered job. */
export interface DeliveryResult {
  status: number;
  attempts: number;
}

/** The schedule of one instance: its own steps when it sets them, the deployment's otherwise. */
export function scheduleOf(instance: Instance | undefined, fallback: RetrySchedule): RetrySchedule {
  const delaysMs = instance?.events.retryDelaysMs;
  return delaysMs ? { ...fallback, delaysMs } : fallback;
}

function describe(outcome: AttemptOutcome): string {
  return outcome.status !== undefined ? `subscriber answered ${outcome.status}` : outcome.error ?? outcome.kind;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // a metrics hook must never break delivery
  }
}

/**
 * The `deliver` job processor: checks the instance and its subscriber, asks the subscriber's breaker, sends
 * the signed event once, records the attempt in the job, and then completes (2xx), throws
 * {@link RetryLaterError} (retryable, schedule not spent), waits held (breaker open: no attempt spent), or
 * dead-letters and throws BullMQ's UnrecoverableError (permanent, 410, or schedule spent).
 *
 * The schedule is spent when its last step's attempt failed, or — for a delivery held by an open breaker —
 * when its whole span has passed since it was queued and the subscriber is still failing.
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps): (job: Job<DeliveryJobData>, token?: string) => Promise<DeliveryResult> {
  async function deadLetter(job: Job<DeliveryJobData>, reason: DeadLetterReason, message: string, attempts: AttemptRecord[]): Promise<never> {
    const { event, instanceId } = job.data;
    const entry = { event, instanceId, reason, message, attempts, deliveryJobId: job.id ?? String(event.id), deadLetteredAt: Date.now() };
    await deps.deadLetters.add(entry);
    deps.logger.warn('event dead-lettered', { eventId: event.id, eventType: event.type, instanceId, reason, detail: message, attempts: attempts.length });
    safely(() => deps.hooks.onDeadLettered?.(entry));
    throw new UnrecoverableError(`${reason}: ${message}`);
  }

  /** Parks a delivery the breaker holds; it is woken when the breaker closes or picks it as the probe. */
  async function hold(job: Job<DeliveryJobData>, token: string | undefined, schedule: RetrySchedule, attempts: AttemptRecord[]): Promise<never> {
    const { instanceId } = job.data;
    if (Date.now() >= job.data.enqueuedAt + scheduleSpanMs(schedule)) {
      await deps.breaker!.forget(instanceId, job.id!);
      return deadLetter(job, 'retries_exhausted', `the schedule's span passed while the subscriber's circuit breaker stayed open (${attempts.length} attempts)`, attempts);
    }
    await job.moveToDelayed(Date.now() + deps.breaker!.holdRecheckMs, token);
    safely(() => deps.hooks.onHeld?.({ eventId: String(job.data.event.id), instanceId, jobId: job.id!, recheckInMs: deps.breaker!.holdRecheckMs }));
    // the breaker may have closed between the admission and the move: its release could not see this job yet
    if (await deps.breaker!.isClosed(instanceId)) await job.promote().catch(() => undefined);
    throw new DelayedError();
  }

  const deliver = async (job: Job<DeliveryJobData>, token?: string): Promise<DeliveryResult> => {
    const data = job.data;
    const event = eventFromJson(data.event);
    const instance = deps.getInstance(data.instanceId);
    const target = deliveryTarget(instance, data.instanceId);
    if ('unavailable' in target) return deadLetter(job, target.unavailable, target.message, data.attempts);
    const disabled = await deps.subscribers.get(data.instanceId);
    if (disabled) {
      return deadLetter(job, 'subscriber_disabled', `subscriber of ${data.instanceId} answered 410 to ${disabled.eventId} and is disabled`, data.attempts);
    }
    const schedule = scheduleOf(instance, deps.schedule);

    const pending = data.attempts.length === 0 ? data.firstAttempt : undefined; // made inline by the ingest worker: settle it, don't send twice
    let admission: Admission = 'send';
    if (!pending && deps.breaker) {
      admission = await deps.breaker.admit(data.instanceId, job.id!);
      if (admission === 'hold') return hold(job, token, schedule, data.attempts);
    }
    const at = pending?.at ?? new Date().toISOString();
    const outcome = pending?.outcome ?? (await sendEvent(event, target, deps.send));
    if (!pending) await deps.breaker?.record(data.instanceId, job.id!, outcome);
    const probeFailed = admission === 'probe' && outcome.kind === 'retryable';
    const retry = job.attemptsMade + 1; // held time and failed probes spend no attempt
    const capped = retry >= (job.opts.attempts ?? 1);
    const retryInMs = outcome.kind === 'retryable' && !probeFailed && !capped ? retryDelayMs(schedule, retry, outcome.retryAfterMs) : undefined;
    const record: AttemptRecord = {
      attempt: data.attempts.length + 1,
      at,
      kind: outcome.kind,
      status: outcome.status,
      error: outcome.error,
      durationMs: outcome.durationMs,
      retryInMs,
      ...(admission === 'probe' ? { probe: true } : {}),
    };
    const attempts = [...data.attempts, record];
    // a first-time success needs no history (the job's result says it); anything else keeps the attempt for retries and dead letters
    if (outcome.kind !== 'delivered' || attempts.length > 1) await job.updateData({ ...data, attempts });
    const report = { ...outcome, eventId: event.id, eventType: event.type, instanceId: data.instanceId, attempt: record.attempt, retryInMs, at, jobId: job.id, ...(pending ? { inline: true } : {}), ...(record.probe ? { probe: true } : {}) };
    safely(() => deps.hooks.onAttempt?.(report));

    switch (outcome.kind) {
      case 'delivered':
        safely(() => deps.hooks.onDelivered?.(event, Date.now() - data.enqueuedAt, attempts.length));
        return { status: outcome.status ?? 200, attempts: attempts.length };
      case 'retryable':
        if (probeFailed) {
          await deps.breaker!.hold(data.instanceId, job.id!);
          return hold(job, token, schedule, attempts);
        }
        if (retryInMs === undefined) return deadLetter(job, 'retries_exhausted', `${attempts.length} attempts; last: ${describe(outcome)}`, attempts);
        throw new RetryLaterError(describe(outcome), retryInMs);
      case 'gone':
        await deps.subscribers.disable({ instanceId: data.instanceId, at: Date.now(), eventId: event.id, status: outcome.status ?? 410 });
        return deadLetter(job, 'subscriber_gone', `${describe(outcome)}; subscriber disabled`, attempts);
      default:
        return deadLetter(job, (outcome.reason as DeadLetterReason | undefined) ?? 'rejected', describe(outcome), attempts);
    }
  };

  return async (job: Job<DeliveryJobData>, token?: string) => {
    const lane = deps.lanes && job.data.lane && job.id === job.data.event.id ? job.data.lane : undefined;
    if (lane && !(await deps.lanes!.isTurn(lane, job.id!))) {
      const waits = job.data.laneWaits ?? 0;
      await job.updateData({ ...job.data, laneWaits: waits + 1 });
      await job.moveToDelayed(Date.now() + laneWaitMs(waits), token);
      throw new DelayedError();
    }
    let final = false;
    try {
      const result = await deliver(job, token);
      final = true;
      return result;
    } catch (err) {
      final = err instanceof UnrecoverableError; // dead-lettered; anything else is retried
      throw err;
    } finally {
      if (lane && final) await deps.lanes!.leave(lane, job.id!);
    }
  };
}
