-- The functions on the way of a new conversation to its agent plan their statements without
-- sequential scans. Every lookup in them has an index; but PL/pgSQL keeps a statement's plan for the
-- life of the connection, and a plan made while a table is a few pages long (a young database, or
-- one just after the node's warm-up) scans that table whole, and goes on scanning it as it grows,
-- until an analyze of the table makes the plan again: up to a minute, autovacuum's round. In a
-- routing benchmark on a fresh database, visitors was read whole 500-760 times a second for the
-- first ~13 s of the measured phase (1-2.5 million rows a second), which doubled Postgres' CPU per new
-- conversation and carried most of that benchmark's tail (docs/benchmarks.md). enable_seqscan = off
-- does not forbid a scan where no index serves; it only stops the planner from preferring one.
alter function open_conversation(uuid, uuid, timestamptz, text, timestamptz, uuid, text, text, text, jsonb, uuid, uuid, uuid)
    set enable_seqscan = off;
alter function assign_to(uuid, uuid, uuid, uuid) set enable_seqscan = off;
alter function auto_assign(uuid, uuid, uuid, uuid) set enable_seqscan = off;
