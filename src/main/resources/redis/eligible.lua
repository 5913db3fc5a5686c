-- The agents of a pool who may be offered a conversation now: online, with free capacity.
-- KEYS[1]  pool set of agent ids
-- ARGV[1]  prefix of agent hashes ("P agent:")
-- Returns a list of agent ids.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local h = redis.call('HMGET', ARGV[1] .. id, 'status', 'max', 'load')
  if h[1] == 'online' and (tonumber(h[3]) or 0) < (tonumber(h[2]) or 0) then
    out[#out + 1] = id
  end
end
return out
