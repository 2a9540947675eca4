-- Ends \Recent for later sessions: the caller gets the recent UIDs [recentfrom, uidnext).
--
-- KEYS[1] boxes hash   KEYS[2] box hash   KEYS[3] uids zset
-- ARGV[1] name  ARGV[2] id
--
-- Returns {-1} when gone, else {1, first recent uid or 0}.

if not box_ok(KEYS[1], ARGV[1], ARGV[2]) then return { -1 } end
local from = redis.call('HGET', KEYS[2], 'recentfrom')
local uidnext = redis.call('HGET', KEYS[2], 'uidnext')
redis.call('HSET', KEYS[2], 'recentfrom', uidnext)
if redis.call('ZCOUNT', KEYS[3], from, '+inf') == 0 then return { 1, 0 } end
return { 1, tonumber(from) }
