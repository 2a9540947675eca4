-- Stores one new queue entry atomically.
--
-- KEYS[1]  entry hash       postroom:queue:{pN}:e:<id>
-- KEYS[2]  due zset         postroom:queue:{pN}:due      member id, score = next attempt (Unix ms)
-- KEYS[3]  index zset       postroom:queue:{pN}:index    member id, score 0 (lexical order = age)
-- ARGV[1]  id
-- ARGV[2]  first attempt (Unix ms)
-- ARGV[3..] field, value, field, value ... of the entry hash (encoded in C#)
--
-- Returns 1 when stored, 0 when an entry with this id already exists (an idempotent retry:
-- nothing is overwritten).

if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end

-- Write the hash in chunks so a message with thousands of recipients stays within Lua's
-- unpack() limit. The script is atomic, so readers still see all fields or none.
local chunk = 200
for i = 3, #ARGV, chunk do
  local last = math.min(i + chunk - 1, #ARGV)
  redis.call('HSET', KEYS[1], unpack(ARGV, i, last))
end

-- Make it due and listable.
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
return 1
