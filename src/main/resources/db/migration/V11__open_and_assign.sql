-- A new conversation and its automatic assignment in one round trip and one commit.
--
-- Why: a new customer's first message reached its agent after the opening (V8: one round trip, one
-- commit, which must be on disk before the ack), then a Redis step choosing the agent, then the
-- assignment (V6/V9: another round trip). On this busy 2-core machine every round trip waits for a
-- core as well as for Postgres, and the assignment's was a third of the way to the agent. Now, when
-- the conversation's pool routes automatically, nothing waits there and an agent has room, the node
-- reserves the agent's slot in Redis first (RoutingStore.takeNew) and the opening assigns the
-- conversation to that agent in its own transaction: the message, the conversation and its
-- assignment commit together, with one WAL flush (synchronous, as the opening always was).
--
-- 1. assign_to: V9's auto_assign without its set_config line, so that it can run inside a
--    transaction that must stay synchronous. auto_assign (the drain's, asynchronous) is now that
--    line and a call of assign_to: one body for both.
-- 2. open_conversation: V8's, with the slot's agent and pool (p_agent, p_workspace, p_team; all
--    null when none was reserved). When it creates the conversation and p_agent is given, it calls
--    assign_to in the same transaction and returns the outcome ('assigned', 'gone' when the
--    conversation opened in another pool than the one reserved in, 'full'), with the names the
--    announcement shows. The agent's row is then locked until the opening commits, so two openings
--    assigned to one agent wait for each other's flush; the node reserves the least loaded agent,
--    longest idle first, so consecutive ones go to different agents while any has room.

create function assign_to(p_conversation uuid, p_agent uuid, p_workspace uuid, p_team uuid)
    returns text
    language plpgsql volatile
as $$
declare
    v_max integer;
    v_held bigint;
    v_team uuid;
begin
    select max_chats into v_max from agents where id = p_agent for update;
    if not found then
        return 'full';
    end if;
    select count(*) into v_held from conversations
     where assignee_id = p_agent and status in ('open', 'pending');
    if v_held >= v_max then
        return 'full';
    end if;
    update conversations c set assignee_id = p_agent, updated_at = now()
     where c.id = p_conversation and c.assignee_id is null and c.status = 'open'
       and (p_workspace is null or c.workspace_id = p_workspace) and c.team_id is not distinct from p_team
    returning c.team_id into v_team;
    if not found then
        return 'gone';
    end if;
    insert into assignments (conversation_id, action, agent_id, team_id)
    values (p_conversation, 'auto', p_agent, v_team);
    return 'assigned';
end
$$;

-- See V9's header for why the drain's assignment commits asynchronously.
create or replace function auto_assign(p_conversation uuid, p_agent uuid, p_workspace uuid, p_team uuid)
    returns text
    language plpgsql volatile
as $$
begin
    perform set_config('synchronous_commit', 'off', true);
    return assign_to(p_conversation, p_agent, p_workspace, p_team);
end
$$;

drop function open_conversation(uuid, uuid, timestamptz, text, timestamptz, uuid, text, text, text, jsonb);

-- V8's header explains the steps; the assignment at the end is this migration's.
create function open_conversation(p_visitor uuid, p_id uuid, p_at timestamptz, p_client_msg_id text, p_since timestamptz,
                                  p_message uuid, p_author_name text, p_kind text, p_text text, p_payload jsonb,
                                  p_agent uuid, p_workspace uuid, p_team uuid)
    returns table (outcome text, conversation_id uuid, arrival bigint, workspace_id uuid, team_id uuid,
                   assignment text, assignee_name text, team_name text, visitor_name text, visitor_email text)
    language plpgsql volatile
as $$
declare
    v_id uuid;
    v_arrival bigint;
    v_workspace uuid;
    v_team uuid;
    v_assignment text;
begin
    if p_client_msg_id is not null and p_since is not null then
        select m.conversation_id into v_id
          from messages m
         where m.conversation_id in (select c.id from conversations c where c.visitor_id = p_visitor)
           and m.author_id = p_visitor and m.client_msg_id = p_client_msg_id and m.at >= p_since
         order by m.at desc limit 1;
        if found then
            return query select 'earlier', v_id, null::bigint, null::uuid, null::uuid, null, null, null, null, null;
            return;
        end if;
    end if;
    for attempt in 1..2 loop
        select c.id, c.arrival, c.workspace_id, c.team_id into v_id, v_arrival, v_workspace, v_team
          from conversations c where c.visitor_id = p_visitor and c.status <> 'done'
         order by c.created_at desc limit 1;
        if found then
            return query select 'current', v_id, v_arrival, v_workspace, v_team, null, null, null, null, null;
            return;
        end if;
        exit when attempt = 2;
        perform 1 from visitors where id = p_visitor for update;
        if not found then
            return query select 'no_visitor', null::uuid, null::bigint, null::uuid, null::uuid, null, null, null, null, null;
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
    if p_agent is not null then
        v_assignment := assign_to(p_id, p_agent, p_workspace, p_team);
    end if;
    return query select 'created', p_id, v_arrival, v_workspace, v_team, v_assignment,
                        (select a.name from agents a where a.id = p_agent and v_assignment = 'assigned'),
                        (select t.name from teams t where t.id = v_team),
                        v.name, v.email
                   from visitors v where v.id = p_visitor;
end
$$;
