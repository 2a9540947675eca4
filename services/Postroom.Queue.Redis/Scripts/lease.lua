-- Leases up to ARGV[2] due entries of one partition to one caller.
--
-- KEYS[1]  due zset         member id, score = next attempt (Unix ms); entries not leased
-- KEYS[2]  leased zset      member id, score = lease expiry (Unix ms)
-- KEYS[3]  tokens hash      field id -> token of the current lease
-- KEYS[4]  lease counts     field id -> number of leases so far
-- ARGV[1]  now (Unix ms)
-- ARGV[2]  max entries
-- ARGV[3]  lease expiry (Unix ms)
-- ARGV[4]  token prefix, unique to this call (the n-th lease gets "<prefix>:<n>")
--
-- Returns a flat array: id, token, lease count, id, token, lease count, ...
--
-- Everything happens in one atomic script, so an entry is handed to exactly one caller: once
-- claimed it is in the leased zset with a future expiry and no other call can see it as due.

local max = tonumber(ARGV[2])
local out = {}
local n = 0

local function claim(id)
  n = n + 1
  local token = ARGV[4] .. ':' .. n
  -- The lease expiry doubles as the moment the entry becomes due again if the lessee dies.
  redis.call('ZADD', KEYS[2], ARGV[3], id)
  -- A new token fences out any previous lessee: completion checks it.
  redis.call('HSET', KEYS[3], id, token)
  local count = redis.call('HINCRBY', KEYS[4], id, 1)
  out[#out + 1] = id
  out[#out + 1] = token
  out[#out + 1] = count
end

-- 1. Entries whose lease expired (the worker crashed or stalled) go first: they are the oldest
--    attempts. Each one moves to this caller with a new token.
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, max)
for _, id in ipairs(expired) do
  claim(id)
end

-- 2. Entries whose next attempt is due, earliest first.
if n < max then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, max - n)
  for _, id in ipairs(due) do
    redis.call('ZREM', KEYS[1], id)
    claim(id)
  end
end

return out
