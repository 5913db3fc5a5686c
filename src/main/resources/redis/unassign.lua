-- Undoes what assign.lua took when Postgres refused the assignment (or could not be asked): gives
-- the agent's slot back and, when the conversation still waits, puts it back at its place in the
-- queue. A conversation that another node already put back (RoutingStore.requeueStuck) is not
-- added twice.
-- KEYS[1]  the agent's hash
-- KEYS[2]  being-assigned sorted set
-- KEYS[3]  queue sorted set of the pool
-- ARGV[1]  the being-assigned member ("pool conversation arrival agent")
-- ARGV[2]  "1" to put the conversation back in the queue, "0" when it no longer waits
-- ARGV[3]  conversation id
-- ARGV[4]  arrival (queue score)
-- Returns 1 when the conversation was put back.
local load = tonumber(redis.call('HGET', KEYS[1], 'load')) or 0
if load <= 0 then
  redis.call('HSET', KEYS[1], 'load', 0)
else
  redis.call('HINCRBY', KEYS[1], 'load', -1)
end
local mine = redis.call('ZREM', KEYS[2], ARGV[1])
if mine == 1 and ARGV[2] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
  return 1
end
return 0
