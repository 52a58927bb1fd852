import type { RedisClient } from '../lib/redis-connections';
import { redisScript, type RedisScript } from '../lib/redis-script';

/**
 * The stages of one partition's events one event-loop turn reported, written in one call: KEYS[1] is the
 * partition's global index (it fixes the cluster slot: every key of the partition shares its prefix's hash
 * tag); ARGV: 1 now (ms), 2 TTL (ms), 3 most events per instance (and per term) in this partition, 4 most
 * timeline entries, 5–9 the partition's key prefixes of EventLogKeys (meta, body, timeline, instance index, term
 * index: the script only appends an id, an instance or a term), 10 the stages as a JSON array of `{i: id,
 * n: instance, m: mode, r: received at, s?: status, e?: reason, t?: entry, b?: body, c?: counter, j?: job,
 * f?: [field, value, …], q?: [term, …]}`, where `t` and `b` are the positions of
 * further ARGV holding the text (so a body is not escaped into the JSON a second time).
 *
 * Modes: `new` writes and indexes the event; `stage` writes (creating the event if a later stage arrives
 * before its `received`, which then indexes it); `dup` writes only to an event already logged; `replay` is
 * `new` with the status forced. After the stages, each instance indexed is trimmed by count and age (the
 * trimmed events' keys dropped), and the global index by age. A status never moves back (a late `retrying`
 * cannot undo `delivered`) except through a replay — and not even then when a stage of the replay's own job
 * (the summary's `job`) was written before the replay's stage. A timeline at its bound keeps its first entry
 * (received) and drops its oldest other one, so the latest stages are always there. A term's index is trimmed
 * to the bound now and then (one add in 16), and expires with its newest event.
 */
const RECORD = `
local RANK = {queued = 1, retrying = 2, held = 2, delivered = 3, succeeded = 3, dead_lettered = 3, skipped = 3, failed = 3}
local now, ttl, max, maxEntries = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local META, BODY, LINE, INSTANCE, TERM = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local all = KEYS[1]
local cutoff = '(' .. (now - ttl)
local indexed = {}

-- the summary's status (and reason, job) as this op leaves them; current = HMGET status, reason, job
local function status(op, meta, fields, current)
  if op.j then
    if op.m == 'replay' and current[3] == op.j then return end
    fields[#fields + 1] = 'job'
    fields[#fields + 1] = op.j
  end
  if not op.s then return end
  if op.m ~= 'replay' and current[1] and (RANK[op.s] or 0) < (RANK[current[1]] or 0) then return end
  fields[#fields + 1] = 'status'
  fields[#fields + 1] = op.s
  if op.e then
    fields[#fields + 1] = 'reason'
    fields[#fields + 1] = op.e
  elseif current[2] then
    redis.call('HDEL', meta, 'reason')
  end
end

local function apply(op)
  local meta = META .. op.i
  local current = redis.call('HMGET', meta, 'status', 'reason', 'job', op.c or 'status')
  local known = current[1] ~= false
  if op.m == 'dup' and not known then return end
  local fields = {'updatedAt', now}
  for _, v in ipairs(op.f or {}) do fields[#fields + 1] = v end
  if op.c then
    fields[#fields + 1] = op.c
    fields[#fields + 1] = (tonumber(current[4]) or 0) + 1
  end
  status(op, meta, fields, {current[1] or nil, current[2] or nil, current[3] or nil})
  redis.call('HSET', meta, unpack(fields))
  if not known or op.m ~= 'stage' then redis.call('PEXPIRE', meta, ttl) end
  if op.t then
    local line = LINE .. op.i
    local length = redis.call('RPUSH', line, ARGV[op.t])
    if length > maxEntries then
      redis.call('LSET', line, 1, '')
      redis.call('LREM', line, 1, '')
      redis.call('HINCRBY', meta, 'dropped', 1)
    end
    if length == 1 or op.m == 'replay' then redis.call('PEXPIRE', line, ttl) end
  end
  if op.b then redis.call('SET', BODY .. op.i, ARGV[op.b], 'PX', ttl) end
  for _, term in ipairs(op.q or {}) do
    local key = TERM .. term
    redis.call('ZADD', key, op.r, op.i)
    redis.call('PEXPIRE', key, ttl)
    if op.r % 16 == 0 and redis.call('ZCARD', key) > max then redis.call('ZREMRANGEBYRANK', key, 0, -max - 1) end
  end
  if op.m == 'new' or op.m == 'replay' then
    redis.call('ZADD', INSTANCE .. op.n, 'NX', op.r, op.i)
    redis.call('ZADD', all, 'NX', op.r, op.i)
    indexed[op.n] = true
  end
end

local function drop(index, id)
  redis.call('DEL', META .. id, BODY .. id, LINE .. id)
  redis.call('ZREM', index, id)
  redis.call('ZREM', all, id)
end

local function trim(instance)
  local key = INSTANCE .. instance
  redis.call('PEXPIRE', key, ttl)
  local count = redis.call('ZCARD', key)
  if count > max then
    for _, old in ipairs(redis.call('ZRANGE', key, 0, count - max - 1)) do drop(key, old) end
  end
  for _, old in ipairs(redis.call('ZRANGE', key, '-inf', cutoff, 'BYSCORE', 'LIMIT', 0, 500)) do drop(key, old) end
end

for _, op in ipairs(cjson.decode(ARGV[10])) do apply(op) end
for instance in pairs(indexed) do trim(instance) end
redis.call('ZREMRANGEBYSCORE', all, '-inf', cutoff)
redis.call('PEXPIRE', all, ttl)
return 1`;

/** The record script on a connection (see {@link RECORD} for its keys and arguments). */
export function recordScript(redis: RedisClient): RedisScript {
  return redisScript(redis, 'snowgateEventLogRecord', 1, RECORD);
}
