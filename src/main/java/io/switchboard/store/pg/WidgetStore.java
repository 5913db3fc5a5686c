package io.switchboard.store.pg;

import io.switchboard.domain.Failure;
import io.switchboard.domain.Widget;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Chat widgets: a public key that maps to a workspace and optionally a team. */
public final class WidgetStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECT = "select id, workspace_id, key, name, team_id from widgets";

    private final Pool pool;

    public WidgetStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Widget>> byKey(String key) {
        return pool.preparedQuery(SELECT + " where key = $1")
                .execute(Tuple.of(key))
                .map(rs -> Rows.first(rs, WidgetStore::fromRow));
    }

    /** The key of the oldest widget (the seeded one), for the demo page. */
    public Future<Optional<String>> firstKey() {
        return pool.query("select key from widgets order by created_at limit 1").execute()
                .map(rs -> Rows.first(rs, r -> r.getString(0)));
    }

    public Future<List<Widget>> list(String workspaceId) {
        return pool.preparedQuery(SELECT + " where workspace_id = $1 order by created_at")
                .execute(Tuple.of(UUID.fromString(workspaceId)))
                .map(rs -> Rows.all(rs, WidgetStore::fromRow));
    }

    /** Inserts a widget with a fresh random key; the team, if given, must be of the workspace. */
    public Future<Widget> create(SqlClient client, String workspaceId, String name, String teamId) {
        UUID id = Ids.newId();
        byte[] raw = new byte[18];
        RANDOM.nextBytes(raw);
        String key = "wk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        UUID team;
        try {
            team = teamId == null ? null : UUID.fromString(teamId);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(Failure.badRequest("teamId is not a team of this workspace"));
        }
        return client.preparedQuery("""
                        insert into widgets (id, workspace_id, key, name, team_id)
                        select $1, $2, $3, $4, $5
                         where $5::uuid is null or exists (select 1 from teams where id = $5 and workspace_id = $2)""")
                .execute(Tuple.of(id, UUID.fromString(workspaceId), key, name, team))
                .compose(rs -> rs.rowCount() == 0
                        ? Future.failedFuture(Failure.badRequest("teamId is not a team of this workspace"))
                        : Future.succeededFuture(new Widget(id.toString(), workspaceId, key, name, teamId)));
    }

    public Future<Widget> create(String workspaceId, String name, String teamId) {
        return create(pool, workspaceId, name, teamId);
    }

    static Widget fromRow(Row r) {
        return new Widget(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(), r.getString("key"),
                r.getString("name"), Rows.uuid(r, "team_id"));
    }
}
