-- Makes up to ARGV[2] scheduled (future, not leased) entries of one partition due now.
--
-- KEYS[1]  due zset         member id, score = next attempt (Unix ms)
-- KEYS[2]  flushed hash     field id -> time of the last flush (Unix ms)
-- ARGV[1]  now (Unix ms)
-- ARGV[2]  batch size
--
-- Returns how many entries were moved; the caller repeats while a full batch was moved.
-- Recipient states live in the entry hashes, which this partition-wide script cannot declare,
-- so the flush time is recorded per id in the flushed hash instead; readers treat a pending
-- recipient due after it as due at it, and completion clears it.

local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], ARGV[1], id)
  redis.call('HSET', KEYS[2], id, ARGV[1])
end
return #ids
