import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';

/**
 * The stages one event-loop turn reported, written in one call: KEYS[1] is the global index (it fixes the
 * cluster slot: every key of the log shares the base prefix's hash tag); ARGV: 1 now (ms), 2 TTL (ms), 3 most
 * events per instance (and per term), 4 most timeline entries, 5–9 the key prefixes of EventLogKeys (meta,
 * body, timeline, instance index, term index: the script only appends an id, an instance or a term), 10 the
 * stages as a JSON array of `{i: id, n: instance, m: mode, r: received at, s?: status, e?: reason, t?: entry
 * (JSON), b?: body, c?: counter, j?: job, f?: [field, value, …], q?: [term, …]}`.
 *
 * Modes: `new` writes and indexes the event, then trims its instance's index by count and age (dropping the
 * trimmed events' keys) and the global index by age; `stage` writes (creating the event if a later stage
 * arrives before its `received`, which then indexes it); `dup` writes only to an event already logged;
 * `replay` is `new` with the status forced. A status never moves back (a late `retrying` cannot undo
 * `delivered`) except through a replay — and not even then when a stage of the replay's own job (the summary's
 * `job`) was written before the replay's stage. Terms are indexed in every mode. A timeline at its bound keeps its
 * first entry (received) and drops its oldest other one, so the latest stages are always there.
 */
const RECORD = `
local RANK = {queued = 1, retrying = 2, held = 2, delivered = 3, succeeded = 3, dead_lettered = 3, skipped = 3, failed = 3}
local now, ttl, max, maxEntries = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local META, BODY, LINE, INSTANCE, TERM = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local all = KEYS[1]
local cutoff = '(' .. (now - ttl)

local function drop(index, id)
  redis.call('DEL', META .. id, BODY .. id, LINE .. id)
  redis.call('ZREM', index, id)
  redis.call('ZREM', all, id)
end

local function index(op)
  local key = INSTANCE .. op.n
  redis.call('ZADD', key, 'NX', op.r, op.i)
  redis.call('ZADD', all, 'NX', op.r, op.i)
  redis.call('PEXPIRE', key, ttl)
  local count = redis.call('ZCARD', key)
  if count > max then
    for _, old in ipairs(redis.call('ZRANGE', key, 0, count - max - 1)) do drop(key, old) end
  end
  for _, old in ipairs(redis.call('ZRANGE', key, '-inf', cutoff, 'BYSCORE', 'LIMIT', 0, 100)) do drop(key, old) end
end

local function apply(op)
  local meta = META .. op.i
  if op.m == 'dup' and redis.call('EXISTS', meta) == 0 then return end
  local fields = {'updatedAt', now}
  for _, v in ipairs(op.f or {}) do fields[#fields + 1] = v end
  if op.j then
    if op.m == 'replay' and redis.call('HGET', meta, 'job') == op.j then op.s = nil end
    fields[#fields + 1] = 'job'
    fields[#fields + 1] = op.j
  end
  if op.s then
    local current = redis.call('HGET', meta, 'status')
    if op.m == 'replay' or not current or (RANK[op.s] or 0) >= (RANK[current] or 0) then
      fields[#fields + 1] = 'status'
      fields[#fields + 1] = op.s
      if op.e then
        fields[#fields + 1] = 'reason'
        fields[#fields + 1] = op.e
      else
        redis.call('HDEL', meta, 'reason')
      end
    end
  end
  redis.call('HSET', meta, unpack(fields))
  if op.c then redis.call('HINCRBY', meta, op.c, 1) end
  redis.call('PEXPIRE', meta, ttl)
  if op.t then
    local line = LINE .. op.i
    local length = redis.call('RPUSH', line, op.t)
    if length > maxEntries then
      redis.call('LSET', line, 1, '')
      redis.call('LREM', line, 1, '')
      redis.call('HINCRBY', meta, 'dropped', 1)
    end
    if length == 1 or op.m == 'replay' then redis.call('PEXPIRE', line, ttl) end
  end
  if op.b then redis.call('SET', BODY .. op.i, op.b, 'PX', ttl) end
  for _, term in ipairs(op.q or {}) do
    local key = TERM .. term
    redis.call('ZADD', key, op.r, op.i)
    redis.call('PEXPIRE', key, ttl)
    if redis.call('ZCARD', key) > max then redis.call('ZREMRANGEBYRANK', key, 0, -max - 1) end
  end
  if op.m == 'new' or op.m == 'replay' then index(op) end
end

for _, op in ipairs(cjson.decode(ARGV[10])) do apply(op) end
redis.call('ZREMRANGEBYSCORE', all, '-inf', cutoff)
redis.call('PEXPIRE', all, ttl)
return 1`;

/** The record script on a connection (see {@link RECORD} for its keys and arguments). */
export function recordScript(redis: RedisClient): RedisScript {
  return redisScript(redis, 'snowgateEventLogRecord', 1, RECORD);
}
