-- A customer's message on a socket that knows no conversation of its own (ConversationStore.open):
-- one round trip instead of five (a look for a retried message, then begin, lock, look, insert,
-- commit). Each of those waited for a core on a busy machine, and a new customer's first message
-- waits for all of them before it is routed.
--
-- In order:
-- 1. p_client_msg_id given: a message of this visitor with that clientMsgId since p_since means the
--    widget may be retrying a message whose conversation was resolved meanwhile. Nothing is opened;
--    'earlier' and that message's conversation come back, and the caller compares the two messages
--    (a widget may also have restarted its counter) and calls again without p_client_msg_id if the
--    new one is not a retry.
-- 2. The visitor's latest conversation that is not done: 'current'. Read without a lock, as before:
--    it may be resolved meanwhile, which the append that follows finds out.
-- 3. None: the visitor's row is locked, so that two sockets of one visitor never open two
--    conversations, and the look is repeated. It needs a function for the reason auto_assign does:
--    each statement of a volatile function takes a new snapshot (read committed), so the second
--    look sees a conversation committed by the holder of the lock it waited for. Still none: the
--    conversation p_id is created in the widget's team, 'created'.
--
-- Returns one row: outcome ('earlier', 'current', 'created' or 'no_visitor'), the conversation, and its
-- arrival (the order of its pool's queue; null for 'earlier').
create function open_conversation(p_visitor uuid, p_id uuid, p_at timestamptz, p_client_msg_id text, p_since timestamptz)
    returns table (outcome text, conversation_id uuid, arrival bigint)
    language plpgsql volatile
as $$
declare
    v_id uuid;
    v_arrival bigint;
begin
    if p_client_msg_id is not null then
        select m.conversation_id into v_id
          from messages m
         where m.conversation_id in (select c.id from conversations c where c.visitor_id = p_visitor)
           and m.author_id = p_visitor and m.client_msg_id = p_client_msg_id and m.at >= p_since
         order by m.at desc limit 1;
        if found then
            return query select 'earlier', v_id, null::bigint;
            return;
        end if;
    end if;
    for attempt in 1..2 loop
        select c.id, c.arrival into v_id, v_arrival
          from conversations c where c.visitor_id = p_visitor and c.status <> 'done'
         order by c.created_at desc limit 1;
        if found then
            return query select 'current', v_id, v_arrival;
            return;
        end if;
        exit when attempt = 2;
        perform 1 from visitors where id = p_visitor for update;
        if not found then
            return query select 'no_visitor', null::uuid, null::bigint;
            return;
        end if;
    end loop;
    insert into conversations (id, workspace_id, widget_id, visitor_id, team_id, status, last_seq, created_at, updated_at)
    select p_id, w.workspace_id, w.id, v.id, w.team_id, 'open', 0, p_at, p_at
      from visitors v join widgets w on w.id = v.widget_id
     where v.id = p_visitor
    returning conversations.arrival into v_arrival;
    return query select 'created', p_id, v_arrival;
end
$$;
