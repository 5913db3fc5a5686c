-- Switchboard core schema. Every row belongs to a workspace (the tenant).
-- Times are timestamptz; the wire carries them as epoch milliseconds.

create table workspaces (
    id              uuid primary key,
    name            text not null,
    -- routing of conversations that come from a widget bound to no team
    default_routing text not null default 'manual' check (default_routing in ('manual', 'auto')),
    created_at      timestamptz not null default now()
);

create table agents (
    id            uuid primary key,
    workspace_id  uuid not null references workspaces (id),
    email         text not null,
    name          text not null,
    password_hash text not null,
    role          text not null check (role in ('admin', 'agent')),
    max_chats     int  not null default 5 check (max_chats between 1 and 1000),
    created_at    timestamptz not null default now()
);
-- Login is by e-mail alone, so e-mails are unique across workspaces.
create unique index agents_email_uq on agents (lower(email));
create index agents_workspace_ix on agents (workspace_id);

create table teams (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    name         text not null,
    routing      text not null default 'manual' check (routing in ('manual', 'auto')),
    created_at   timestamptz not null default now(),
    unique (workspace_id, name)
);

create table team_members (
    team_id  uuid not null references teams (id) on delete cascade,
    agent_id uuid not null references agents (id) on delete cascade,
    primary key (team_id, agent_id)
);
create index team_members_agent_ix on team_members (agent_id);

create table widgets (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    key          text not null unique,
    name         text not null,
    team_id      uuid references teams (id),
    created_at   timestamptz not null default now()
);

create table visitors (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    widget_id    uuid not null references widgets (id),
    -- sha-256 of the visitor token: a stolen database does not hand out sessions
    token_hash   bytea not null unique,
    name         text,
    email        text,
    created_at   timestamptz not null default now()
);

create table conversations (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    widget_id    uuid not null references widgets (id),
    visitor_id   uuid not null references visitors (id),
    team_id      uuid references teams (id),
    assignee_id  uuid references agents (id),
    status       text not null default 'open' check (status in ('open', 'pending', 'done')),
    -- seq of the last customer-visible message; allocated in the insert's own statement
    last_seq     bigint not null default 0,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    done_at      timestamptz
);
create index conversations_visitor_ix on conversations (visitor_id, created_at desc);
create index conversations_inbox_ix on conversations (workspace_id, status, created_at desc);
create index conversations_assignee_ix on conversations (assignee_id, status) where assignee_id is not null;

create table messages (
    id              uuid primary key,
    conversation_id uuid not null references conversations (id),
    seq             bigint not null,
    at              timestamptz not null,
    author_type     text not null check (author_type in ('customer', 'agent', 'system')),
    -- visitor id for customers, agent id for agents, null for system messages
    author_id       uuid,
    author_name     text,
    kind            text not null,
    text            text,
    attachment_id   uuid,
    payload         jsonb,
    client_msg_id   text,
    unique (conversation_id, seq)
);
-- Idempotent retries: one message per sender and clientMsgId in a conversation.
create unique index messages_client_msg_uq on messages (conversation_id, author_id, client_msg_id)
    where client_msg_id is not null;
-- A retry that arrives after its conversation was resolved is found by sender.
create index messages_sender_client_msg_ix on messages (author_id, client_msg_id)
    where client_msg_id is not null;

-- Internal notes: never joined into anything a customer can read.
create table notes (
    id              uuid primary key,
    conversation_id uuid not null references conversations (id),
    author_id       uuid not null references agents (id),
    author_name     text not null,
    text            text not null,
    client_msg_id   text,
    at              timestamptz not null
);
create unique index notes_client_msg_uq on notes (conversation_id, author_id, client_msg_id)
    where client_msg_id is not null;
create index notes_conversation_ix on notes (conversation_id, at);

-- Who held a conversation, when and why: every assignment and transfer.
create table assignments (
    id              bigserial primary key,
    conversation_id uuid not null references conversations (id),
    action          text not null check (action in ('claim', 'auto', 'transfer', 'requeue', 'release')),
    agent_id        uuid references agents (id),
    team_id         uuid references teams (id),
    by_agent_id     uuid references agents (id),
    comment         text,
    at              timestamptz not null default now()
);
create index assignments_conversation_ix on assignments (conversation_id, at);
