-- Picks an agent for a conversation of a pool and reserves one of its slots.
-- The rule (io.switchboard.domain.AgentChoice): status online, load < max; least loaded, then
-- longest idle (smallest idle), then smallest id.
-- KEYS[1]  pool set of agent ids
-- ARGV[1]  prefix of agent hashes ("P agent:")
-- ARGV[2]  now, ms (becomes the chosen agent's idle)
-- Returns the chosen agent id, or false when nobody has free capacity.
local best, bestLoad, bestIdle
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local h = redis.call('HMGET', ARGV[1] .. id, 'status', 'max', 'load', 'idle')
  local max = tonumber(h[2]) or 0
  local load = tonumber(h[3]) or 0
  local idle = tonumber(h[4]) or 0
  if h[1] == 'online' and load < max then
    if best == nil or load < bestLoad or (load == bestLoad and (idle < bestIdle or (idle == bestIdle and id < best))) then
      best, bestLoad, bestIdle = id, load, idle
    end
  end
end
if best == nil then
  return false
end
redis.call('HINCRBY', ARGV[1] .. best, 'load', 1)
redis.call('HSET', ARGV[1] .. best, 'idle', ARGV[2])
return best
