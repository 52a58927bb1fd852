import type { Queue } from 'bullmq';

/**
 * Wakes delivery jobs that wait in the delayed set (held by a subscriber's breaker): each goes to the wait
 * list at once, in the order given. A job that is gone or no longer delayed (already running) is skipped.
 * Resolves with the number woken.
 */
export async function releaseDeliveries(queue: Pick<Queue, 'getJob'>, jobIds: readonly string[], concurrency = 20): Promise<number> {
  let woken = 0;
  for (let i = 0; i < jobIds.length; i += concurrency) {
    const batch = await Promise.all(
      jobIds.slice(i, i + concurrency).map(async (id) => {
        const job = await queue.getJob(id);
        if (!job || !(await job.isDelayed())) return 0;
        return job.promote().then(() => 1, () => 0);
      }),
    );
    woken += batch.reduce<number>((sum, n) => sum + n, 0);
  }
  return woken;
}
