-- Records a delivery attempt's outcome and releases the lease, if the caller still holds it.
--
-- KEYS[1]  entry hash
-- KEYS[2]  due zset         member id, score = next attempt (Unix ms)
-- KEYS[3]  leased zset      member id, score = lease expiry (Unix ms)
-- KEYS[4]  tokens hash      field id -> token of the current lease
-- KEYS[5]  lease counts     field id -> number of leases so far
-- KEYS[6]  index zset       all entries
-- KEYS[7]  flushed hash     field id -> time of the last flush (Unix ms)
-- ARGV[1]  id
-- ARGV[2]  the caller's lease token
-- ARGV[3]  next attempt (Unix ms), or "" when every recipient is final
-- ARGV[4..] field, value ... of recipient states to write (reschedule only; encoded in C#)
--
-- Returns 0 when the lease was lost (nothing written), 1 when rescheduled, 2 when finished.

-- Fencing: only the holder of the current token may write. A lessee whose lease expired and
-- was taken over has an old token; a deleted entry has no token.
if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then
  return 0
end

-- Release the lease. The recipient states written below already include any flush.
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])

if ARGV[3] == '' then
  -- Every recipient is final: the entry leaves the queue.
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[6], ARGV[1])
  redis.call('HDEL', KEYS[5], ARGV[1])
  return 2
end

-- Write the new recipient states (chunked, see enqueue.lua) and reschedule.
local chunk = 200
for i = 4, #ARGV, chunk do
  local last = math.min(i + chunk - 1, #ARGV)
  redis.call('HSET', KEYS[1], unpack(ARGV, i, last))
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
