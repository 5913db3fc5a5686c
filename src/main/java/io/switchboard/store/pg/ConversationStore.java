package io.switchboard.store.pg;

import io.switchboard.domain.ConversationState;
import io.switchboard.domain.ConversationStatus;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Message;
import io.switchboard.domain.Pools;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Ref;
import io.switchboard.domain.VisitorInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations: creation, summaries, inboxes, and the atomic changes of assignee and status.
 * Every change is a conditional update that encodes the rules of {@link io.switchboard.domain.Permissions},
 * so that concurrent claims on any number of nodes have exactly one winner.
 */
public final class ConversationStore {

    /**
     * The outcome of {@link #open}: the visitor's current conversation, or one just created (then with its
     * {@code state}, and its first message stored if one was given), with its arrival (which orders
     * queues); or, when {@code earlier}, the conversation of an earlier message with the same clientMsgId
     * (nothing was written).
     */
    public record Opened(String conversationId, long arrival, boolean earlier, ConversationState state,
                         AutoAssigned assigned) {
        public boolean created() {
            return state != null;
        }

        /** Whether the opening also assigned the conversation, to the agent whose slot was reserved for it. */
        public boolean assignedToo() {
            return assigned != null && assigned.outcome() == AutoAssign.ASSIGNED;
        }

        /** Whether Postgres refused that assignment because the agent had no room as it counts them. */
        public boolean agentFull() {
            return assigned != null && assigned.outcome() == AutoAssign.AGENT_FULL;
        }
    }

    /** The outcome of a change: whether anything changed, and the state before it. */
    public record Change(boolean changed, ConversationState before) {
    }

    static final String STATE_COLUMNS = "c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status";

    private static final String SUMMARY = """
            select c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status, c.last_seq, c.created_at, c.arrival,
                   a.name as assignee_name, t.name as team_name, v.name as visitor_name, v.email as visitor_email,
            """ + MessageRows.COLUMNS + """
              from conversations c
              join visitors v on v.id = c.visitor_id
              left join agents a on a.id = c.assignee_id
              left join teams t on t.id = c.team_id
              left join messages m on m.conversation_id = c.id and m.seq = c.last_seq
              left join attachments att on att.id = m.attachment_id
            """;

    /** Whether principal $2 (admin flag $3) may see conversation c: the SQL twin of Permissions.canSee. */
    private static final String CAN_SEE = """
            ($3::boolean or c.assignee_id = $2 or c.team_id is null
             or exists (select 1 from team_members tm where tm.team_id = c.team_id and tm.agent_id = $2))""";

    private final Pool pool;
    /** Each visitor's current conversation, or null when it has none that is not done. */
    private final Batcher<UUID, ConversationSummary> currents;

    public ConversationStore(Pool pool) {
        this.pool = pool;
        this.currents = new Batcher<>(this::currentOfAll, 2);
    }

    public Future<ConversationState> state(String id) {
        UUID uuid = Ids.uuid(id, "conversation");
        return pool.preparedQuery("select " + STATE_COLUMNS + " from conversations c where c.id = $1")
                .execute(Tuple.of(uuid))
                .map(rs -> Rows.first(rs, ConversationStore::stateFromRow)
                        .orElseThrow(() -> Failure.notFound("no such conversation")));
    }

    public Future<ConversationSummary> summary(String id) {
        return pool.preparedQuery(SUMMARY + " where c.id = $1")
                .execute(Tuple.of(Ids.uuid(id, "conversation")))
                .map(rs -> Rows.first(rs, ConversationStore::summaryFromRow)
                        .orElseThrow(() -> Failure.notFound("no such conversation")));
    }

    /**
     * The visitor's latest conversation that is not done, if any. Every customer socket asks for it
     * when it connects, so the askings that arrive while one read is in flight go out together as the
     * next read: after a reconnect storm (10,000 at once), one query each queued in the pool for seconds.
     */
    public Future<Optional<ConversationSummary>> currentOf(String visitorId) {
        return currents.submit(UUID.fromString(visitorId)).map(Optional::ofNullable);
    }

    /** $1: the visitors; a visitor without a conversation that is not done has no row. */
    private static final String CURRENT_OF = """
            select q.ord as q_ord, cur.*
              from unnest($1::uuid[]) with ordinality as q(visitor_id, ord)
              join lateral (""" + SUMMARY + """
                     where c.visitor_id = q.visitor_id and c.status <> 'done'
                     order by c.created_at desc limit 1) cur on true""";

