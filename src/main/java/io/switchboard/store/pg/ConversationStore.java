package io.switchboard.store.pg;

import io.switchboard.domain.ConversationState;
import io.switchboard.domain.ConversationStatus;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Ref;
import io.switchboard.domain.VisitorInfo;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations: creation, summaries, inboxes, and the atomic changes of assignee and status.
 * Every change is a conditional update that encodes the rules of {@link io.switchboard.domain.Permissions},
 * so that concurrent claims on any number of nodes have exactly one winner.
 */
public final class ConversationStore {

    /** The outcome of finding or opening a visitor's current conversation. */
    public record Opened(String conversationId, boolean created) {
    }

    /** The outcome of a change: whether anything changed, and the state before it. */
    public record Change(boolean changed, ConversationState before) {
    }

    static final String STATE_COLUMNS = "c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status";

    private static final String SUMMARY = """
            select c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status, c.last_seq, c.created_at,
                   a.name as assignee_name, t.name as team_name, v.name as visitor_name, v.email as visitor_email,
            """ + MessageRows.COLUMNS + """
              from conversations c
              join visitors v on v.id = c.visitor_id
              left join agents a on a.id = c.assignee_id
              left join teams t on t.id = c.team_id
              left join messages m on m.conversation_id = c.id and m.seq = c.last_seq
            """;

    /** Whether principal $2 (admin flag $3) may see conversation c: the SQL twin of Permissions.canSee. */
    private static final String CAN_SEE = """
            ($3::boolean or c.assignee_id = $2 or c.team_id is null
             or exists (select 1 from team_members tm where tm.team_id = c.team_id and tm.agent_id = $2))""";

    private final Pool pool;

    public ConversationStore(Pool pool) {
        this.pool = pool;
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

    /** The visitor's latest conversation that is not done, if any. */
    public Future<Optional<ConversationSummary>> currentOf(String visitorId) {
        return pool.preparedQuery(SUMMARY + """
                         where c.visitor_id = $1 and c.status <> 'done'
                         order by c.created_at desc limit 1""")
                .execute(Tuple.of(UUID.fromString(visitorId)))
                .map(rs -> Rows.first(rs, ConversationStore::summaryFromRow));
    }

    /**
     * The visitor's latest conversation that is not done, or a new one in the widget's team.
     * The visitor's row is locked so that two sockets of one visitor never open two conversations.
     */
    public Future<Opened> openOrGet(String visitorId, long now) {
        UUID visitor = UUID.fromString(visitorId);
        return pool.withTransaction(tx -> tx.preparedQuery("select widget_id from visitors where id = $1 for update")
                .execute(Tuple.of(visitor))
                .compose(v -> tx.preparedQuery("""
                                select id from conversations where visitor_id = $1 and status <> 'done'
                                 order by created_at desc limit 1""")
                        .execute(Tuple.of(visitor))
                        .compose(rs -> {
                            if (rs.size() > 0) {
                                return Future.succeededFuture(new Opened(rs.iterator().next().getUUID(0).toString(), false));
                            }
                            UUID id = Ids.newId();
                            OffsetDateTime at = Ids.time(now);
                            return tx.preparedQuery("""
                                            insert into conversations (id, workspace_id, widget_id, visitor_id, team_id,
                                                                       status, last_seq, created_at, updated_at)
                                            select $1, w.workspace_id, w.id, $2, w.team_id, 'open', 0, $3, $3
                                              from widgets w where w.id = $4""")
                                    .execute(Tuple.of(id, visitor, at, v.iterator().next().getUUID(0)))
                                    .map(x -> new Opened(id.toString(), true));
                        })));
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
                Ids.millis(r.getOffsetDateTime("created_at")), r.getLong("last_seq"), MessageRows.fromRow(r));
    }
}
