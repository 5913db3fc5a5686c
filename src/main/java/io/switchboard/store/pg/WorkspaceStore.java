package io.switchboard.store.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** Workspaces: the tenants every other row belongs to. */
public final class WorkspaceStore {
    private final Pool pool;

    public WorkspaceStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Boolean> isEmpty() {
        return pool.query("select not exists (select 1 from workspaces)").execute()
                .map(rs -> rs.iterator().next().getBoolean(0));
    }

    public Future<String> create(SqlClient client, String name) {
        UUID id = Ids.newId();
        return client.preparedQuery("insert into workspaces (id, name) values ($1, $2)")
                .execute(Tuple.of(id, name))
                .map(rs -> id.toString());
    }

    /** The routing policy of conversations with no team: {@code manual} or {@code auto}. */
    public Future<String> defaultRouting(String workspaceId) {
        return pool.preparedQuery("select default_routing from workspaces where id = $1")
                .execute(Tuple.of(UUID.fromString(workspaceId)))
                .map(rs -> rs.size() == 0 ? "manual" : rs.iterator().next().getString(0));
    }

    /** A workspace as the API shows it: id, name, default routing. */
    public record Workspace(String id, String name, String defaultRouting) {
    }

    public Future<Workspace> byId(String workspaceId) {
        return pool.preparedQuery("select id, name, default_routing from workspaces where id = $1")
                .execute(Tuple.of(UUID.fromString(workspaceId)))
                .map(rs -> {
                    var r = rs.iterator().next();
                    return new Workspace(r.getUUID(0).toString(), r.getString(1), r.getString(2));
                });
    }

    public Future<Void> setDefaultRouting(String workspaceId, String routing) {
        return pool.preparedQuery("update workspaces set default_routing = $2 where id = $1")
                .execute(Tuple.of(UUID.fromString(workspaceId), routing)).mapEmpty();
    }
}
