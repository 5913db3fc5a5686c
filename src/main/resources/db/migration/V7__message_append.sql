-- Messages are written by one statement only (MessageStore's append), which inserts a message only
-- for a conversation row it has just locked and updated, and conversations are never deleted. The
-- foreign key re-checked that for every message with a lookup of its own: 10-20% of Postgres' CPU
-- per message under load (pgbench, docs/benchmarks.md). The append statement now carries the
-- guarantee; notes, assignments and attachments keep their keys.
alter table messages drop constraint messages_conversation_id_fkey;
