-- The agent's toolkit: attachments, text blocks (found by typing #), articles, flows, invitations.

create table attachments (
    id              uuid primary key,
    workspace_id    uuid not null references workspaces (id),
    uploader_type   text not null check (uploader_type in ('customer', 'agent')),
    uploader_id     uuid not null,
    -- set when the attachment is sent in a message; from then on whoever may see the conversation may read it
    conversation_id uuid references conversations (id),
    name            text not null,
    -- detected from the bytes, never taken from the client's declaration
    content_type    text not null,
    size            bigint not null,
    -- path of the file, relative to the attachments directory
    path            text not null,
    created_at      timestamptz not null default now()
);
create index attachments_conversation_ix on attachments (conversation_id) where conversation_id is not null;

create table text_blocks (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    -- null: workspace-wide; else only for this team's members (and admins)
    team_id      uuid references teams (id) on delete cascade,
    shortcut     text not null,
    title        text not null,
    body         text not null,
    -- words of title and body, for the "#" search
    search       tsvector generated always as
                 (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, ''))) stored,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create unique index text_blocks_shortcut_uq on text_blocks (workspace_id, coalesce(team_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(shortcut));
create index text_blocks_shortcut_ix on text_blocks (workspace_id, lower(shortcut) text_pattern_ops);
create index text_blocks_search_ix on text_blocks using gin (search);

create table articles (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    title        text not null,
    body         text not null,
    url          text,
    search       tsvector generated always as
                 (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, ''))) stored,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index articles_search_ix on articles using gin (search);

create table flows (
    id           uuid primary key,
    workspace_id uuid not null references workspaces (id),
    title        text not null,
    -- [{"id","label"}, ...]
    options      jsonb not null,
    created_at   timestamptz not null default now()
);

create table invites (
    id              uuid primary key,
    conversation_id uuid not null references conversations (id),
    kind            text not null check (kind in ('cobrowse', 'call', 'video_call', 'desktop_request', 'screen_share', 'conference')),
    state           text not null check (state in ('pending', 'accepted', 'declined', 'ended')),
    by_agent_id     uuid not null references agents (id),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    expires_at      timestamptz not null
);
-- At most one pending invite of each kind per conversation.
create unique index invites_pending_uq on invites (conversation_id, kind) where state = 'pending';
create index invites_conversation_ix on invites (conversation_id, created_at);
create index invites_expiry_ix on invites (expires_at) where state = 'pending';
