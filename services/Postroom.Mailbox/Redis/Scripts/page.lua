-- Reads one page of messages by UID.
--
-- KEYS[1] boxes hash  KEYS[2] uids zset  KEYS[3] flags hash  KEYS[4] records hash
-- ARGV[1] name  ARGV[2] id  ARGV[3] min uid  ARGV[4] max uid  ARGV[5] limit  ARGV[6] with records (1/0)
--
-- Returns {-1} when gone, else {1, uid, flags value, record or false, ...}.

if not box_ok(KEYS[1], ARGV[1], ARGV[2]) then return { -1 } end
local uids = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))
local out = { 1 }
for _, uid in ipairs(uids) do
  out[#out + 1] = uid
  out[#out + 1] = redis.call('HGET', KEYS[3], uid)
  if ARGV[6] == '1' then out[#out + 1] = redis.call('HGET', KEYS[4], uid) else out[#out + 1] = false end
end
return out
