-- Helpers prepended to every mailbox script (see MailboxScripts.cs). Lua 5.1 (Redis) and 5.4
-- (Garnet) compatible: no integer division, no goto, no table.unpack.
--
-- A flags value (per message, hash <box>:f) is "<modseq> <flag> <flag> ...".
-- A record (per message, hash <box>:m) is "<size>\n<blob key>\n<payload>"; only size and blob
-- key are read here, the payload is opaque (encoded in C#).

local function parse_fv(v)
  local modseq = nil
  local flags = {}
  for w in string.gmatch(v, '%S+') do
    if modseq == nil then modseq = tonumber(w) else flags[#flags + 1] = w end
  end
  return modseq, flags
end

local function format_fv(modseq, flags)
  if #flags == 0 then return string.format('%d', modseq) end
  return string.format('%d', modseq) .. ' ' .. table.concat(flags, ' ')
end

local function flag_index(flags, f)
  local lf = string.lower(f)
  for i = 1, #flags do
    if string.lower(flags[i]) == lf then return i end
  end
  return nil
end

local function record_head(rec)
  local size, blob = string.match(rec, '^(%d+)\n([^\n]*)\n')
  return tonumber(size), blob
end

-- Is the mailbox called name still the one with this id? (A rename or delete may have happened
-- between the caller's lookup and this script; the caller then looks up again.)
local function box_ok(boxes, name, id)
  return redis.call('HGET', boxes, name) == id
end

-- Splits ARGV ranges "first,last" pairs starting at index i (count n) into a list.
local function read_ranges(i, n)
  local ranges = {}
  for k = 0, n - 1 do
    ranges[#ranges + 1] = { tonumber(ARGV[i + 2 * k]), tonumber(ARGV[i + 2 * k + 1]) }
  end
  return ranges
end
