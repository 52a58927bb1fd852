import type { Job, JobType } from 'bullmq';
import type { RedisClient } from '../../src/lib/redis-connections';
import type { ChangeClaims } from '../../src/queues/change-claims';
import type { ChangeJob } from '../../src/queues/change-job';
import type { IngestQueue } from '../../src/queues/ingest-queue';
import type { IntakeBatch, IntakeQueue } from '../../src/queues/intake-queue';

const EVERY_STATE: JobType[] = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'waiting-children'];

export interface AcceptedChangeSources {
  intake: IntakeQueue;
  ingest: IngestQueue;
  claims: ChangeClaims;
  redis: RedisClient;
}

/** Whether the change's event owns it (a queued duplicate does not). */
async function owned(sources: AcceptedChangeSources, changes: ChangeJob[]): Promise<ChangeJob[]> {
  const owners = changes.length ? await sources.redis.mget(...changes.map((c) => sources.claims.key(c))) : [];
  return changes.filter((c, i) => owners[i] === c.eventId);
}

/**
 * Every change accepted under a prefix, oldest first: the changes of intake batches and of ingest jobs
 * that their event id owns (an intake batch also carries the duplicates it was sent with) — each event once.
 */
export async function acceptedChanges(sources: AcceptedChangeSources): Promise<ChangeJob[]> {
  const batches: Job<IntakeBatch>[] = await sources.intake.getJobs(EVERY_STATE, 0, -1, true);
  const ingestJobs: Job<ChangeJob>[] = await sources.ingest.getJobs(EVERY_STATE, 0, -1, true);
  const queued = [
    ...batches.flatMap((job) => job.data.changes.map((change) => ({ change, at: job.timestamp }))),
    ...ingestJobs.map((job) => ({ change: job.data, at: job.timestamp })),
  ].sort((a, b) => a.at - b.at).map((q) => q.change);
  const seen = new Set<string>();
  return (await owned(sources, queued)).filter((c) => !seen.has(c.eventId) && seen.add(c.eventId));
}

/**
 * The accepted change with this event id, if any: an ingest job, or a change its event owns in an intake
 * batch — looked for newest batch first, so finding a just-accepted change stays cheap however many there are.
 */
export async function acceptedChange(sources: AcceptedChangeSources, eventId: string): Promise<ChangeJob | undefined> {
  const job: Job<ChangeJob> | undefined = await sources.ingest.getJob(eventId);
  if (job) return (await owned(sources, [job.data]))[0];
  const page = 50;
  for (let start = 0; ; start += page) {
    const batches: Job<IntakeBatch>[] = await sources.intake.getJobs(EVERY_STATE, start, start + page - 1, false);
    const change = batches.flatMap((b) => b.data.changes).find((c) => c.eventId === eventId);
    if (change) return (await owned(sources, [change]))[0];
    if (batches.length < page) return undefined;
  }
}
