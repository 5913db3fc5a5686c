-- Takes the oldest waiting conversation of a pool for the best agent with free capacity, in one
-- step (after adding a new one to the queue, when ARGV[4] and ARGV[5] name it: one round trip fewer
-- on the way of a new conversation to its agent): reserves one of the agent's slots (least loaded,
-- then longest idle: AgentChoice), takes the conversation out of the queue and out of the re-alert
-- schedule, and records it as being assigned (so that a node that dies before Postgres confirms does
-- not lose it: see RoutingStore.requeueStuck). Nothing changes when the queue is empty or nobody has
-- free capacity.
-- KEYS[1]  queue sorted set of the pool
-- KEYS[2]  pool set of agent ids
-- KEYS[3]  re-alert sorted set
-- KEYS[4]  being-assigned sorted set: "pool conversation arrival agent" -> when taken (ms)
-- KEYS[5]  hash of the pool's announced positions (the taken one is forgotten)
-- ARGV[1]  prefix of agent hashes ("P agent:")
-- ARGV[2]  now, ms (becomes the chosen agent's idle)
-- ARGV[3]  the pool id
-- ARGV[4]  optional: a conversation that starts waiting now, added to the queue first
-- ARGV[5]  optional: its arrival (its score in the queue)
-- ARGV[6]  optional: "new" when the conversation of ARGV[4] is about to be opened (Postgres does not
--          know it yet, V11): it is taken only when nothing waits in the queue, and never added to it
--          (when it is not taken, it joins the queue once it is stored, as any new conversation)
-- Returns {0} when the queue is empty, {1} when nobody has free capacity, {3} when a "new"
-- conversation would have had to wait behind others, or {2, conversation id, agent id, arrival}.
local head
if ARGV[6] == 'new' then
  if redis.call('EXISTS', KEYS[1]) == 1 then
    return {3}
  end
  head = {ARGV[4], ARGV[5]}
else
  if ARGV[4] then
    redis.call('ZADD', KEYS[1], ARGV[5], ARGV[4])
  end
  head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #head == 0 then
    return {0}
  end
end
local best, bestLoad, bestIdle
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
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
  return {1}
end
local conv, arrival = head[1], head[2]
redis.call('HINCRBY', ARGV[1] .. best, 'load', 1)
redis.call('HSET', ARGV[1] .. best, 'idle', ARGV[2])
redis.call('ZREM', KEYS[1], conv)
redis.call('ZREM', KEYS[3], conv)
redis.call('HDEL', KEYS[5], conv)
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3] .. ' ' .. conv .. ' ' .. arrival .. ' ' .. best)
return {2, conv, best, arrival}
