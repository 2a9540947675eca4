-- Extends a lease if the caller still holds it.
--
-- KEYS[1]  leased zset      member id, score = lease expiry (Unix ms)
-- KEYS[2]  tokens hash      field id -> token of the current lease
-- ARGV[1]  id
-- ARGV[2]  the caller's lease token
-- ARGV[3]  new lease expiry (Unix ms)
--
-- Returns 1 when renewed, 0 when the lease is no longer held (re-leased with another token,
-- completed, or the entry was deleted).

if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end

-- A token is present only while the entry is in the leased zset, so XX always updates.
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
return 1
