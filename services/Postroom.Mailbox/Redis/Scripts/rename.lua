-- Renames mailboxes: one mailbox and its children, or INBOX (RFC 3501 section 6.3.5).
--
-- Mode "tree":
--   KEYS[1] user hash  KEYS[2] boxes hash  KEYS[2+i] box hash of rename i
--   ARGV[1] "tree"  ARGV[2] n, then per rename: old name, new name, id, new role
--   Every old name must still map to its id, and no new name may exist outside the renamed set.
-- Mode "inbox": INBOX's mailbox (id and messages) takes the new name; a fresh INBOX is created.
--   KEYS[1] user hash  KEYS[2] boxes hash  KEYS[3] INBOX's box hash  KEYS[4] the new INBOX's box hash
--   ARGV[1] "inbox"  ARGV[2] INBOX id  ARGV[3] new name  ARGV[4] new role  ARGV[5] new INBOX id
--   ARGV[6] now (Unix seconds)
--
-- Returns {1} when done, {-1} when a mailbox changed meanwhile (look up again), {-2} when a
-- target name exists.

if ARGV[1] == 'inbox' then
  if not box_ok(KEYS[2], 'INBOX', ARGV[2]) then return { -1 } end
  if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return { -2 } end
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[2])
  redis.call('HSET', KEYS[3], 'name', ARGV[3], 'role', ARGV[4])
  local last = tonumber(redis.call('HGET', KEYS[1], 'lastvalidity') or '0')
  local validity = math.max(last + 1, tonumber(ARGV[6]))
  redis.call('HSET', KEYS[1], 'lastvalidity', validity)
  redis.call('HSET', KEYS[4], 'name', 'INBOX', 'role', 'Inbox', 'uidvalidity', validity, 'uidnext', 1,
    'modseq', 1, 'messages', 0, 'unseen', 0, 'size', 0, 'recentfrom', 1)
  redis.call('HSET', KEYS[2], 'INBOX', ARGV[5])
  return { 1 }
end

local n = tonumber(ARGV[2])
local ids = {}
for i = 1, n do
  local base = 3 + (i - 1) * 4
  if not box_ok(KEYS[2], ARGV[base], ARGV[base + 2]) then return { -1 } end
  ids[ARGV[base + 2]] = true
end
for i = 1, n do
  local base = 3 + (i - 1) * 4
  local existing = redis.call('HGET', KEYS[2], ARGV[base + 1])
  if existing and not ids[existing] then return { -2 } end
end
for i = 1, n do
  redis.call('HDEL', KEYS[2], ARGV[3 + (i - 1) * 4])
end
for i = 1, n do
  local base = 3 + (i - 1) * 4
  redis.call('HSET', KEYS[2], ARGV[base + 1], ARGV[base + 2])
  redis.call('HSET', KEYS[2 + i], 'name', ARGV[base + 1], 'role', ARGV[base + 3])
end
return { 1 }
