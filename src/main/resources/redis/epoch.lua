-- Claims the rebuild of routing state from Postgres, for exactly one caller per run of Postgres.
-- Needed when Redis holds no state (first start, or Redis lost its data), and when Postgres has
-- restarted since the last rebuild: a crash of Postgres may have lost the last automatic assignments
-- (their commits do not wait for the disk, V9), which Redis still holds as taken.
-- KEYS[1]  the epoch key
-- ARGV[1]  when the running Postgres started (pg_postmaster_start_time)
-- Returns 1 to the one caller that must rebuild, 0 otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
