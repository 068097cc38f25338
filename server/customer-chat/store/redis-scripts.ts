import { RedisScript } from './redis-script';

/**
 * The Redis engine's atomic steps. Keys of one chat are built from the prefix and the token passed
 * in ARGV where a script touches several chats (one Redis, not a cluster).
 */

/** KEYS: session, log, ids. ARGV: fence ('' none), upstreamSeq, maxEvents, then (id, json) pairs. */
export const appendScript = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'fence') ~= ARGV[1] then return -1 end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastSeq'))
local seqs = {}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  if id ~= '' and redis.call('SADD', KEYS[3], id) == 0 then
    seqs[#seqs + 1] = 0
  else
    last = last + 1
    redis.call('RPUSH', KEYS[2], last .. ':' .. ARGV[i + 1])
    seqs[#seqs + 1] = last
  end
end
redis.call('HSET', KEYS[1], 'lastSeq', last)
local max = tonumber(ARGV[3])
local length = redis.call('LLEN', KEYS[2])
if length > max then
  redis.call('LTRIM', KEYS[2], length - max, -1)
  length = max
end
redis.call('HSET', KEYS[1], 'firstSeq', last - length + 1)
if ARGV[1] ~= '' then
  local upstream = tonumber(redis.call('HGET', KEYS[1], 'upstreamSeq'))
  if tonumber(ARGV[2]) > upstream then redis.call('HSET', KEYS[1], 'upstreamSeq', ARGV[2]) end
end
return seqs
`);

/** KEYS: session, log. ARGV: seq. Entries after seq. */
export const eventsAfterScript = new RedisScript(`
local first = tonumber(redis.call('HGET', KEYS[1], 'firstSeq'))
if first == nil then return {} end
local start = tonumber(ARGV[1]) - first + 1
if start < 0 then start = 0 end
return redis.call('LRANGE', KEYS[2], start, -1)
`);

/** KEYS: session. ARGV: version, state. */
export const updateStateScript = new RedisScript(`
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1
`);

/**
 * Page changes move the session's version too, so a transition computed from an older page count
 * fails its compare-and-set and is computed again.
 */
const bumpVersion = `
local function bump(session)
  if redis.call('EXISTS', session) == 1 then redis.call('HINCRBY', session, 'version', 1) end
end
`;

/** KEYS: pages, instance pages, session. ARGV: pageId, instanceId, token. */
export const pageJoinedScript = new RedisScript(`${bumpVersion}
bump(KEYS[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return redis.call('HLEN', KEYS[1])
`);

/** KEYS: pages, instance pages, session. ARGV: pageId, instanceId, token. */
export const pageLeftScript = new RedisScript(`${bumpVersion}
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then bump(KEYS[3]) end
local pages = redis.call('HGETALL', KEYS[1])
local mine = false
for i = 2, #pages, 2 do if pages[i] == ARGV[2] then mine = true end end
if not mine then redis.call('SREM', KEYS[2], ARGV[3]) end
return #pages / 2
`);

/** KEYS: instances, instance pages. ARGV: instanceId, prefix. Answers token, pages left, … */
export const removeInstanceScript = new RedisScript(`${bumpVersion}
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return {} end
local out = {}
for _, token in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = ARGV[2] .. 'pages:' .. token
  local pages = redis.call('HGETALL', key)
  local removed = false
  for i = 1, #pages, 2 do
    if pages[i + 1] == ARGV[1] then
      redis.call('HDEL', key, pages[i])
      removed = true
    end
  end
  if removed then
    bump(ARGV[2] .. 's:' .. token)
    out[#out + 1] = token
    out[#out + 1] = redis.call('HLEN', key)
  end
end
redis.call('DEL', KEYS[2])
return out
`);

/** KEYS: deadlines. ARGV: now, limit. Due members, removed. */
export const claimDueScript = new RedisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, member in ipairs(due) do redis.call('ZREM', KEYS[1], member) end
return due
`);

/** KEYS: session, leases. ARGV: token, instanceId, now, ttl. */
export const acquireLeaseScript = new RedisScript(`
local expiry = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not expiry or tonumber(expiry) > tonumber(ARGV[3]) then return false end
local fence = redis.call('HINCRBY', KEYS[1], 'fence', 1)
redis.call('HSET', KEYS[1], 'holder', ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
return fence
`);

/** KEYS: leases. ARGV: instanceId, now, ttl, prefix, then (token, fence) pairs. Lost tokens. */
export const renewLeasesScript = new RedisScript(`
local lost = {}
local expiry = tonumber(ARGV[2]) + tonumber(ARGV[3])
for i = 5, #ARGV, 2 do
  local token = ARGV[i]
  local held = redis.call('HMGET', ARGV[4] .. 's:' .. token, 'fence', 'holder')
  if held[1] == ARGV[i + 1] and held[2] == ARGV[1] and redis.call('ZSCORE', KEYS[1], token) then
    redis.call('ZADD', KEYS[1], 'XX', expiry, token)
  else
    lost[#lost + 1] = token
  end
end
return lost
`);

/** KEYS: session, leases. ARGV: token, fence. */
export const releaseLeaseScript = new RedisScript(`
if redis.call('HGET', KEYS[1], 'fence') == ARGV[2] then
  redis.call('ZADD', KEYS[2], 'XX', 0, ARGV[1])
end
return 1
`);
