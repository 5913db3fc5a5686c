-- Vacuum never shrinks the files of the tables a new customer's way to an agent reads.
--
-- Why: a table vacuumed just after all its rows were deleted is truncated to nothing and its
-- statistics say it is empty. PL/pgSQL and prepared statements keep a generic plan after five runs;
-- made then, it scans the table from end to end, and it is kept while the table grows under load,
-- until an analyze invalidates it. The node's start-up warm-up leaves a young database just so: it
-- removes every row it wrote. Vacuumed so before a load test, new customers waited 0.9-3.9 s (p99)
-- to be routed in the first 10-15 s (docs/benchmarks.md). Untruncated, an emptied table keeps its
-- pages, a scan of it still looks dear, and plans use its indexes. Truncating also took an
-- exclusive lock of the table, which inserts wait for.
alter table messages set (vacuum_truncate = false);
alter table conversations set (vacuum_truncate = false);
alter table visitors set (vacuum_truncate = false);
alter table assignments set (vacuum_truncate = false);
