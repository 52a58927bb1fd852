import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';

/** The newest enriched state known for one record. */
export interface CachedState<T = unknown> {
  modCount: number;
  data: T;
}

/** Store `ARGV[1]` (JSON with modCount) unless a newer one is there; return whichever is kept. */
const PUT_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local ok, decoded = pcall(cjson.decode, cur)
  if ok and tonumber(decoded.modCount) > tonumber(ARGV[2]) then return cur end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return ARGV[1]`;

/**
 * The latest enriched state per record, shared by every worker through Redis. It lets many changes of
 * one record share one ServiceNow read, and — because a state only ever replaces an older one — it is
 * what keeps an older state from being delivered after a newer one.
 */
export class StateCache {
  private readonly putIfNewerScript: RedisScript;

  constructor(private readonly redis: RedisClient, private readonly keyPrefix: string, private readonly ttlMs = 60_000) {
    this.putIfNewerScript = redisScript(redis, 'snowgatePutIfNewer', 1, PUT_IF_NEWER);
  }

  private key(instanceId: string, table: string, sysId: string): string {
    return `${this.keyPrefix}:state:{${instanceId}:${table}:${sysId}}`;
  }

  async get<T>(instanceId: string, table: string, sysId: string): Promise<CachedState<T> | undefined> {
    const raw = await this.redis.get(this.key(instanceId, table, sysId));
    return raw ? (JSON.parse(raw) as CachedState<T>) : undefined;
  }

  /** Keeps `state` unless a newer one is already cached; returns the state now cached. */
  async putIfNewer<T>(instanceId: string, table: string, sysId: string, state: CachedState<T>): Promise<CachedState<T>> {
    const json = JSON.stringify(state);
    const kept = (await this.putIfNewerScript(this.key(instanceId, table, sysId), json, String(state.modCount), String(this.ttlMs))) as string;
    return kept === json ? state : (JSON.parse(kept) as CachedState<T>);
  }
}
