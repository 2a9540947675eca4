-- Copies or moves messages (given by UID) to another mailbox of the same user.
--
-- KEYS[1] user hash  KEYS[2] boxes hash
-- KEYS[3..7]  source box hash, uids zset, flags hash, records hash, deleted zset
-- KEYS[8..12] destination box hash, uids zset, flags hash, records hash, deleted zset
-- ARGV[1] source name  ARGV[2] source id  ARGV[3] destination name  ARGV[4] destination id
-- ARGV[5] move (1/0)  ARGV[6] quota bytes (-1 = none; copies only)  ARGV[7 ..] source uids
--
-- Returns {-1} source gone, {-2} destination gone, {3} over quota, else
-- {1, destination uidvalidity, source modseq, destination modseq, n, source uid, destination uid, ...}.
-- Source UIDs that no longer exist are skipped (the caller releases their body references).

if not box_ok(KEYS[2], ARGV[1], ARGV[2]) then return { -1 } end
if not box_ok(KEYS[2], ARGV[3], ARGV[4]) then return { -2 } end
local move = ARGV[5] == '1'

local found = {}
local total = 0
for i = 7, #ARGV do
  local rec = redis.call('HGET', KEYS[6], ARGV[i])
  if rec then
    local size = record_head(rec)
    total = total + size
    found[#found + 1] = { ARGV[i], rec, size }
  end
end

local quota = tonumber(ARGV[6])
if not move and quota >= 0 and #found > 0 and tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0') + total > quota then
  return { 3 }
end

local validity = tonumber(redis.call('HGET', KEYS[8], 'uidvalidity'))
local out = { 1, validity, 0, 0, #found }
if #found == 0 then
  out[3] = tonumber(redis.call('HGET', KEYS[3], 'modseq'))
  out[4] = tonumber(redis.call('HGET', KEYS[8], 'modseq'))
  return out
end

local dst_modseq = redis.call('HINCRBY', KEYS[8], 'modseq', 1)
for _, m in ipairs(found) do
  local uid, rec, size = m[1], m[2], m[3]
  local _, flags = parse_fv(redis.call('HGET', KEYS[5], uid))
  local new_uid = redis.call('HINCRBY', KEYS[8], 'uidnext', 1) - 1
  redis.call('ZADD', KEYS[9], new_uid, new_uid)
  redis.call('HSET', KEYS[10], new_uid, format_fv(dst_modseq, flags))
  redis.call('HSET', KEYS[11], new_uid, rec)
  if flag_index(flags, '\\Deleted') then redis.call('ZADD', KEYS[12], new_uid, new_uid) end
  local unseen = flag_index(flags, '\\Seen') == nil
  if unseen then redis.call('HINCRBY', KEYS[8], 'unseen', 1) end
  redis.call('HINCRBY', KEYS[8], 'messages', 1)
  redis.call('HINCRBY', KEYS[8], 'size', size)
  if move then
    redis.call('HDEL', KEYS[5], uid)
    redis.call('HDEL', KEYS[6], uid)
    redis.call('ZREM', KEYS[4], uid)
    redis.call('ZREM', KEYS[7], uid)
    if unseen then redis.call('HINCRBY', KEYS[3], 'unseen', -1) end
    redis.call('HINCRBY', KEYS[3], 'messages', -1)
    redis.call('HINCRBY', KEYS[3], 'size', -size)
  else
    redis.call('HINCRBY', KEYS[1], 'bytes', size)
    redis.call('HINCRBY', KEYS[1], 'messages', 1)
  end
  out[#out + 1] = uid
  out[#out + 1] = new_uid
end
if move then out[3] = redis.call('HINCRBY', KEYS[3], 'modseq', 1) else out[3] = tonumber(redis.call('HGET', KEYS[3], 'modseq')) end
out[4] = tonumber(redis.call('HGET', KEYS[8], 'modseq'))
return out
