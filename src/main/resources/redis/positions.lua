-- The queue positions that changed since they were last announced, recording them as announced.
-- Positions start at 1 (next in line). Conversations no longer queued are forgotten.
-- KEYS[1]  queue sorted set
-- KEYS[2]  hash: conversation id -> last announced position
-- Returns a flat list: id1, pos1, id2, pos2 … of the changed ones.
local out = {}
local queued = redis.call('ZRANGE', KEYS[1], 0, -1)
local seen = {}
for i, id in ipairs(queued) do
  seen[id] = true
  local last = redis.call('HGET', KEYS[2], id)
  if tonumber(last) ~= i then
    redis.call('HSET', KEYS[2], id, i)
    out[#out + 1] = id
    out[#out + 1] = i
  end
end
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do
  if not seen[id] then
    redis.call('HDEL', KEYS[2], id)
  end
end
return out
