-- A customer's message on a socket that knows no conversation of its own (ConversationStore.open):
-- one round trip and one commit instead of seven round trips and two commits (a look for a retried
-- message; begin, lock, look, insert, commit; then the message's append). Each of those waited for a
-- core on a busy machine, and a new customer's first message waits for all of them before it is routed.
--
-- In order:
-- 1. p_since given: a message of this visitor with clientMsgId p_client_msg_id since then means the
--    widget may be retrying a message whose conversation was resolved meanwhile. Nothing is opened;
--    'earlier' and that message's conversation come back, and the caller compares the two messages
--    (a widget may also have restarted its counter) and calls again without p_since if the
--    new one is not a retry.
-- 2. The visitor's latest conversation that is not done: 'current'. Read without a lock, as before:
--    it may be resolved meanwhile, which the append that follows finds out.
-- 3. None: the visitor's row is locked, so that two sockets of one visitor never open two
--    conversations, and the look is repeated. It needs a function for the reason auto_assign does:
--    each statement of a volatile function takes a new snapshot (read committed), so the second
--    look sees a conversation committed by the holder of the lock it waited for. Still none: the
--    conversation p_id is created in the widget's team, 'created', and with it, when p_message is
--    given, the customer's message as its seq 1, in the same commit. (Messages are otherwise written
--    by MessageStore's append only; V7 dropped their foreign key because the writer inserts a message
--    only into a conversation row it holds, which is true here too: the row is this function's own.)
--    For 'earlier' and 'current' nothing is written: the caller appends the message as any other.
--
-- Returns one row: outcome ('earlier', 'current', 'created' or 'no_visitor'), the conversation, its
-- arrival (the order of its pool's queue; null for 'earlier'), its workspace and team.
create function open_conversation(p_visitor uuid, p_id uuid, p_at timestamptz, p_client_msg_id text, p_since timestamptz,
                                  p_message uuid, p_author_name text, p_kind text, p_text text, p_payload jsonb)
    returns table (outcome text, conversation_id uuid, arrival bigint, workspace_id uuid, team_id uuid)
    language plpgsql volatile
as $$
declare
    v_id uuid;
    v_arrival bigint;
    v_workspace uuid;
    v_team uuid;
begin
    if p_client_msg_id is not null and p_since is not null then
        select m.conversation_id into v_id
          from messages m
         where m.conversation_id in (select c.id from conversations c where c.visitor_id = p_visitor)
           and m.author_id = p_visitor and m.client_msg_id = p_client_msg_id and m.at >= p_since
         order by m.at desc limit 1;
        if found then
            return query select 'earlier', v_id, null::bigint, null::uuid, null::uuid;
            return;
        end if;
    end if;
    for attempt in 1..2 loop
        select c.id, c.arrival, c.workspace_id, c.team_id into v_id, v_arrival, v_workspace, v_team
          from conversations c where c.visitor_id = p_visitor and c.status <> 'done'
         order by c.created_at desc limit 1;
        if found then
            return query select 'current', v_id, v_arrival, v_workspace, v_team;
            return;
        end if;
        exit when attempt = 2;
        perform 1 from visitors where id = p_visitor for update;
        if not found then
            return query select 'no_visitor', null::uuid, null::bigint, null::uuid, null::uuid;
            return;
        end if;
    end loop;
    insert into conversations (id, workspace_id, widget_id, visitor_id, team_id, status, last_seq, created_at, updated_at)
    select p_id, w.workspace_id, w.id, v.id, w.team_id, 'open', case when p_message is null then 0 else 1 end, p_at, p_at
      from visitors v join widgets w on w.id = v.widget_id
     where v.id = p_visitor
    returning conversations.arrival, conversations.workspace_id, conversations.team_id into v_arrival, v_workspace, v_team;
    if p_message is not null then
        insert into messages (id, conversation_id, seq, at, author_type, author_id, author_name, kind, text, payload, client_msg_id)
        values (p_message, p_id, 1, p_at, 'customer', p_visitor, p_author_name, p_kind, p_text, p_payload, p_client_msg_id);
    end if;
    return query select 'created', p_id, v_arrival, v_workspace, v_team;
end
$$;
