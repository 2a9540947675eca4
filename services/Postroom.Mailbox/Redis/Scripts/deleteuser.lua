-- Unlinks every mailbox of a user (see delete.lua; purge.lua removes the messages), and drops the
-- subscriptions and usage. The user hash keeps only "lastvalidity", so a mailbox created later
-- never reuses a UIDVALIDITY.
--
-- KEYS[1] user hash  KEYS[2] boxes hash  KEYS[3] subscriptions set  KEYS[4] dead set
--
-- Returns the unlinked mailbox ids.

local ids = redis.call('HVALS', KEYS[2])
for _, id in ipairs(ids) do redis.call('SADD', KEYS[4], id) end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HDEL', KEYS[1], 'bytes', 'messages')
return ids
