-- Gives back one slot of an agent (a conversation left it, or a reservation was not used).
-- The load never goes below zero.
-- KEYS[1]  the agent's hash
-- Returns the new load.
local load = tonumber(redis.call('HGET', KEYS[1], 'load')) or 0
if load <= 0 then
  redis.call('HSET', KEYS[1], 'load', 0)
  return 0
end
return redis.call('HINCRBY', KEYS[1], 'load', -1)
