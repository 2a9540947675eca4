-- Reads a mailbox's state.
--
-- KEYS[1] boxes hash   KEYS[2] box hash   KEYS[3] uids zset
-- ARGV[1] name  ARGV[2] id
--
-- Returns {-1} when gone, else {1, role, uidvalidity, uidnext, modseq, messages, unseen, size, recent}.

if not box_ok(KEYS[1], ARGV[1], ARGV[2]) then return { -1 } end
local v = redis.call('HMGET', KEYS[2], 'role', 'uidvalidity', 'uidnext', 'modseq', 'messages', 'unseen', 'size', 'recentfrom')
local recent = redis.call('ZCOUNT', KEYS[3], v[8], '+inf')
return { 1, v[1], v[2], v[3], v[4], v[5], v[6], v[7], recent }
