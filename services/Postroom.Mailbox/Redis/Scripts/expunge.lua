-- Removes messages flagged \Deleted (all, or those in UID ranges), up to a limit per call.
--
-- KEYS[1] user hash  KEYS[2] boxes hash  KEYS[3] box hash  KEYS[4] uids zset
-- KEYS[5] flags hash  KEYS[6] records hash  KEYS[7] deleted zset
-- ARGV[1] name  ARGV[2] id  ARGV[3] limit  ARGV[4] number of ranges r (0 = every \Deleted message)
-- ARGV[5 ..] ranges (first, last)
--
-- Returns {-1} when gone, else {1, modseq, n, uid, blob key, ...}. The caller calls again while
-- n equals the limit, then releases one body reference per returned blob key.

if not box_ok(KEYS[2], ARGV[1], ARGV[2]) then return { -1 } end
local limit = tonumber(ARGV[3])
local r = tonumber(ARGV[4])
local ranges = read_ranges(5, r)
if r == 0 then ranges = { { 0, '+inf' } } end

local out = { 1, 0, 0 }
local n = 0
for _, range in ipairs(ranges) do
  if n < limit then
    local uids = redis.call('ZRANGEBYSCORE', KEYS[7], range[1], range[2], 'LIMIT', 0, limit - n)
    for _, uid in ipairs(uids) do
      n = n + 1
      local rec = redis.call('HGET', KEYS[6], uid)
      local size, blob = record_head(rec)
      local _, flags = parse_fv(redis.call('HGET', KEYS[5], uid))
      if not flag_index(flags, '\\Seen') then redis.call('HINCRBY', KEYS[3], 'unseen', -1) end
      redis.call('HDEL', KEYS[5], uid)
      redis.call('HDEL', KEYS[6], uid)
      redis.call('ZREM', KEYS[4], uid)
      redis.call('ZREM', KEYS[7], uid)
      redis.call('HINCRBY', KEYS[3], 'messages', -1)
      redis.call('HINCRBY', KEYS[3], 'size', -size)
      redis.call('HINCRBY', KEYS[1], 'bytes', -size)
      redis.call('HINCRBY', KEYS[1], 'messages', -1)
      out[#out + 1] = uid
      out[#out + 1] = blob
    end
  end
end
out[3] = n
if n > 0 then out[2] = redis.call('HINCRBY', KEYS[3], 'modseq', 1) else out[2] = tonumber(redis.call('HGET', KEYS[3], 'modseq')) end
return out
