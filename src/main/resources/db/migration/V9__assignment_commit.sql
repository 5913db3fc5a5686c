-- An automatic assignment's commit does not wait for the disk (synchronous_commit off for its own
-- transaction only; everything else still commits synchronously, and every acked message is on disk).
--
-- Why: a new customer's first message reached its agent after two commits, the opening (which holds
-- the message, and must be durable before the ack) and this assignment. Each commit waits for a WAL
-- flush, and on a virtual disk a flush stalls for 5-35 ms several times a second, so two flushes in a
-- row doubled the chance of a stall: routing p99 18-21 ms at 100 new conversations a second against
-- 12-13 ms with this change (docs/benchmarks.md).
--
-- What it costs: Postgres writes the assignment's WAL within wal_writer_delay (200 ms), and at once
-- when any later synchronous commit flushes (every acked message does). Only a crash of Postgres in
-- that window can lose it: the conversation is then open and unassigned again in Postgres, though
-- its agent was told. Redis still holds it as taken, so every node rebuilds routing state when
-- Postgres has restarted (RoutingService.rebuildIfLost compares pg_postmaster_start_time with the one
-- the last rebuild saw), and the conversation is routed again.
--
-- The body is V6's, but for the set_config line.
create or replace function auto_assign(p_conversation uuid, p_agent uuid, p_workspace uuid, p_team uuid)
    returns text
    language plpgsql volatile
as $$
declare
    v_max integer;
    v_held bigint;
    v_team uuid;
begin
    -- This transaction's commit only (true: local to it). See the header.
    perform set_config('synchronous_commit', 'off', true);
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
