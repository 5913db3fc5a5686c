package io.switchboard.store.pg;

import io.switchboard.domain.Agent;
import io.switchboard.domain.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The workspace a node's start-up warm-up plays in, and its removal with every row that refers to
 * it: nothing of a warm-up may outlive it (a customer's history, a report's figures, the first
 * widget key the banner prints).
 */
public final class WarmupStore {
    /** Names every warm-up workspace, so that one a crashed node left behind can be found. */
    private static final String NAME = "Switchboard start-up warm-up";
    /** A leftover is only removed once no node can still be warming up in it. */
    private static final String STALE = "1 hour";

    /**
     * Locks the workspace's conversations first (an append that comes late then waits, and finds
     * them gone: it is refused rather than leaving a message without its conversation), then removes
     * the rows that refer to its conversations, agents, teams or widgets, children first.
     */
    private static final List<String> REMOVE = List.of(
            "select id from conversations where workspace_id = $1 order by id for update",
            "delete from conversation_reads where conversation_id in (select id from conversations where workspace_id = $1)",
            "delete from invites where conversation_id in (select id from conversations where workspace_id = $1)",
            "delete from notes where conversation_id in (select id from conversations where workspace_id = $1)",
            "delete from assignments where conversation_id in (select id from conversations where workspace_id = $1)",
            "delete from messages where conversation_id in (select id from conversations where workspace_id = $1)",
            "delete from attachments where workspace_id = $1",
            "delete from conversations where workspace_id = $1",
            "delete from visitors where workspace_id = $1",
            "delete from widgets where workspace_id = $1",
            "delete from text_blocks where workspace_id = $1",
            "delete from articles where workspace_id = $1",
            "delete from flows where workspace_id = $1",
            "delete from teams where workspace_id = $1",
            "delete from agents where workspace_id = $1",
            "delete from workspaces where id = $1");

    /** A warm-up workspace: one auto-routed team of all its agents, and a widget bound to it. */
    public record Space(String workspaceId, String teamId, String widgetKey, List<String> agentIds) {
    }

    private final Pool pool;

    public WarmupStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Creates a workspace in one transaction.
     *
     * @param passwordHash every agent's: the warm-up signs its tokens itself, nobody logs in with it
     */
    public Future<Space> create(String nodeId, int agents, int maxChats, String passwordHash) {
        AgentStore agentStore = new AgentStore(pool);
        TeamStore teams = new TeamStore(pool);
        WidgetStore widgets = new WidgetStore(pool);
        // E-mails are unique across workspaces: a random part keeps two nodes (or restarts) apart.
        String tag = nodeId + "." + UUID.randomUUID().toString().substring(0, 8);
        return pool.withTransaction(tx -> new WorkspaceStore(pool).create(tx, NAME + " (node " + nodeId + ")")
                .compose(ws -> teams.create(tx, ws, "Warm-up", "auto").compose(team -> {
                    Future<List<String>> ids = Future.succeededFuture(new ArrayList<>());
                    for (int i = 0; i < agents; i++) {
                        String email = "warmup-" + i + "." + tag + "@warmup.invalid";
                        String name = "Warm-up " + i;
                        ids = ids.compose(list -> agentStore.create(tx, ws, email, name, passwordHash, Role.AGENT, maxChats)
                                .compose((Agent a) -> teams.addMember(tx, team.id(), a.id()).map(v -> {
                                    list.add(a.id());
                                    return list;
                                })));
                    }
                    return ids.compose(list -> widgets.create(tx, ws, "Warm-up", team.id())
                            .map(w -> new Space(ws, team.id(), w.key(), List.copyOf(list))));
                })));
    }

    /** Removes a warm-up workspace and everything in it, in one transaction. */
    public Future<Void> remove(String workspaceId) {
        UUID id = UUID.fromString(workspaceId);
        return pool.withTransaction(tx -> removeIn(tx, id));
    }

    /**
     * The warm-up workspaces that nodes stopped mid-warm-up left behind, old enough that no node can
     * still be warming up in them (to be removed, Redis keys included).
     */
    public Future<List<Space>> stale() {
        return pool.preparedQuery("""
                        select w.id,
                               (select t.id from teams t where t.workspace_id = w.id limit 1) as team_id,
                               (select d.key from widgets d where d.workspace_id = w.id limit 1) as widget_key,
                               array(select a.id::text from agents a where a.workspace_id = w.id) as agent_ids
                          from workspaces w
                         where w.name like $1 and w.created_at < now() - interval '""" + STALE + "'")
                .execute(Tuple.of(NAME + " (node %"))
                .map(rs -> {
                    List<Space> out = new ArrayList<>();
                    for (var row : rs) {
                        UUID team = row.getUUID("team_id");
                        out.add(new Space(row.getUUID("id").toString(), team == null ? null : team.toString(),
                                row.getString("widget_key"), List.of(row.getArrayOfStrings("agent_ids"))));
                    }
                    return out;
                });
    }

    private static Future<Void> removeIn(SqlClient tx, UUID id) {
        Future<Void> chain = Future.succeededFuture();
        for (String sql : REMOVE) {
            chain = chain.compose(v -> tx.preparedQuery(sql).execute(Tuple.of(id)).mapEmpty());
        }
        return chain;
    }
}
