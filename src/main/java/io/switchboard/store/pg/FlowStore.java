package io.switchboard.store.pg;

import io.switchboard.domain.Flow;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Flows of a workspace: a question and its choices, kept as a JSON array of {@code {"id","label"}}. */
public final class FlowStore {
    private static final String LIST = """
            select id, title, options
              from flows
             where workspace_id = $1
             order by lower(title), created_at, id""";

    private static final String BY_ID = "select id, title, options from flows where id = $1 and workspace_id = $2";

    private static final String INSERT = "insert into flows (id, workspace_id, title, options) values ($1, $2, $3, $4::jsonb)";

    private final Pool pool;

    public FlowStore(Pool pool) {
        this.pool = pool;
    }

    public Future<List<Flow>> list(String workspaceId) {
        return pool.preparedQuery(LIST)
                .execute(Tuple.of(UUID.fromString(workspaceId)))
                .map(rs -> Rows.all(rs, FlowStore::fromRow));
    }

    /** A flow of the workspace; empty for an unknown or malformed id. */
    public Future<Optional<Flow>> byId(String workspaceId, String id) {
        Optional<UUID> uuid = Ids.parse(id);
        if (uuid.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery(BY_ID)
                .execute(Tuple.of(uuid.get(), UUID.fromString(workspaceId)))
                .map(rs -> Rows.first(rs, FlowStore::fromRow));
    }

    public Future<Flow> create(String workspaceId, String title, List<Flow.Option> options) {
        UUID id = Ids.newId();
        JsonArray json = new JsonArray();
        options.forEach(o -> json.add(new JsonObject().put("id", o.id()).put("label", o.label())));
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(id, UUID.fromString(workspaceId), title, json))
                .map(rs -> new Flow(id.toString(), title, List.copyOf(options)));
    }

    static Flow fromRow(Row r) {
        Object raw = r.getValue("options");
        JsonArray arr = raw instanceof JsonArray a ? a : new JsonArray(String.valueOf(raw));
        List<Flow.Option> options = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonObject o = arr.getJsonObject(i);
            options.add(new Flow.Option(o.getString("id"), o.getString("label")));
        }
        return new Flow(r.getUUID("id").toString(), r.getString("title"), List.copyOf(options));
    }
}
