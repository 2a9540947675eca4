-- Changes the flags of messages in UID ranges (STORE), up to a limit per call.
--
-- KEYS[1] boxes hash  KEYS[2] box hash  KEYS[3] uids zset  KEYS[4] flags hash  KEYS[5] deleted zset
-- ARGV[1] name  ARGV[2] id  ARGV[3] add|remove|replace  ARGV[4] unchangedsince (0 = none)
-- ARGV[5] after uid (continue past it)  ARGV[6] limit  ARGV[7] number of ranges r
-- ARGV[8 .. 7+2r] ranges (first, last)  ARGV[8+2r ..] flags
--
-- Returns {-1} when gone, else
-- {1, cursor (last uid handled when the limit was reached, else 0), highest modseq, n matched,
--  uid, modseq, flags value ... (n times), uids refused by unchangedsince ...}.
-- Messages whose flags change share one new mod-sequence; unchanged ones keep theirs.

if not box_ok(KEYS[1], ARGV[1], ARGV[2]) then return { -1 } end
local op = ARGV[3]
local since = tonumber(ARGV[4])
local after = tonumber(ARGV[5])
local limit = tonumber(ARGV[6])
local r = tonumber(ARGV[7])
local ranges = read_ranges(8, r)
local args = {}
for i = 8 + 2 * r, #ARGV do args[#args + 1] = ARGV[i] end

local matched = {}
local refused = {}
local modseq = nil
local seen = 0
local cursor = 0
for _, range in ipairs(ranges) do
  local lo = math.max(range[1], after + 1)
  if lo <= range[2] and seen < limit then
    local uids = redis.call('ZRANGEBYSCORE', KEYS[3], lo, range[2], 'LIMIT', 0, limit - seen)
    for _, uid in ipairs(uids) do
      seen = seen + 1
      local old_modseq, flags = parse_fv(redis.call('HGET', KEYS[4], uid))
      if since > 0 and old_modseq > since then
        refused[#refused + 1] = uid
      else
        local new = {}
        if op == 'replace' then
          for _, f in ipairs(args) do new[#new + 1] = f end
        else
          for _, f in ipairs(flags) do new[#new + 1] = f end
          for _, f in ipairs(args) do
            local at = flag_index(new, f)
            if op == 'add' and not at then new[#new + 1] = f end
            if op == 'remove' and at then table.remove(new, at) end
          end
        end
        local changed = #new ~= #flags
        if not changed then
          for _, f in ipairs(new) do
            if not flag_index(flags, f) then changed = true end
          end
        end
        local ms = old_modseq
        if changed then
          if modseq == nil then modseq = redis.call('HINCRBY', KEYS[2], 'modseq', 1) end
          ms = modseq
          redis.call('HSET', KEYS[4], uid, format_fv(ms, new))
          local was_seen = flag_index(flags, '\\Seen') ~= nil
          local is_seen = flag_index(new, '\\Seen') ~= nil
          if was_seen and not is_seen then redis.call('HINCRBY', KEYS[2], 'unseen', 1) end
          if is_seen and not was_seen then redis.call('HINCRBY', KEYS[2], 'unseen', -1) end
          if flag_index(new, '\\Deleted') then redis.call('ZADD', KEYS[5], uid, uid) else redis.call('ZREM', KEYS[5], uid) end
        end
        matched[#matched + 1] = { uid, ms, table.concat(new, ' ') }
      end
      if seen >= limit then cursor = tonumber(uid) end
    end
  end
end

local out = { 1, cursor, tonumber(redis.call('HGET', KEYS[2], 'modseq')), #matched }
for _, m in ipairs(matched) do
  out[#out + 1] = m[1]; out[#out + 1] = m[2]; out[#out + 1] = m[3]
end
for _, uid in ipairs(refused) do out[#out + 1] = uid end
return out
