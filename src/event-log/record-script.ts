import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';

/**
 * One stage of one event, written in one call (one command on the pipelined connection).
 *
 * KEYS: 1 meta hash, 2 body, 3 timeline list, 4 the instance's index, 5 the global index, 6… term indexes.
 * ARGV: 1 id, 2 now (ms), 3 TTL (ms), 4 most events per instance (and per term), 5 mode, 6 received at (the
 * index score), 7 status, 8 reason, 9 timeline entry, 10 body, 11 counter field, 12 most timeline entries,
 * 13–15 the meta, body and timeline key prefixes (for dropped events), 16… field/value pairs.
 *
 * Modes: `new` writes and indexes the event, then trims its instance's index by count and age (dropping the
 * trimmed events' keys) and the global index by age; `stage` writes (creating the event if a later stage
 * arrives before its `received`, which then indexes it); `dup` writes only to an event already logged;
 * `replay` is `new` with the status forced. A status never moves back (a late `retrying` cannot undo
 * `delivered`) except through a replay. Terms are indexed in every mode. A timeline at its bound keeps its
 * first entry (received) and drops its oldest other one, so the latest stages are always there.
 */
const RECORD = `
local RANK = {queued = 1, retrying = 2, held = 2, delivered = 3, succeeded = 3, dead_lettered = 3, skipped = 3, failed = 3}
local id, now, ttl, max, mode, score = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
if mode == 'dup' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fields = {'updatedAt', ARGV[2]}
for i = 16, #ARGV, 2 do
  fields[#fields + 1] = ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
end
local status = ARGV[7]
if status ~= '' then
  local current = redis.call('HGET', KEYS[1], 'status')
  if mode == 'replay' or not current or (RANK[status] or 0) >= (RANK[current] or 0) then
    fields[#fields + 1] = 'status'
    fields[#fields + 1] = status
    if ARGV[8] ~= '' then
      fields[#fields + 1] = 'reason'
      fields[#fields + 1] = ARGV[8]
    else
      redis.call('HDEL', KEYS[1], 'reason')
    end
  end
end
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[11] ~= '' then redis.call('HINCRBY', KEYS[1], ARGV[11], 1) end
redis.call('PEXPIRE', KEYS[1], ttl)
if ARGV[9] ~= '' then
  if redis.call('RPUSH', KEYS[3], ARGV[9]) > tonumber(ARGV[12]) then
    redis.call('LSET', KEYS[3], 1, '')
    redis.call('LREM', KEYS[3], 1, '')
    redis.call('HINCRBY', KEYS[1], 'dropped', 1)
  end
  redis.call('PEXPIRE', KEYS[3], ttl)
end
if ARGV[10] ~= '' then redis.call('SET', KEYS[2], ARGV[10], 'PX', ttl) end
for i = 6, #KEYS do
  redis.call('ZADD', KEYS[i], score, id)
  redis.call('PEXPIRE', KEYS[i], ttl)
  if redis.call('ZCARD', KEYS[i]) > max then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -max - 1) end
end
if mode ~= 'new' and mode ~= 'replay' then return 1 end
redis.call('ZADD', KEYS[4], 'NX', score, id)
redis.call('ZADD', KEYS[5], 'NX', score, id)
local cutoff = '(' .. (now - ttl)
local count = redis.call('ZCARD', KEYS[4])
local drop = {}
if count > max then drop = redis.call('ZRANGE', KEYS[4], 0, count - max - 1) end
for _, old in ipairs(redis.call('ZRANGE', KEYS[4], '-inf', cutoff, 'BYSCORE', 'LIMIT', 0, 500)) do drop[#drop + 1] = old end
for _, old in ipairs(drop) do
  redis.call('DEL', ARGV[13] .. old, ARGV[14] .. old, ARGV[15] .. old)
  redis.call('ZREM', KEYS[4], old)
  redis.call('ZREM', KEYS[5], old)
end
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', cutoff)
redis.call('PEXPIRE', KEYS[4], ttl)
redis.call('PEXPIRE', KEYS[5], ttl)
return 1`;

/** The record script on a connection: keys first, then arguments (see {@link RECORD} for both). */
export function recordScript(redis: RedisClient): RedisScript {
  return redisScript(redis, 'snowgateEventLogRecord', undefined, RECORD);
}
