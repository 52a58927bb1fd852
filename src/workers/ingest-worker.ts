import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { ChangeEnricher } from '../enrichment/change-enricher';
import { toCloudEvent } from '../events/to-cloud-event';
import type { Instance } from '../instances/instance';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import type { ChangeJob } from '../queues/change-job';
import type { DeliveryProducer } from '../queues/delivery-producer';
import { QUEUE_NAMES } from '../queues/queue-names';
import type { RecordLanes } from '../queues/record-lanes';
import type { FirstDelivery } from './first-delivery';
import type { IngestObserver } from './ingest-observer';
import { lockOptions } from './job-lock';
import { isMutableTable } from '../enrichment/change-enricher';
import type { EchoRecords } from '../writes/echo-records';

export interface IngestWorkerDeps {
  /** A 'worker' connection: waits and reconnects while Redis is away. */
  connection: RedisClient;
  prefix: string;
  registry: InstanceRegistry;
  enricher: ChangeEnricher;
  deliveries: DeliveryProducer;
  /** Per-record delivery order: events of records that change join their record's lane. */
  lanes?: RecordLanes;
  /** Echo control: which changes snowgate's own writes caused (tagged `snowgatewrite`, or skipped with skip_own_writes). */
  echo?: Pick<EchoRecords, 'writeOf'>;
  onOwnWrite?: (instanceId: string, suppressed: boolean) => void;
  /** Deliver inline when the event heads its lane; what does not go through is settled by the delivery queue. */
  firstDelivery?: FirstDelivery;
  /** Told what became of each change (the event log). */
  observer?: IngestObserver;
  logger: Logger;
  /** Jobs processed at once (default 50): enrichment mostly waits on ServiceNow. */
  concurrency?: number;
  /** Lock duration (default 5 s, see lockOptions); a job whose worker died is taken up again after it. */
  lockDurationMs?: number;
  /** Longest a job may take before the attempt is failed and retried (default 120 s). */
  jobDeadlineMs?: number;
  /** Start taking jobs at once (default true); otherwise `run()` starts it. */
  autorun?: boolean;
  onDone?: (job: Job<ChangeJob>, outcome: 'delivered' | 'enqueued' | 'skipped' | 'failed', seconds: number) => void;
}

/** Whether an error is worth another attempt (ServiceNow down, throttled, token being refreshed…). */
function isRetryable(err: unknown): boolean {
  const e = err as { retryable?: boolean };
  return e?.retryable !== false;
}

/**
 * Enriches one change, normalizes it and hands it over: delivered inline when it heads its record's lane
 * and the subscriber takes it, else put on the `deliver` queue (with the inline attempt, if one was made).
 */
async function enrichAndHandOver(deps: IngestWorkerDeps, change: ChangeJob, instance: Instance, at: { stage: string }, writeId?: string): Promise<{ eventId: string; type: string; delivered: boolean }> {
  // join the record's lane before enriching: changes of one record taken up together (a burst) are all in
  // the lane by the time the first of them is ready, so none overtakes an older one still being enriched.
  // The join is not awaited before the enrichment starts: on the auto-pipelined hot-path connection it goes in
  // the same write as the enrichment's state-cache read, and Redis runs it first — one round trip instead of two
  let lane;
  let joined: Promise<void> | undefined;
  if (deps.lanes && isMutableTable(change.table)) {
    at.stage = 'lane join';
    lane = deps.lanes.ticket(instance.id, change.table, change.sysId, change.sysModCount, change.operation);
    joined = deps.lanes.join(lane, change.eventId);
  }
  const trace = deps.observer?.traceOf(change);
  let data;
  try {
    const enriched = deps.enricher.enrich(change, instance, trace);
    if (joined) {
      enriched.catch(() => undefined); // awaited below; a failure meanwhile must not count as unhandled
      await joined;
    }
    at.stage = 'enrich';
    data = await enriched;
  } catch (err) {
    // a change that will never be delivered must not hold its record's newer changes up
    if (lane && !isRetryable(err)) await deps.lanes!.leave(lane, change.eventId).catch(() => undefined);
    throw err;
  }
  const event = toCloudEvent(change, instance, data, writeId);
  if (trace) deps.observer!.enriched(change, event, trace);
  at.stage = 'lane turn';
  if (deps.firstDelivery && (!lane || (await deps.lanes!.isTurn(lane, event.id)))) {
    at.stage = 'first delivery';
    const first = await deps.firstDelivery.attempt(event, instance);
    if (first === 'delivered') {
      at.stage = 'lane leave';
      if (lane) await deps.lanes!.leave(lane, event.id);
      return { eventId: event.id, type: event.type, delivered: true };
    }
    at.stage = 'enqueue delivery';
    await deps.deliveries.enqueue(event, instance.id, lane, first);
  } else {
    at.stage = 'enqueue delivery';
    await deps.deliveries.enqueue(event, instance.id, lane);
  }
  return { eventId: event.id, type: event.type, delivered: false };
}

