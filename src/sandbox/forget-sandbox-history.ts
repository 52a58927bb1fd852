import type { RedisClient } from '../lib/redis-connections';

/**
 * The sandbox's ServiceNow starts from the same seed at every `npm start` (its sys_mod_counts begin again
 * at 0), while Redis remembers the changes of earlier runs: without this, a first change after a restart
 * would be taken for a duplicate of last run's. Deletes what snowgate remembers of the `sandbox` instance
 * (deduplication, state cache, record lanes, tokens, poller watermarks) — and nothing of any other instance.
 */
export async function forgetSandboxHistory(redis: RedisClient, prefix: string, instanceId = 'sandbox'): Promise<number> {
  const patterns = [
    `${prefix}:ingest:de:${instanceId}|*`,
    `${prefix}:state:{${instanceId}:*`,
    `${prefix}:lane:{${instanceId}:*`,
    `${prefix}:tokens:${instanceId}`,
    `${prefix}:tokens:${instanceId}:*`,
    `${prefix}:poller:*:${instanceId}`,
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
