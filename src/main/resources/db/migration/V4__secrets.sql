-- Secrets the nodes of one deployment must share, such as the generated token signing key
-- (so that a login on one node is valid on every node).
create table secrets (
    name       text primary key,
    value      text not null,
    created_at timestamptz not null default now()
);
