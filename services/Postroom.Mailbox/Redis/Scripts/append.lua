-- Appends messages to one mailbox.
--
-- KEYS[1]  user hash   KEYS[2] boxes hash   KEYS[3] box hash
-- KEYS[4]  uids zset   (member uid, score uid)
-- KEYS[5]  flags hash  (uid -> "<modseq> <flags>")
-- KEYS[6]  records hash (uid -> record)
-- KEYS[7]  deleted zset (uids flagged \Deleted)
-- KEYS[7+i] idempotency key of message i (postroom:mbx:{u}:idem:<key>; unused when ARGV says so)
-- ARGV[1] name  ARGV[2] id  ARGV[3] quota bytes (-1 = none)  ARGV[4] idempotency TTL seconds
-- ARGV[5] n, then per message 4 values: size, record, flags (space separated), use idempotency (1/0)
--
-- Returns {status, highest modseq, then per message: result, uidvalidity, uid}
-- status 1 = done, -1 = mailbox gone (nothing written unless every message is a duplicate);
-- result 1 = appended, 2 = duplicate (values of the first append), 3 = over quota.

local n = tonumber(ARGV[5])

-- Duplicates first: a retried append answers even if the mailbox was renamed since.
local dups = {}
local all_dups = true
for i = 1, n do
  local base = 6 + (i - 1) * 4
  if ARGV[base + 3] == '1' then
    local v = redis.call('GET', KEYS[7 + i])
    if v then dups[i] = v else all_dups = false end
  else
    all_dups = false
  end
end

local out = { 1, 0 }
if not box_ok(KEYS[2], ARGV[1], ARGV[2]) then
  if not all_dups then return { -1 } end
  out[1] = -1
end

local quota = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local modseq = nil
local added = 0
for i = 1, n do
  local base = 6 + (i - 1) * 4
  local size = tonumber(ARGV[base])
  if dups[i] then
    local validity, uid = string.match(dups[i], '^(%d+):(%d+)$')
    out[#out + 1] = 2; out[#out + 1] = tonumber(validity); out[#out + 1] = tonumber(uid)
  elseif ARGV[base + 3] == '1' and redis.call('GET', KEYS[7 + i]) then
    -- The same key twice in one batch.
    local validity, uid = string.match(redis.call('GET', KEYS[7 + i]), '^(%d+):(%d+)$')
    out[#out + 1] = 2; out[#out + 1] = tonumber(validity); out[#out + 1] = tonumber(uid)
  elseif quota >= 0 and tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0') + size > quota then
    out[#out + 1] = 3; out[#out + 1] = 0; out[#out + 1] = 0
  else
    if modseq == nil then modseq = redis.call('HINCRBY', KEYS[3], 'modseq', 1) end
    local uid = redis.call('HINCRBY', KEYS[3], 'uidnext', 1) - 1
    local validity = redis.call('HGET', KEYS[3], 'uidvalidity')
    local flags = {}
    for w in string.gmatch(ARGV[base + 2], '%S+') do flags[#flags + 1] = w end
    redis.call('ZADD', KEYS[4], uid, uid)
    redis.call('HSET', KEYS[5], uid, format_fv(modseq, flags))
    redis.call('HSET', KEYS[6], uid, ARGV[base + 1])
    if flag_index(flags, '\\Deleted') then redis.call('ZADD', KEYS[7], uid, uid) end
    if not flag_index(flags, '\\Seen') then redis.call('HINCRBY', KEYS[3], 'unseen', 1) end
    redis.call('HINCRBY', KEYS[3], 'messages', 1)
    redis.call('HINCRBY', KEYS[3], 'size', size)
    redis.call('HINCRBY', KEYS[1], 'bytes', size)
    redis.call('HINCRBY', KEYS[1], 'messages', 1)
    if ARGV[base + 3] == '1' then
      redis.call('SET', KEYS[7 + i], validity .. ':' .. uid, 'EX', ttl)
    end
    added = added + 1
    out[#out + 1] = 1; out[#out + 1] = tonumber(validity); out[#out + 1] = uid
  end
end
out[2] = modseq or 0
return out
