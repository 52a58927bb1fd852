import { Worker } from 'bullmq';
import { DEFAULT_RETRY_SCHEDULE, DEFAULT_WRITE_STEPS, retryDelayMs, type RetrySchedule } from '../events/retry-schedule';
import { parseDurationList } from '../lib/durations';
import type { Instance } from '../instances/instance';
import { silentLogger, type Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import { DeadLetterQueue } from '../queues/dead-letter';
import { QUEUE_NAMES } from '../queues/queue-names';
import type { WriteJob } from '../queues/write-job';
import { WriteSlots } from '../queues/write-slots';
import { lockOptions } from './job-lock';
import type { TableWriter } from '../servicenow/table-writer';
import type { EchoRecords } from '../writes/echo-records';
import type { WriteDeadLetter, WriteHooks } from '../writes/write-record';
import { RetryLaterError } from './retry-later';
import { createWriteProcessor, writeErrorOf, type WriteJobResult } from './write-processor';

/** What the write worker needs. */
export interface WriteWorkerDeps {
  /** A 'worker' connection: waits and reconnects while Redis is away. */
  connection: RedisClient;
  prefix: string;
  getInstance(id: string): Instance | undefined;
  writerFor(instance: Instance): TableWriter;
  /** Echo records and write slots: small commands, best on the pipelined hot-path connection. */
  echo: EchoRecords;
  slots?: WriteSlots;
  hooks?: WriteHooks;
  logger?: Logger;
  /** Writes in flight per process (each instance is capped by its `writes.max_concurrency` besides). Default 50. */
  concurrency?: number;
  /** Job lock; a job whose worker died is taken up again once it lapses. Default 5000 (see lockOptions). */
  lockDurationMs?: number;
  /** Retry delays (the attempt count is the job's). Default: the steps of DEFAULT_WRITE_STEPS, each ±10 %; Retry-After honoured. */
  schedule?: Partial<RetrySchedule>;
}

/** A running write worker. */
export interface WriteWorker {
  readonly worker: Worker<WriteJob, WriteJobResult>;
  readonly deadLetters: DeadLetterQueue<WriteDeadLetter>;
  close(): Promise<void>;
}

/** The dead letters of writes (`write-dead-letter`, job id = write id, job name = table). */
export function openWriteDeadLetters(connection: RedisClient, prefix: string): DeadLetterQueue<WriteDeadLetter> {
  return new DeadLetterQueue<WriteDeadLetter>({ connection, prefix, queueName: QUEUE_NAMES.writeDeadLetter, idOf: (e) => e.writeId, nameOf: (e) => e.job.request.table });
}

/**
 * Starts a BullMQ worker on the `write` queue: each job writes one record into ServiceNow (see
 * createWriteProcessor). Retries wait in the delayed set; a job whose worker died is taken up again when
 * its lock lapses and looks for what its first run may have committed before writing.
 */
export function createWriteWorker(deps: WriteWorkerDeps): WriteWorker {
  const schedule: RetrySchedule = { ...DEFAULT_RETRY_SCHEDULE, delaysMs: parseDurationList(DEFAULT_WRITE_STEPS)!, ...deps.schedule };
  const logger = deps.logger ?? silentLogger;
  const deadLetters = openWriteDeadLetters(deps.connection, deps.prefix);
  const processor = createWriteProcessor({
    getInstance: deps.getInstance,
    writerFor: deps.writerFor,
    echo: deps.echo,
    slots: deps.slots ?? new WriteSlots(deps.connection, deps.prefix),
    deadLetters,
    schedule,
    hooks: deps.hooks ?? {},
    logger,
  });
  const worker = new Worker<WriteJob, WriteJobResult>(QUEUE_NAMES.write, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 50,
    ...lockOptions(deps.lockDurationMs),
    maxStalledCount: 5,
    settings: {
      backoffStrategy: (attemptsMade, _type, err) => (err instanceof RetryLaterError ? err.retryInMs : retryDelayMs(schedule, attemptsMade) ?? schedule.delaysMs.at(-1) ?? 1000),
    },
  });
  worker.on('error', (err) => logger.warn('write worker error', { err: err.message }));
  // a write can fail outside the processor (its worker died more than maxStalledCount times): it is dead-lettered too
  worker.on('failed', (job, err) => {
    if (!job || !/stalled/i.test(err.message)) return;
    void (async () => {
      if (await deadLetters.get(job.data.writeId)) return;
      const entry = { writeId: job.data.writeId, instanceId: job.data.instanceId, job: job.data, reason: 'retries_exhausted' as const, error: writeErrorOf(err), jobId: job.id ?? job.data.writeId, deadLetteredAt: Date.now() };
      await deadLetters.add(entry);
      try {
        deps.hooks?.onDeadLettered?.(entry); // metrics and the event log hear of it like any other dead letter
      } catch {
        // a hook must never break a write
      }
    })().catch((e: Error) => logger.warn('could not dead-letter a failed write', { writeId: job.data.writeId, err: e.message }));
  });
  return {
    worker,
    deadLetters,
    async close() {
      await worker.close();
      await deadLetters.close();
    },
  };
}
