/**
 * The Lua scripts of the subscriber circuit breaker (see SubscriberBreaker). Every script takes the same keys:
 * KEYS[1] the breaker's hash (state, failures, opens, openedAt, openUntil, probe, probeUntil, lastFailureAt),
 * KEYS[2] the sorted set of held deliveries (job id by the time it was first held), KEYS[3] the sorted set of
 * breakers waiting for a probe (instance id by when one is due). ARGV[1] is always the instance id.
 */

/** Whether a probe is due now: open and past `openUntil`, or half-open with a lapsed probe lease. */
const PROBE_DUE = `
local function probeDue(state, openUntil, probeUntil, now)
  return (state == 'open' and now >= tonumber(openUntil or 0)) or (state == 'half_open' and now >= tonumber(probeUntil or 0))
end
local function claim(jobId, now, leaseMs)
  local untilMs = now + leaseMs
  redis.call('HSET', KEYS[1], 'state', 'half_open', 'probe', jobId, 'probeUntil', untilMs)
  redis.call('ZREM', KEYS[2], jobId)
  redis.call('ZADD', KEYS[3], untilMs, ARGV[1])
end
`;

/**
 * ARGV: instance id, job id, now, probe lease ms. Returns `send` (closed), `probe` (this delivery tests the
 * subscriber: it was chosen, or a probe is due and it takes it) or `hold` (it joins the held set, oldest first).
 */
export const ADMIT = `${PROBE_DUE}
local s = redis.call('HMGET', KEYS[1], 'state', 'openUntil', 'probe', 'probeUntil')
if not s[1] or s[1] == 'closed' then return 'send' end
local now = tonumber(ARGV[3])
if s[1] == 'half_open' and s[3] == ARGV[2] then
  redis.call('ZREM', KEYS[2], ARGV[2])
  return 'probe'
end
if probeDue(s[1], s[2], s[4], now) then
  claim(ARGV[2], now, tonumber(ARGV[4]))
  return 'probe'
end
redis.call('ZADD', KEYS[2], 'NX', now, ARGV[2])
return 'hold'`;

/**
 * For the prober. ARGV: instance id, now, probe lease ms, recheck ms. Returns the held delivery chosen as the
 * probe (the one held longest), or false: not due, closed, or nothing held (the next delivery to arrive probes).
 */
export const CLAIM = `${PROBE_DUE}
local s = redis.call('HMGET', KEYS[1], 'state', 'openUntil', 'probeUntil')
local now = tonumber(ARGV[2])
if not s[1] or s[1] == 'closed' then
  redis.call('ZREM', KEYS[3], ARGV[1])
  return false
end
if not probeDue(s[1], s[2], s[3], now) then
  local nextAt = (s[1] == 'open') and s[2] or s[3]
  redis.call('ZADD', KEYS[3], nextAt or (now + tonumber(ARGV[4])), ARGV[1])
  return false
end
local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if not head then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[1])
  return false
end
claim(head, now, tonumber(ARGV[3]))
return head`;

/**
 * ARGV: instance id, job id, ok (1 the subscriber answered, 0 it failed), now, failure threshold, open ms, max
 * open ms. A success closes the breaker and returns `{'closed', held job ids…}` (the held set is emptied); a
 * failure counts, opens the breaker at the threshold (`{'opened'}`), and a failed probe opens it again for
 * twice as long, up to the maximum (`{'reopened'}`). Otherwise `{}`.
 */
export const RECORD = `
local s = redis.call('HMGET', KEYS[1], 'state', 'failures', 'probe')
local state = s[1] or 'closed'
local now = tonumber(ARGV[4])
if ARGV[3] == '1' then
  if state == 'closed' then
    if tonumber(s[2] or 0) > 0 then redis.call('HSET', KEYS[1], 'failures', 0) end
    return {}
  end
  redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0, 'opens', 0)
  redis.call('HDEL', KEYS[1], 'probe', 'probeUntil', 'openUntil', 'openedAt')
  redis.call('ZREM', KEYS[3], ARGV[1])
  local held = redis.call('ZRANGE', KEYS[2], 0, -1)
  redis.call('DEL', KEYS[2])
  table.insert(held, 1, 'closed')
  return held
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'lastFailureAt', now)
if state == 'half_open' and s[3] == ARGV[2] then
  local opens = redis.call('HINCRBY', KEYS[1], 'opens', 1)
  local untilMs = now + math.min(tonumber(ARGV[7]), tonumber(ARGV[6]) * 2 ^ opens)
  redis.call('HSET', KEYS[1], 'state', 'open', 'openUntil', untilMs)
  redis.call('HDEL', KEYS[1], 'probe', 'probeUntil')
  redis.call('ZADD', KEYS[3], untilMs, ARGV[1])
  return {'reopened'}
end
if state == 'closed' and failures >= tonumber(ARGV[5]) then
  local untilMs = now + tonumber(ARGV[6])
  redis.call('HSET', KEYS[1], 'state', 'open', 'opens', 0, 'openedAt', now, 'openUntil', untilMs)
  redis.call('ZADD', KEYS[3], untilMs, ARGV[1])
  return {'opened'}
end
return {}`;

/** ARGV: instance id. Closes the breaker whatever its state and returns the held job ids (the set is emptied). */
export const RESET = `
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
local held = redis.call('ZRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
return held`;
