-- Creates a mailbox if its name is free.
--
-- KEYS[1]  user hash      postroom:mbx:{u}:user   lastvalidity, bytes, messages
-- KEYS[2]  boxes hash     postroom:mbx:{u}:boxes  name -> mailbox id
-- KEYS[3]  box hash       postroom:mbx:{u}:b:<id> (the new id, chosen by the caller)
-- ARGV[1]  name   ARGV[2] id   ARGV[3] role   ARGV[4] now (Unix seconds)
--
-- Returns {1, id} when created, {0, existing id} when the name exists.
-- UIDVALIDITY is max(last one given to this user + 1, now): unique among the user's mailboxes,
-- and after a deletion of all data still larger than any earlier value (time moved on).

local existing = redis.call('HGET', KEYS[2], ARGV[1])
if existing then return { 0, existing } end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastvalidity') or '0')
local validity = math.max(last + 1, tonumber(ARGV[4]))
redis.call('HSET', KEYS[1], 'lastvalidity', validity)
redis.call('HSET', KEYS[3], 'name', ARGV[1], 'role', ARGV[3], 'uidvalidity', validity, 'uidnext', 1,
  'modseq', 1, 'messages', 0, 'unseen', 0, 'size', 0, 'recentfrom', 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return { 1, ARGV[2] }
