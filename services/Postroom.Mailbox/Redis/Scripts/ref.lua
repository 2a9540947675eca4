-- A body's reference count (one key per blob, its own hash tag, so not in the user's slot).
--
-- KEYS[1] postroom:mbx:ref:{<blob key>}  (a number, or "x" while the body is being deleted)
-- ARGV[1] "add" | "release" | "undo" | "clear"   ARGV[2] count
--
-- add:     +count; returns the new count, or -1 when the body is being deleted (a tombstone).
-- release: -count for removed mailbox entries; at zero the key becomes a tombstone (an hour) and
--          0 is returned: the caller deletes the body, then the tombstone.
-- undo:    -count for an add whose entry was never written; at zero the key is removed and the
--          body kept (its writer still owns it). Returns the new count.
-- clear:   removes the tombstone once the body is deleted.
-- release and undo return -2 when there is no count (the body is left alone).

local v = redis.call('GET', KEYS[1])
if ARGV[1] == 'clear' then
  if v == 'x' then redis.call('DEL', KEYS[1]) end
  return 0
end
local count = tonumber(ARGV[2])
if ARGV[1] == 'add' then
  if v == 'x' then return -1 end
  return redis.call('INCRBY', KEYS[1], count)
end
if v == 'x' then return -1 end
-- No count at all: nothing known about this body's references, so it is never deleted from here.
if not v then return -2 end
local now = tonumber(v or '0') - count
if now > 0 then
  redis.call('SET', KEYS[1], now)
  return now
end
if ARGV[1] == 'release' then
  redis.call('SET', KEYS[1], 'x', 'EX', 3600)
else
  redis.call('DEL', KEYS[1])
end
return 0
