-- Removes up to a limit of messages of an unlinked mailbox; when none are left, its keys and its
-- entry in the dead set.
--
-- KEYS[1] box hash  KEYS[2] uids zset  KEYS[3] flags hash  KEYS[4] records hash
-- KEYS[5] deleted zset  KEYS[6] dead set
-- ARGV[1] id  ARGV[2] limit
--
-- Returns {done (1/0), blob key, ...}: one blob key per removed message, whose body reference
-- the caller then releases.

if redis.call('SISMEMBER', KEYS[6], ARGV[1]) == 0 then return { 1 } end
local uids = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)
local out = { 0 }
for _, uid in ipairs(uids) do
  local rec = redis.call('HGET', KEYS[4], uid)
  if rec then
    local _, blob = record_head(rec)
    out[#out + 1] = blob
  end
  redis.call('HDEL', KEYS[3], uid)
  redis.call('HDEL', KEYS[4], uid)
  redis.call('ZREM', KEYS[2], uid)
end
if #uids < tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  redis.call('SREM', KEYS[6], ARGV[1])
  out[1] = 1
end
return out
