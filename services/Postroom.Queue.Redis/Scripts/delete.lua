-- Removes one entry whatever its state.
--
-- KEYS[1]  entry hash
-- KEYS[2]  due zset
-- KEYS[3]  leased zset
-- KEYS[4]  tokens hash      (removing the token makes the current lessee's completion fail)
-- KEYS[5]  lease counts
-- KEYS[6]  index zset
-- KEYS[7]  flushed hash
-- ARGV[1]  id
--
-- Returns 1 when the entry existed, 0 otherwise.

local existed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
return existed
