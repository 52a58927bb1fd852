import { Queue, Worker } from 'bullmq';
import type { Instance } from '../instances/instance';
import type { InstanceRegistry } from '../instances/instance-registry';
import type { EnqueueResult } from '../ingest/change-enqueuer';
import type { Logger } from '../lib/logger';
import type { RedisClient } from '../lib/redis-connections';
import type { ChangeJob } from '../queues/change-job';
import { QUEUE_NAMES } from '../queues/queue-names';
import type { ServiceNowClient } from '../servicenow/servicenow-client';
import { pollInstance, type InstancePollResult } from './instance-poll';
import { PollLock } from './poll-lock';
import { PollSchedules, polls, type PollQueue, type PollTickData } from './poll-schedules';
import type { PageInfo } from './resource-poller';
import { WatermarkStore } from './watermark-store';

/** What the poller needs from the process that runs it (the `scheduler` role). */
export interface PollerDeps {
  registry: InstanceRegistry;
  /** A 'worker' connection (waits and reconnects): BullMQ queue, worker, locks and watermarks. */
  connection: RedisClient;
  /** The queue prefix (SNOWGATE_QUEUE_PREFIX). Keys: `{prefix}:poll:…`, `{prefix}:poller:…`. */
  prefix: string;
  /** The ChangeEnqueuer: every polled change goes through its dedupe. */
  enqueuer: { enqueue(change: ChangeJob): Promise<EnqueueResult> };
  clientFor(instance: Instance): ServiceNowClient;
  logger: Logger;
  /** Called after each page was queued (metrics). */
  onPage?(instanceId: string, info: PageInfo): void;
  /** Called after each tick this process ran (metrics, tests). */
  onTick?(result: InstancePollResult, tick: { jobId?: string }): void;
  options?: PollerOptions;
}

/** Tuning; every field optional. */
export interface PollerOptions {
  /** Re-read this far behind each watermark. Default 5 s. */
  overlapMs?: number;
  /** Rows per request. Default 500. */
  pageSize?: number;
  /** Requests per resource and tick. Default 50. */
  maxPages?: number;
  /** Instances polled at once by this process. Default 4. */
  concurrency?: number;
  /** TTL of the per-instance tick lock (extended page by page). Default 120 s. */
  lockTtlMs?: number;
  /** A resource never polled before starts this far back. Default 0 (now). */
  initialLookbackMs?: number;
}

/** A running poller. */
export interface Poller {
  /** Runs one tick of an instance now, in this process (waiting for a running tick of it to finish: same lock). */
  tick(instanceId: string): Promise<InstancePollResult>;
  /** The watermarks, for operators and tests. */
  watermarks: WatermarkStore;
  /** Re-applies every scheduler from the registry. */
  sync(): Promise<void>;
  /** Stops this process's worker (schedulers stay in Redis for the next start). */
  close(): Promise<void>;
}

/**
 * Starts the polling fallback in this process: one BullMQ job scheduler per polling instance on the
 * `poll` queue (kept in step with the registry), and a worker that runs each tick under a per-instance
 * Redis lock. Any number of processes may call it: BullMQ hands each tick to one of them.
 */
export async function startPoller(deps: PollerDeps): Promise<Poller> {
  const o = deps.options ?? {};
  const { connection, prefix, logger, registry } = deps;
  const watermarks = new WatermarkStore(connection, prefix);
  const lock = new PollLock(connection, prefix, o.lockTtlMs ?? 120_000);
  const queue: PollQueue = new Queue<PollTickData, unknown, string>(QUEUE_NAMES.poll, { connection, prefix });
  queue.on('error', (err) => logger.debug('poll queue error', { err: err.message }));
  const schedules = new PollSchedules(queue, logger);

  const tick = async (instanceId: string, jobId?: string, waitForLockMs = 0): Promise<InstancePollResult> => {
    const instance = registry.get(instanceId);
    if (!instance || !polls(instance)) return { instanceId, resources: [], errors: [] };
    const result = await pollInstance(instance, {
      client: deps.clientFor(instance),
      enqueuer: deps.enqueuer,
      watermarks,
      lock,
      logger,
      overlapMs: o.overlapMs ?? 5000,
      pageSize: o.pageSize ?? 500,
      maxPages: o.maxPages ?? 50,
      initialLookbackMs: o.initialLookbackMs,
      waitForLockMs,
      onPage: (info) => deps.onPage?.(instanceId, info),
    });
    deps.onTick?.(result, { jobId });
    return result;
  };

  const worker = new Worker<PollTickData, InstancePollResult, string>(
    QUEUE_NAMES.poll,
    async (job) => {
      const result = await tick(job.data.instanceId, job.id);
      if (result.errors.length > 0 && result.resources.length === 0) {
        throw new Error(`every resource failed: ${result.errors.map((e) => `${e.resource}: ${e.message}`).join('; ')}`);
      }
      return result;
    },
    { connection, prefix, concurrency: o.concurrency ?? 4 },
  );
  worker.on('error', (err) => logger.debug('poll worker error', { err: err.message }));
  worker.on('failed', (job, err) => logger.warn('poll tick failed', { instanceId: job?.data.instanceId, err: err.message }));

  const onChange = (id: string) => {
    schedules.apply(id, registry.get(id)).catch((err: Error) => logger.warn('cannot update poll scheduler', { instanceId: id, err: err.message }));
  };
  registry.on('change', onChange);
  await schedules.syncAll(registry.list());

  return {
    tick: (instanceId) => tick(instanceId, undefined, o.lockTtlMs ?? 120_000),
    watermarks,
    sync: () => schedules.syncAll(registry.list()),
    close: async () => {
      registry.off('change', onChange);
      await worker.close();
      await queue.close();
    },
  };
}
