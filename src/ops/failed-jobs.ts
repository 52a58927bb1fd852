import type { Job, Queue } from 'bullmq';
import { AppError } from '../lib/errors';
import { matchesFilter, type OpsFilter } from './ops-filter';

/** A failed job as the ops API shows it (no job data: it may hold customer records). */
export interface FailedJobView {
  queue: string;
  id: string;
  name: string;
  instanceId?: string;
  /** Table (ingest) or CloudEvent type (deliver). */
  type: string;
  failedReason: string;
  attemptsMade: number;
  /** Epoch ms the job was created and finally failed. */
  createdAt: number;
  failedAt?: number;
}

/** Most failed jobs looked at per queue in one request. */
const SCAN_LIMIT = 10_000;
const PAGE = 500;

function describe(queue: string, job: Job): FailedJobView {
  const data = (job.data ?? {}) as { instanceId?: string; event?: { type?: string } };
  return {
    queue,
    id: String(job.id),
    name: job.name,
    instanceId: data.instanceId,
    type: data.event?.type ?? job.name,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    createdAt: job.timestamp,
    failedAt: job.finishedOn,
  };
}

/** Failed jobs across queues (and partitions: a name stands for that queue of every partition), listed, filtered and retried. */
export class FailedJobs {
  constructor(private readonly queues: readonly Queue[]) {}

  /** Failed jobs matching the filter (newest first per queue), with the jobs themselves. */
  async find(filter: OpsFilter): Promise<Array<{ view: FailedJobView; job: Job }>> {
    const found: Array<{ view: FailedJobView; job: Job }> = [];
    for (const queue of this.pick(filter.queue)) {
      for (let start = 0; start < SCAN_LIMIT && found.length < filter.limit; start += PAGE) {
        const page = (await queue.getJobs(['failed'], start, start + PAGE - 1, false)) as Job[];
        for (const job of page) {
          if (!job || found.length >= filter.limit) continue;
          const view = describe(queue.name, job);
          if (matchesFilter(filter, view.instanceId, view.type, view.failedAt ?? view.createdAt)) found.push({ view, job });
        }
        if (page.length < PAGE) break;
      }
    }
    return found;
  }

  async list(filter: OpsFilter): Promise<FailedJobView[]> {
    return (await this.find(filter)).map((f) => f.view);
  }

  /** Retries one failed job (in whichever partition's queue of that name holds it). Throws 404 `unknown_queue` / `job_not_found`, 409 `job_not_failed`. */
  async retry(queueName: string, jobId: string): Promise<FailedJobView> {
    const jobs = await Promise.all(this.pick(queueName).map(async (queue) => ({ queue, job: (await queue.getJob(jobId)) as Job | undefined })));
    const { queue, job } = jobs.find((j) => j.job) ?? {};
    if (!queue || !job) throw new AppError('job_not_found', `no job ${jobId} in queue ${queueName}`, 404);
    if ((await job.getState()) !== 'failed') throw new AppError('job_not_failed', `job ${jobId} is not in the failed state`, 409);
    const view = describe(queue.name, job);
    await job.retry('failed');
    return view;
  }

  /** Retries every failed job matching the filter; jobs that changed state meanwhile are skipped. */
  async retryMany(filter: OpsFilter): Promise<FailedJobView[]> {
    const retried: FailedJobView[] = [];
    for (const { view, job } of await this.find(filter)) {
      try {
        await job.retry('failed');
        retried.push(view);
      } catch {
        // Retried or removed by someone else since it was listed.
      }
    }
    return retried;
  }

  /** The queues of that name: one per partition. */
  private pick(name: string | undefined): readonly Queue[] {
    if (name === undefined) return this.queues;
    const queues = this.queues.filter((q) => q.name === name);
    if (queues.length === 0) throw new AppError('unknown_queue', `no queue ${name}; queues: ${[...new Set(this.queues.map((q) => q.name))].join(', ')}`, 404);
    return queues;
  }
}
