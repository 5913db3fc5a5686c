-- Messages are written by one statement only (MessageStore's append), which inserts a message only
-- for a conversation row it has just locked and updated, and conversations are never deleted. The
-- foreign key re-checked that for every message with a lookup of its own: 10-20% of Postgres' CPU
-- per message under load (pgbench, docs/benchmarks.md). The append statement now carries the
-- guarantee; notes, assignments and attachments keep their keys.
alter table messages drop constraint messages_conversation_id_fkey;

-- A retried message whose conversation was resolved meanwhile is found through the visitor's
-- conversations (conversations_visitor_ix, then messages_client_msg_uq): one index fewer to write
-- for every message.
drop index messages_sender_client_msg_ix;
