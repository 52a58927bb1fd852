import type { Job } from 'bullmq';
import type { RedisClient } from '../lib/redis-connections';
import { closeOpsQueues, openOpsQueues } from '../ops/ops-queues';
import { PartitionLayout } from '../queues/partition-layout';
import { SANDBOX_INSTANCE_ID } from './sandbox-instance';

/** What forgetting the previous sandbox run removed. */
export interface ForgottenRun {
  /** Keys: deduplication claims, state cache, record lanes, tokens, poller state. */
  keys: number;
  /** Jobs not yet finished: intake batches, changes waiting for enrichment, deliveries waiting for a retry, dead letters. */
  jobs: number;
}

/** Every state a job of the previous run may have been left in (completed ones are history, not work). */
const UNFINISHED = ['wait', 'delayed', 'prioritized', 'waiting-children', 'active', 'failed'] as const;

function belongsTo(job: Job, instanceId: string): boolean {
  const data = job.data as { instanceId?: string; changes?: Array<{ instanceId?: string }> } | undefined;
  if (data?.instanceId !== undefined) return data.instanceId === instanceId;
  return Array.isArray(data?.changes) && data.changes.length > 0 && data.changes.every((c) => c.instanceId === instanceId);
}

async function dropJobs(redis: RedisClient, layout: PartitionLayout, instanceId: string): Promise<number> {
  const queues = openOpsQueues(redis, layout);
  let dropped = 0;
  try {
    for (const queue of queues) {
      const jobs = await queue.getJobs([...UNFINISHED]);
      for (const job of jobs.filter((j) => j.id && belongsTo(j, instanceId))) {
        // an active job of the previous run is still locked by that (dead) process until its lock lapses
        await redis.del(`${queue.opts.prefix}:${queue.name}:${job.id}:lock`);
        dropped += await queue.remove(job.id!);
      }
    }
  } finally {
    await closeOpsQueues(queues);
  }
  return dropped;
}

async function deleteKeys(redis: RedisClient, layout: PartitionLayout, instanceId: string): Promise<number> {
  const base = layout.base;
  const patterns = [
    ...layout.prefixes.flatMap((prefix) => [`${prefix}:ingest:de:${instanceId}|*`, `${prefix}:state:{${instanceId}:*`, `${prefix}:lane:{${instanceId}:*`]),
    `${base}:tokens:${instanceId}`,
    `${base}:tokens:${instanceId}:*`,
    `${base}:poller:*:${instanceId}`,
  ];
  let deleted = 0;
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern.replace(/[[\]]/g, '\\$&'), 'COUNT', 1000);
      for (const key of keys) deleted += await redis.unlink(key);
      cursor = next;
    } while (cursor !== '0');
  }
  return deleted;
}

/**
 * The sandbox's ServiceNow starts from the same seed at every `npm start` (its sys_mod_counts begin again at
 * 0, its records hold the seed's values), so nothing of an earlier run can be carried on: a change it left
 * queued would be enriched with the fresh seed's data under its old timestamps, and a remembered claim would
 * take a first change of this run for a duplicate. So the earlier run is dropped whole — its unfinished jobs
 * in every queue, then what snowgate remembers of the instance — and nothing of any other instance. Call it
 * before the workers start.
 */
export async function forgetSandboxHistory(redis: RedisClient, layout: PartitionLayout | string, instanceId = SANDBOX_INSTANCE_ID): Promise<ForgottenRun> {
  const partitions = typeof layout === 'string' ? new PartitionLayout(layout) : layout;
  const jobs = await dropJobs(redis, partitions, instanceId);
  const keys = await deleteKeys(redis, partitions, instanceId);
  return { keys, jobs };
}
