-- Reads one entry with its scheduling state, as one consistent snapshot.
--
-- KEYS[1]  entry hash
-- KEYS[2]  due zset         member id, score = next attempt (Unix ms)
-- KEYS[3]  leased zset      member id, score = lease expiry (Unix ms)
-- KEYS[4]  lease counts     field id -> number of leases so far
-- KEYS[5]  flushed hash     field id -> time of the last flush (Unix ms)
-- ARGV[1]  id
--
-- Returns { hash fields and values (flat), due score or nil, lease expiry or nil,
--           lease count or nil, flush time or nil }, or an empty array when there is no entry.

local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then
  return {}
end

return {
  fields,
  redis.call('ZSCORE', KEYS[2], ARGV[1]),
  redis.call('ZSCORE', KEYS[3], ARGV[1]),
  redis.call('HGET', KEYS[4], ARGV[1]),
  redis.call('HGET', KEYS[5], ARGV[1]),
}
