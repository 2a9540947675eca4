-- Unlinks a mailbox: its name is freed at once, its usage leaves the user's totals, and its id
-- joins the "dead" set whose messages purge.lua then removes in batches (so a mailbox of 100,000
-- messages never blocks the server in one script, and a crash resumes from the dead set).
--
-- KEYS[1] user hash  KEYS[2] boxes hash  KEYS[3] box hash  KEYS[4] dead set
-- ARGV[1] name  ARGV[2] id
--
-- Returns {-1} when gone, {1} when unlinked.

if not box_ok(KEYS[2], ARGV[1], ARGV[2]) then return { -1 } end
local v = redis.call('HMGET', KEYS[3], 'messages', 'size')
redis.call('HINCRBY', KEYS[1], 'messages', -tonumber(v[1] or '0'))
redis.call('HINCRBY', KEYS[1], 'bytes', -tonumber(v[2] or '0'))
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'dead', 1)
redis.call('SADD', KEYS[4], ARGV[2])
return { 1 }
