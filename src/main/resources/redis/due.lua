-- Takes the members of a sorted set whose score (a time, ms) is due, removing them, so that
-- exactly one node acts on each (re-alerts, agents gone past their grace period).
-- KEYS[1]  sorted set
-- ARGV[1]  now, ms
-- ARGV[2]  at most this many
-- Returns the taken members.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due > 0 then
  redis.call('ZREM', KEYS[1], unpack(due))
end
return due
