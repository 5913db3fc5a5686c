-- Routing: the arrival order of conversations (queues are ordered by it, so a conversation put back
-- in a queue goes ahead of newer ones), and indexes for rebuilding Redis from Postgres.

create sequence conversation_arrival;
alter table conversations add column arrival bigint not null default nextval('conversation_arrival');
alter sequence conversation_arrival owned by conversations.arrival;

-- Waiting conversations, by pool: rebuilt into Redis queues after a Redis restart.
create index conversations_waiting_ix on conversations (workspace_id, team_id, arrival)
    where status = 'open' and assignee_id is null;
