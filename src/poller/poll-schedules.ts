import type { Queue } from 'bullmq';
import type { Instance } from '../instances/instance';
import type { Logger } from '../lib/logger';

/** The payload of a poll tick job. */
export interface PollTickData {
  instanceId: string;
}

export type PollQueue = Queue<PollTickData, unknown, string>;

/** The name of every tick job. */
export const POLL_TICK_JOB = 'poll-tick';

const SCHEDULER_PREFIX = 'poll-';

/** Whether an instance is polled: polling is on and so are its notifications (with them off, every poll would be for nothing). */
export function polls(instance: Instance): boolean {
  return instance.vendor.polling && instance.events.enabled;
}

/** The job scheduler id of an instance (`poll-acme`: no `:`). */
export function pollSchedulerId(instanceId: string): string {
  return `${SCHEDULER_PREFIX}${instanceId}`;
}

/**
 * Keeps one BullMQ job scheduler per polling instance on the poll queue: BullMQ produces one tick job
 * per interval whichever processes run, and the schedulers live in Redis, so they survive restarts.
 */
export class PollSchedules {
  constructor(private readonly queue: PollQueue, private readonly logger: Logger) {}

  /** Creates, updates (new interval) or removes the scheduler of one instance after a registry change. */
  async apply(instanceId: string, instance: Instance | undefined): Promise<void> {
    const id = pollSchedulerId(instanceId);
    if (!instance || !polls(instance)) {
      if (await this.queue.removeJobScheduler(id)) this.logger.info('poller stopped', { instanceId });
      return;
    }
    const every = instance.poller.refreshIntervalMs;
    const existing = await this.queue.getJobScheduler(id);
    if (existing && Number(existing.every) === every) return;
    await this.queue.upsertJobScheduler(id, { every }, {
      name: POLL_TICK_JOB,
      data: { instanceId },
      opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
    });
    this.logger.info('poller scheduled', { instanceId, everyMs: every });
  }

  /** Brings every scheduler in line with `instances`: one per polling instance, none for the rest. */
  async syncAll(instances: readonly Instance[]): Promise<void> {
    const wanted = new Map(instances.map((i) => [i.id, i]));
    for (const instance of instances) await this.apply(instance.id, instance);
    for (const s of await this.queue.getJobSchedulers(0, -1)) {
      const id = s.key;
      if (!id.startsWith(SCHEDULER_PREFIX)) continue;
      const instanceId = id.slice(SCHEDULER_PREFIX.length);
      if (!wanted.has(instanceId)) await this.apply(instanceId, undefined);
    }
  }
}