/** Rejects (retryably) when work outlives its deadline, so a hung call can never pin a job as active forever. */
function withDeadline<T>(work: Promise<T>, ms: number, at: { stage: string }): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no result within ${ms} ms (stuck at: ${at.stage})`), { retryable: true })), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Processes `ingest` jobs: enrich the change through ServiceNow, normalize it into a CloudEvent, deliver it inline when it can (else put it
 * on the `deliver` queue; job id = event id, so a retried or recovered job never queues it twice).
 */
export function createIngestWorker(deps: IngestWorkerDeps): Worker<ChangeJob> {
  const worker = new Worker<ChangeJob>(
    QUEUE_NAMES.ingest,
    async (job) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      const change = job.data;
      const instance = deps.registry.get(change.instanceId);
      if (!instance) throw new UnrecoverableError(`unknown_instance: ${change.instanceId} no longer exists`);
      // notifications off is the operator's choice; on without a subscriber, the event is dead-lettered `no_subscriber` (kept for replay)
      if (!instance.events.enabled) {
        deps.observer?.skipped(change, 'notifications_disabled');
        deps.onDone?.(job, 'skipped', seconds());
        return { skipped: 'notifications_disabled' };
      }
      const at = { stage: 'start' }; // where an attempt that outlives its deadline was stuck, for the log
      try {
        // a change snowgate wrote itself: skipped before it joins its record's lane, so nothing waits on it
        const writeId = deps.echo ? await deps.echo.writeOf(change) : undefined;
        if (writeId) deps.onOwnWrite?.(instance.id, instance.events.skipOwnWrites);
        if (writeId && instance.events.skipOwnWrites) {
          deps.observer?.skipped(change, 'skip_own_writes', writeId);
          deps.onDone?.(job, 'skipped', seconds());
          return { skipped: 'own_write', writeId };
        }
        const result = await withDeadline(enrichAndHandOver(deps, change, instance, at, writeId), deps.jobDeadlineMs ?? 120_000, at);
        deps.onDone?.(job, result.delivered ? 'delivered' : 'enqueued', seconds());
        return result;
      } catch (err) {
        deps.onDone?.(job, 'failed', seconds());
        deps.observer?.failed(change, err as Error, job.attemptsMade + 1, isRetryable(err) && job.attemptsMade + 1 < (job.opts.attempts ?? 1));
        deps.logger.warn('enrichment failed', { eventId: change.eventId, instance: change.instanceId, table: change.table, attempt: job.attemptsMade + 1, err: (err as Error).message });
        if (!isRetryable(err)) throw new UnrecoverableError(`${(err as { code?: string }).code ?? 'error'}: ${(err as Error).message}`);
        throw err;
      }
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 50,
      ...lockOptions(deps.lockDurationMs),
      maxStalledCount: 5,
      autorun: deps.autorun ?? true,
    },
  );
  worker.on('error', (err) => deps.logger.warn('ingest worker error', { err: err.message }));
  return worker;
}
