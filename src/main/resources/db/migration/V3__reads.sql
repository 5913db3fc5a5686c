-- Read receipts: the last seq each participant has read, so an agent sees "seen".
create table conversation_reads (
    conversation_id uuid not null references conversations (id),
    reader_type     text not null check (reader_type in ('customer', 'agent')),
    -- the visitor id for the customer, the agent id for agents
    reader_id       uuid not null,
    seq             bigint not null,
    at              timestamptz not null default now(),
    primary key (conversation_id, reader_id)
);
