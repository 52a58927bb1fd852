import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { retryDelayMs, type RetrySchedule } from '../events/retry-schedule';
import type { Instance } from '../instances/instance';
import type { Logger } from '../lib/logger';
import type { DeadLetterQueue } from '../queues/dead-letter';
import type { WriteAttempt, WriteJob, WriteResult } from '../queues/write-job';
import type { WriteSlots } from '../queues/write-slots';
import { ServiceNowError } from '../servicenow/servicenow-error';
import type { TableWriter } from '../servicenow/table-writer';
import type { EchoRecords } from '../writes/echo-records';
import type { WriteDeadLetter, WriteDeadLetterReason, WriteError, WriteHooks } from '../writes/write-record';
import { RetryLaterError } from './retry-later';
import { attemptWrite } from './write-attempt';

/** What the write processor works with. */
export interface WriteProcessorDeps {
  getInstance(id: string): Instance | undefined;
  writerFor(instance: Instance): TableWriter;
  echo: EchoRecords;
  slots: WriteSlots;
  deadLetters: DeadLetterQueue<WriteDeadLetter>;
  schedule: RetrySchedule;
  hooks: WriteHooks;
  logger: Logger;
}

/** The result of a write job: ServiceNow's answer and every attempt. */
export interface WriteJobResult {
  result: WriteResult;
  attempts: WriteAttempt[];
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // a hook must never break a write
  }
}

/** A failure as the write's status shows it. */
export function writeErrorOf(err: unknown): WriteError {
  const e = err as { code?: string; message?: string };
  if (err instanceof ServiceNowError) return { code: err.code, message: err.message, status: err.status, serviceNowMessage: err.serviceNowMessage, detail: err.detail };
  return { code: e?.code ?? 'error', message: e?.message ?? String(err) };
}

const isRetryable = (err: unknown) => (err as { retryable?: boolean })?.retryable !== false;

/**
 * The `write` job processor: takes one of the instance's write slots (or waits in the delayed set), makes
 * one attempt, records it in the job, and then completes, throws {@link RetryLaterError} (429 with
 * Retry-After, 5xx, no answer — the schedule not spent), or dead-letters the write and throws BullMQ's
 * UnrecoverableError (any other 4xx, no such record, schedule spent).
 */
export function createWriteProcessor(deps: WriteProcessorDeps): (job: Job<WriteJob>, token?: string) => Promise<WriteJobResult> {
  async function deadLetter(job: Job<WriteJob>, reason: WriteDeadLetterReason, error: WriteError, attempts: WriteAttempt[]): Promise<never> {
    const entry: WriteDeadLetter = { writeId: job.data.writeId, instanceId: job.data.instanceId, job: { ...job.data, attempts }, reason, error, jobId: job.id ?? job.data.writeId, deadLetteredAt: Date.now() };
    await deps.deadLetters.add(entry);
    deps.logger.warn('write dead-lettered', { writeId: entry.writeId, instanceId: entry.instanceId, table: job.data.request.table, reason, code: error.code, status: error.status });
    safely(() => deps.hooks.onDeadLettered?.(entry));
    throw new UnrecoverableError(`${reason}: ${error.message}`);
  }

  return async (job, token) => {
    const data = job.data;
    const instance = deps.getInstance(data.instanceId);
    if (!instance) return deadLetter(job, 'not_configured', { code: 'unknown_instance', message: `instance ${data.instanceId} no longer exists` }, data.attempts);
    const slot = await deps.slots.take(instance.id, instance.writes.maxConcurrency);
    if (!slot) {
      await job.moveToDelayed(Date.now() + 500 + Math.floor(Math.random() * 500), token);
      throw new DelayedError();
    }
    const attempt = job.attemptsMade + 1;
    // an insert that may have reached ServiceNow before looks for its record first (see attemptWrite)
    const maybeCommitted = data.attempts.length > 0 || job.attemptsMade > 0 || job.attemptsStarted > 1 || job.stalledCounter > 0 || data.replayOf !== undefined;
    const at = new Date().toISOString();
    const started = Date.now();
    let done;
    let failure: unknown;
    try {
      done = await attemptWrite(deps.writerFor(instance), deps.echo, data, maybeCommitted);
    } catch (err) {
      failure = err;
    } finally {
      await deps.slots.release(instance.id, slot).catch(() => undefined);
    }
    const durationMs = Date.now() - started;
    const report = { writeId: data.writeId, instanceId: data.instanceId, table: data.request.table, origin: data.origin, request: data.request, jobId: job.id };

    if (done) {
      const record: WriteAttempt = { attempt, at, outcome: done.outcome, status: done.status, durationMs };
      const attempts = [...data.attempts, record];
      safely(() => deps.hooks.onAttempt?.({ ...record, ...report, result: done.result }));
      safely(() => deps.hooks.onSucceeded?.(data, done.result, Date.now() - data.acceptedAt));
      return { result: done.result, attempts };
    }

    const error = writeErrorOf(failure);
    const last = attempt >= (job.opts.attempts ?? 1);
    const retryable = isRetryable(failure);
    const retryInMs = retryable && !last ? retryDelayMs(deps.schedule, attempt, (failure as ServiceNowError).retryAfterMs) : undefined;
    const record: WriteAttempt = { attempt, at, outcome: retryable ? 'retryable' : 'rejected', status: error.status, error: error.message, durationMs, retryInMs };
    const attempts = [...data.attempts, record];
    safely(() => deps.hooks.onAttempt?.({ ...record, ...report }));
    if (retryInMs !== undefined) {
      await job.updateData({ ...data, attempts });
      throw new RetryLaterError(error.message, retryInMs);
    }
    const reason: WriteDeadLetterReason = error.code === 'record_not_found' ? 'record_not_found' : retryable ? 'retries_exhausted' : 'rejected';
    await job.updateData({ ...data, attempts });
    return deadLetter(job, reason, error, attempts);
  };
}
