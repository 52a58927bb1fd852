import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';
import { changeKey, type ChangeJob } from './change-job';
import { QUEUE_NAMES } from './queue-names';

/** How long a change stays claimed (webhook retries, webhook + poll overlap). */
export const CLAIM_TTL_MS = 24 * 3600 * 1000;

/** The claim key of a change under a (partition's) prefix: BullMQ's deduplication key of its ingest queue, so it shares the queue's cluster slot. */
export function claimKey(prefix: string, change: Pick<ChangeJob, 'instanceId' | 'table' | 'sysId' | 'operation' | 'sysModCount'>): string {
  return `${prefix}:${QUEUE_NAMES.ingest}:de:${changeKey(change)}`;
}

/** Claims each key for its event id unless already claimed; returns every key's owner. One round trip. */
const CLAIM = `local owners = {}
for i, key in ipairs(KEYS) do
  local id = ARGV[i + 1]
  if redis.call('SET', key, id, 'NX', 'PX', ARGV[1]) then
    owners[i] = id
  else
    owners[i] = redis.call('GET', key)
  end
end
return owners`;

/**
 * Deduplication of changes: the first event id to claim a change (by {@link changeKey}) owns it for 24 h,
 * and every later report of that change is a duplicate of it. Claims are idempotent — an event id that
 * already owns its change claims it again successfully — so the request path and the intake worker may
 * both claim the same change in either order and agree on its one owner.
 *
 * A claim is the very key BullMQ's deduplication (`deduplication: {id: changeKey, ttl}`) sets for an ingest
 * job — `SET key jobId NX PX ttl` — so a change accepted straight into the ingest queue (claimed atomically
 * by BullMQ's add) and one accepted through an intake job (claimed here) are the same change.
 */
export class ChangeClaims {
  private readonly claimScript: RedisScript;

  constructor(private readonly redis: RedisClient, private readonly prefix: string) {
    this.claimScript = redisScript(redis, 'snowgateClaimChanges', undefined, CLAIM);
  }

  /** The claim key of a change (see {@link claimKey}). */
  key(change: Pick<ChangeJob, 'instanceId' | 'table' | 'sysId' | 'operation' | 'sysModCount'>): string {
    return claimKey(this.prefix, change);
  }

  /** Claims the changes for their event ids; returns, in order, the event id that owns each change. */
  async claim(changes: readonly ChangeJob[]): Promise<string[]> {
    if (changes.length === 0) return [];
    const keys = changes.map((c) => this.key(c));
    return (await this.claimScript(String(keys.length), ...keys, String(CLAIM_TTL_MS), ...changes.map((c) => c.eventId))) as string[];
  }
}
