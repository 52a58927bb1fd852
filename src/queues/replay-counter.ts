import type { RedisClient } from '../lib/redis-connections';

/**
 * The numbering of replays: replay n of `id` runs as job `{id}-r{n}` (never a `:`), the counter kept
 * `ttlSeconds` (at least a minute) so the latest replay can be found as long as its job is kept.
 */
export async function nextReplayJobId(redis: RedisClient, counterKey: string, id: string, ttlSeconds: number): Promise<string> {
  const n = await redis.incr(counterKey);
  await redis.expire(counterKey, Math.max(60, Math.ceil(ttlSeconds)));
  return `${id}-r${n}`;
}

/** The job id of the latest replay of `id`, or `id` itself when it was never replayed. */
export async function latestReplayJobId(redis: RedisClient, counterKey: string, id: string): Promise<string> {
  const n = await redis.get(counterKey);
  return n ? `${id}-r${n}` : id;
}
