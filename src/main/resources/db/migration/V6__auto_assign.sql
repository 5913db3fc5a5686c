-- Automatic assignment in one round trip (RoutingService's drain, ConversationStore.autoAssign).
--
-- The agent's row is locked first, so that concurrent assignments to one agent, from any node, are
-- counted one after another and never exceed max_chats. This needs a function rather than one plain
-- statement: a statement reads with the snapshot it started with, so a count in the same statement as
-- the lock would miss an assignment committed by the holder of the lock it waited for. Each statement
-- of a volatile function takes a new snapshot (read committed), so the count below sees it.
--
-- Returns 'assigned', 'gone' (the conversation was taken, closed or moved meanwhile) or 'full' (the
-- agent has no free capacity, or does not exist).
create function auto_assign(p_conversation uuid, p_agent uuid, p_workspace uuid, p_team uuid)
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