    private Future<List<ConversationSummary>> currentOfAll(List<UUID> visitors) {
        return pool.preparedQuery(CURRENT_OF).execute(Tuple.of(visitors.toArray(new UUID[0])))
                .map(rs -> Rows.byOrd(rs, visitors.size(), "q_ord", ConversationStore::summaryFromRow));
    }

    /**
     * The visitor's latest conversation that is not done, or a new one ({@code id}) in the widget's team
     * with {@code first} (a customer's message, seq 1) as its first message, in one round trip and one
     * commit (the function {@code open_conversation}, V8 and V11). With {@code since}, a message of the visitor with this
     * {@code clientMsgId} sent since then comes back first as {@link Opened#earlier()}, and nothing is
     * written: the caller decides whether the new message is that one sent again. Two sockets of one
     * visitor never open two conversations (the function locks the visitor's row).
     *
     * @param first null to open the conversation without a message (a file is bound to its conversation first)
     * @param agent an agent whose slot in {@code agentPool} was reserved for the new conversation, or null: a
     *              conversation created in that pool is assigned to the agent in the same commit, as
     *              {@link #autoAssign} would (the outcome is {@link Opened#assigned()})
     */
    public Future<Opened> open(String visitorId, String id, String clientMsgId, Long since, long now, Message first,
                               String agent, String agentPool) {
        UUID visitor = UUID.fromString(visitorId);
        String slotPool = agent == null ? null : agentPool;
        return pool.preparedQuery("""
                        select outcome, conversation_id, arrival, workspace_id, team_id, assignment, assignee_name,
                               team_name, visitor_name, visitor_email
                          from open_conversation($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
                .execute(Tuple.tuple().addValue(visitor).addValue(UUID.fromString(id)).addValue(Ids.time(now))
                        .addValue(clientMsgId).addValue(since == null ? null : Ids.time(since))
                        .addValue(first == null ? null : UUID.fromString(first.id()))
                        .addValue(first == null ? null : first.author().name())
                        .addValue(first == null ? null : first.kind().wire())
                        .addValue(first == null ? null : first.text())
                        .addValue(first == null || first.payload() == null ? null : new JsonObject(first.payload()))
                        .addValue(agent == null ? null : UUID.fromString(agent))
                        .addValue(poolWorkspace(slotPool))
                        .addValue(poolTeam(slotPool)))
                .map(rs -> {
                    Row r = rs.iterator().next();
                    return switch (r.getString("outcome")) {
                        case "earlier" -> new Opened(r.getUUID(1).toString(), 0, true, null, null);
                        case "current" -> new Opened(r.getUUID(1).toString(), r.getLong(2), false, null, null);
                        case "created" -> created(r, id, visitorId, agent, now, first);
                        default -> throw Failure.notFound("no such visitor");
                    };
                });
    }

    /**
     * A pool as the assignment functions take it (p_workspace, p_team): a team's pool by its team
     * (a team belongs to one workspace), the workspace's pool by its workspace with no team.
     */
    private static UUID poolWorkspace(String pool) {
        return pool == null || Pools.teamOf(pool) != null ? null : UUID.fromString(Pools.workspaceOf(pool));
    }

    /** See {@link #poolWorkspace}. */
    private static UUID poolTeam(String pool) {
        String team = pool == null ? null : Pools.teamOf(pool);
        return team == null ? null : UUID.fromString(team);
    }

    /** A conversation {@code open} created, and the outcome of its assignment when an agent was reserved. */
    private static Opened created(Row r, String id, String visitorId, String agent, long now, Message first) {
        String workspace = r.getUUID("workspace_id").toString();
        String team = Rows.uuid(r, "team_id");
        long arrival = r.getLong("arrival");
        ConversationState state = new ConversationState(id, workspace, visitorId, team, null, ConversationStatus.OPEN);
        String assignment = r.getString("assignment");
        if (assignment == null) {
            return new Opened(id, arrival, false, state, null);
        }
        return new Opened(id, arrival, false, state, switch (assignment) {
            case "assigned" -> new AutoAssigned(AutoAssign.ASSIGNED, new ConversationSummary(id, workspace,
                    ConversationStatus.OPEN, new Ref(agent, r.getString("assignee_name")),
                    team == null ? null : new Ref(team, r.getString("team_name")),
                    new VisitorInfo(visitorId, r.getString("visitor_name"), r.getString("visitor_email")),
                    now, first == null ? 0 : 1, first, arrival));
            case "gone" -> new AutoAssigned(AutoAssign.CONVERSATION_GONE, null);
            default -> new AutoAssigned(AutoAssign.AGENT_FULL, null);
        });
    }

    /** Open conversations with no assignee that this agent may take, oldest first. */
    public Future<List<ConversationSummary>> unassignedFor(Principal who, int limit) {
        return pool.preparedQuery(SUMMARY + """
                         where c.workspace_id = $1 and c.status = 'open' and c.assignee_id is null
                           and\s""" + CAN_SEE + """
                         order by c.created_at limit $4""")
                .execute(Tuple.of(UUID.fromString(who.workspaceId()), UUID.fromString(who.agentId()), who.isAdmin(), limit))
                .map(rs -> Rows.all(rs, ConversationStore::summaryFromRow));
    }

    /** The agent's own open and pending conversations, oldest first. */
    public Future<List<ConversationSummary>> assignedTo(String agentId, int limit) {
        return pool.preparedQuery(SUMMARY + """
                         where c.assignee_id = $1 and c.status in ('open', 'pending')
                         order by c.created_at limit $2""")
                .execute(Tuple.of(UUID.fromString(agentId), limit))
                .map(rs -> Rows.all(rs, ConversationStore::summaryFromRow));
    }

    /**
     * Conversations the agent may see, newest first, filtered by the given criteria (null: any).
     *
     * @param before only conversations created before this time (epoch ms), for paging
     */
    public Future<List<ConversationSummary>> list(Principal who, ConversationStatus status, String assigneeId,
                                                  String teamId, Long before, int limit) {
        return pool.preparedQuery(SUMMARY + """
                         where c.workspace_id = $1 and\s""" + CAN_SEE + """
                           and ($4::text is null or c.status = $4)
                           and ($5::uuid is null or c.assignee_id = $5)
                           and ($6::uuid is null or c.team_id = $6)
                           and ($7::timestamptz is null or c.created_at < $7)
                         order by c.created_at desc limit $8""")
                .execute(Tuple.tuple()
                        .addValue(UUID.fromString(who.workspaceId()))
                        .addValue(UUID.fromString(who.agentId()))
                        .addValue(who.isAdmin())
                        .addValue(status == null ? null : status.wire())
                        .addValue(Ids.uuid(assigneeId, "agent"))
                        .addValue(Ids.uuid(teamId, "team"))
                        .addValue(before == null ? null : Ids.time(before))
                        .addValue(limit))
                .map(rs -> Rows.all(rs, ConversationStore::summaryFromRow));
    }

    /**
     * "Assign to me": sets the assignee if nobody holds the conversation, atomically, and records it.
     * A refusal is explained by {@link io.switchboard.domain.Permissions#checkCanClaim}.
     */
    public Future<Change> claim(Principal who, String conversationId) {
        UUID id = Ids.uuid(conversationId, "conversation");
        UUID agent = UUID.fromString(who.agentId());
        return pool.preparedQuery("""
                        with c as (
                            update conversations c set assignee_id = $2, updated_at = now()
                             where c.id = $1 and c.workspace_id = $4 and c.status <> 'done' and c.assignee_id is null
                               and\s""" + CAN_SEE + """
                            returning c.id, c.team_id
                        )
                        insert into assignments (conversation_id, action, agent_id, team_id, by_agent_id)
                        select c.id, 'claim', $2, c.team_id, $2 from c
                        returning conversation_id""")
                .execute(Tuple.of(id, agent, who.isAdmin(), UUID.fromString(who.workspaceId())))
                .compose(rs -> rs.rowCount() == 1
                        ? Future.succeededFuture(new Change(true, null))
                        : state(conversationId).map(s -> {
                            io.switchboard.domain.Permissions.checkCanClaim(who, s);
                            return new Change(false, s); // already held by this agent: nothing to do
                        }));
    }

    /**
     * Moves a conversation to {@code target} if the principal may and the state machine allows it.
     * A refusal is explained by {@link io.switchboard.domain.Permissions#checkCanChangeStatus}.
     */
    public Future<Change> changeStatus(Principal who, String conversationId, ConversationStatus target) {
        UUID id = Ids.uuid(conversationId, "conversation");
        String[] sources = ConversationStatus.sourcesOf(target).stream().map(ConversationStatus::wire).toArray(String[]::new);
        return pool.preparedQuery("""
                        with old as (
                            select id, workspace_id, visitor_id, team_id, assignee_id, status
                              from conversations where id = $1 and workspace_id = $2 for update
                        )
                        update conversations c
                           set status = $3, updated_at = now(),
                               done_at = case when $3 = 'done' then now() else null end
                          from old
                         where c.id = old.id and old.status = any($4::text[]) and ($5::boolean or old.assignee_id = $6)
                        returning old.id, old.workspace_id, old.visitor_id, old.team_id, old.assignee_id, old.status""")
                .execute(Tuple.of(id, UUID.fromString(who.workspaceId()), target.wire(), sources, who.isAdmin(),
                        UUID.fromString(who.agentId())))
                .compose(rs -> {
                    if (rs.rowCount() == 1) {
                        ConversationState before = stateFromRow(rs.iterator().next());
                        return Future.succeededFuture(new Change(before.status() != target, before));
                    }
                    return state(conversationId).map(s -> {
                        io.switchboard.domain.Permissions.checkCanChangeStatus(who, s, target);
                        throw Failure.conflict("the conversation changed meanwhile; try again");
                    });
                });
    }

    /** The outcome of an automatic assignment attempt. */
    public enum AutoAssign { ASSIGNED, CONVERSATION_GONE, AGENT_FULL }

    /** An automatic assignment attempt: its outcome, and when assigned, the conversation as announced. */
    public record AutoAssigned(AutoAssign outcome, ConversationSummary summary) {
    }

    /**
     * Runs the database function {@code auto_assign} (V6) and, in the same statement, reads what the
     * announcement needs. The summary is built from the statement's snapshot, taken before the
     * function ran, so the assignee comes from the agent's row rather than the conversation's.
     */
    private static final String AUTO_ASSIGN = """
            with r as (select auto_assign($1, $2, $3, $4) as outcome)
            select r.outcome, c.id, c.workspace_id, c.visitor_id, c.team_id, a.id as assignee_id, c.status, c.last_seq,
                   c.created_at, c.arrival, a.name as assignee_name, t.name as team_name, v.name as visitor_name,
                   v.email as visitor_email,
            """ + MessageRows.COLUMNS + """
              from r
              left join conversations c on r.outcome = 'assigned' and c.id = $1
              left join agents a on r.outcome = 'assigned' and a.id = $2
              left join visitors v on v.id = c.visitor_id
              left join teams t on t.id = c.team_id
              left join messages m on m.conversation_id = c.id and m.seq = c.last_seq
              left join attachments att on att.id = m.attachment_id
            """;

    /**
     * Assigns a waiting conversation of the pool to an agent if the agent has free capacity, as
     * Postgres counts it: the agent's row is locked first, so concurrent assignments to one agent
     * (from any node) are counted one after another and never exceed maxChats. One round trip.
     *
     * @param agentPool the pool the conversation waits in (Pools), which the agent's slot was taken from
     */
    public Future<AutoAssigned> autoAssign(String conversationId, String agentId, String agentPool) {
        UUID conv = UUID.fromString(conversationId);
        UUID agent = UUID.fromString(agentId);
        return pool.preparedQuery(AUTO_ASSIGN)
                .execute(Tuple.of(conv, agent, poolWorkspace(agentPool), poolTeam(agentPool)))
                .compose(rs -> {
                    Row row = rs.iterator().next();
                    return switch (row.getString("outcome")) {
                        case "assigned" -> row.getUUID("id") != null
                                ? Future.succeededFuture(new AutoAssigned(AutoAssign.ASSIGNED, summaryFromRow(row)))
                                // Not in this statement's snapshot (cannot happen for a conversation that was queued).
                                : summary(conversationId).map(s -> new AutoAssigned(AutoAssign.ASSIGNED, s));
                        case "gone" -> Future.succeededFuture(new AutoAssigned(AutoAssign.CONVERSATION_GONE, null));
                        default -> Future.succeededFuture(new AutoAssigned(AutoAssign.AGENT_FULL, null));
                    };
                });
    }

    /** Open and pending conversations held by each agent, as Postgres counts them (the truth of loads). */
    public Future<java.util.Map<String, Integer>> loads(List<String> agentIds) {
        UUID[] ids = agentIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        return pool.preparedQuery("""
                        select a.id, (select count(*) from conversations c
                                       where c.assignee_id = a.id and c.status in ('open', 'pending')) as n
                          from agents a where a.id = any($1)""")
                .execute(Tuple.tuple().addValue(ids))
                .map(rs -> {
                    java.util.Map<String, Integer> out = new java.util.HashMap<>();
                    rs.forEach(r -> out.put(r.getUUID(0).toString(), r.getLong(1).intValue()));
                    return out;
                });
    }

    /** Every agent's load (rebuild after Redis lost its data). */
    public Future<java.util.Map<String, Integer>> allLoads() {
        return pool.query("""
                        select a.id, count(c.id) as n from agents a
                          left join conversations c on c.assignee_id = a.id and c.status in ('open', 'pending')
                         group by a.id""").execute()
                .map(rs -> {
                    java.util.Map<String, Integer> out = new java.util.HashMap<>();
                    rs.forEach(r -> out.put(r.getUUID(0).toString(), r.getLong(1).intValue()));
                    return out;
                });
    }

    /**
     * When the running Postgres started: it changes when Postgres restarts, which may have lost the
     * last automatic assignments (V9), so routing state is rebuilt (RoutingService.rebuildIfLost).
     */
    public Future<String> postgresStart() {
        return pool.query("select pg_postmaster_start_time()::text").execute().map(rs -> rs.iterator().next().getString(0));
    }

    /** A waiting conversation as routing needs it. */
    public record Waiting(String id, String workspaceId, String teamId, long arrival) {
    }

    /** Every open conversation with no assignee, oldest first (rebuild after Redis lost its data). */
    public Future<List<Waiting>> allWaiting() {
        return pool.query("""
                        select id, workspace_id, team_id, arrival from conversations
                         where status = 'open' and assignee_id is null order by arrival""").execute()
                .map(rs -> Rows.all(rs, r -> new Waiting(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(),
                        Rows.uuid(r, "team_id"), r.getLong("arrival"))));
    }

    /** The visitors of conversations (to tell them their queue positions). */
    public Future<java.util.Map<String, String>> visitorsOf(java.util.Collection<String> conversationIds) {
        UUID[] ids = conversationIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        return pool.preparedQuery("select id, visitor_id from conversations where id = any($1)")
                .execute(Tuple.tuple().addValue(ids))
                .map(rs -> {
                    java.util.Map<String, String> out = new java.util.HashMap<>();
                    rs.forEach(r -> out.put(r.getUUID(0).toString(), r.getUUID(1).toString()));
                    return out;
                });
    }

    /**
     * Puts every open or pending conversation of a gone agent back in its team's queue (status open,
     * no assignee), recording why. Returns the conversations put back.
     */
    public Future<List<ConversationSummary>> requeueAllOf(String agentId) {
        UUID agent = UUID.fromString(agentId);
        return pool.preparedQuery("""
                        with c as (
                            update conversations c set assignee_id = null, status = 'open', updated_at = now()
                             where c.assignee_id = $1 and c.status in ('open', 'pending')
                            returning c.id, c.team_id
                        ), h as (
                            insert into assignments (conversation_id, action, agent_id, team_id, comment)
                            select id, 'requeue', $1, team_id, 'agent gone' from c
                        )
                        select id from c""")
                .execute(Tuple.of(agent))
                .compose(rs -> {
                    UUID[] ids = Rows.all(rs, r -> r.getUUID(0)).toArray(UUID[]::new);
                    return ids.length == 0 ? Future.succeededFuture(List.<ConversationSummary>of())
                            : pool.preparedQuery(SUMMARY + " where c.id = any($1) order by c.arrival")
                            .execute(Tuple.tuple().addValue(ids))
                            .map(s -> Rows.all(s, ConversationStore::summaryFromRow));
                });
    }

    /** The result of a transfer: the state before it (for loads and queues). */
    public record Transferred(ConversationState before) {
    }

    /**
     * Gives a conversation to another agent (who then holds it), recording who, when and why. The
     * requester must be its assignee or an admin (or, when nobody holds it, someone who may see it).
     * Unless {@code force}, the target must have free capacity (counted under a lock of its row);
     * whether it is online is the caller's check (Redis knows).
     */
    public Future<Transferred> transferToAgent(Principal who, String conversationId, String targetAgentId,
                                               String comment, boolean force) {
        UUID conv = Ids.uuid(conversationId, "conversation");
        UUID target = Ids.uuid(targetAgentId, "agent");
        return pool.withTransaction(tx -> tx.preparedQuery("select id, workspace_id, max_chats from agents where id = $1 for update")
                .execute(Tuple.of(target))
                .compose(a -> {
                    if (a.size() == 0 || !a.iterator().next().getUUID("workspace_id").toString().equals(who.workspaceId())) {
                        return Future.failedFuture(Failure.notFound("no such agent"));
                    }
                    int max = a.iterator().next().getInteger("max_chats");
                    return lockForTransfer(tx, who, conv).compose(before -> {
                        if (targetAgentId.equals(before.assigneeId())) {
                            return Future.failedFuture(Failure.conflict("the conversation is already with this agent"));
                        }
                        return tx.preparedQuery("select count(*) from conversations where assignee_id = $1 and status in ('open', 'pending')")
                                .execute(Tuple.of(target))
                                .compose(n -> !force && n.iterator().next().getLong(0) >= max
                                        ? Future.failedFuture(Failure.conflict("that agent is at capacity (maxChats); use force to transfer anyway"))
                                        : tx.preparedQuery("""
                                                with c as (
                                                    update conversations set assignee_id = $2, status = 'open', updated_at = now()
                                                     where id = $1 returning id, team_id
                                                )
                                                insert into assignments (conversation_id, action, agent_id, team_id, by_agent_id, comment)
                                                select id, 'transfer', $2, team_id, $3, $4 from c""")
                                        .execute(Tuple.of(conv, target, UUID.fromString(who.agentId()), comment))
                                        .map(x -> new Transferred(before)));
                    });
                }));
    }

    /** Moves a conversation to a team, unassigned, to be routed there; recorded like any transfer. */
    public Future<Transferred> transferToTeam(Principal who, String conversationId, String teamId, String comment) {
        UUID conv = Ids.uuid(conversationId, "conversation");
        UUID team = Ids.uuid(teamId, "team");
        return pool.withTransaction(tx -> tx.preparedQuery("select 1 from teams where id = $1 and workspace_id = $2")
                .execute(Tuple.of(team, UUID.fromString(who.workspaceId())))
                .compose(t -> t.size() == 0 ? Future.failedFuture(Failure.notFound("no such team"))
                        : lockForTransfer(tx, who, conv))
                .compose(before -> tx.preparedQuery("""
                                with c as (
                                    update conversations set team_id = $2, assignee_id = null, status = 'open', updated_at = now()
                                     where id = $1 returning id
                                )
                                insert into assignments (conversation_id, action, team_id, by_agent_id, comment)
                                select id, 'transfer', $2, $3, $4 from c""")
                        .execute(Tuple.of(conv, team, UUID.fromString(who.agentId()), comment))
                        .map(x -> new Transferred(before))));
    }

    /** Locks a conversation for a transfer and checks the requester may transfer it. */
    private static Future<ConversationState> lockForTransfer(io.vertx.sqlclient.SqlConnection tx, Principal who, UUID conv) {
        return tx.preparedQuery("select " + STATE_COLUMNS + " from conversations c where c.id = $1 for update")
                .execute(Tuple.of(conv))
                .map(rs -> {
                    ConversationState s = Rows.first(rs, ConversationStore::stateFromRow)
                            .orElseThrow(() -> Failure.notFound("no such conversation"));
                    io.switchboard.domain.Permissions.checkCanTransfer(who, s);
                    return s;
                });
    }


    static ConversationState stateFromRow(Row r) {
        return new ConversationState(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(),
                r.getUUID("visitor_id").toString(), Rows.uuid(r, "team_id"), Rows.uuid(r, "assignee_id"),
                ConversationStatus.fromWire(r.getString("status")));
    }

    static ConversationSummary summaryFromRow(Row r) {
        String assignee = Rows.uuid(r, "assignee_id");
        String team = Rows.uuid(r, "team_id");
        return new ConversationSummary(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(), ConversationStatus.fromWire(r.getString("status")),
                assignee == null ? null : new Ref(assignee, r.getString("assignee_name")),
                team == null ? null : new Ref(team, r.getString("team_name")),
                new VisitorInfo(r.getUUID("visitor_id").toString(), r.getString("visitor_name"), r.getString("visitor_email")),
                Ids.millis(r.getOffsetDateTime("created_at")), r.getLong("last_seq"), MessageRows.fromRow(r),
                r.getLong("arrival"));
    }
}
