package io.switchboard.store.pg;

import io.switchboard.domain.Agent;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Ref;
import io.switchboard.domain.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Agents and their team memberships. Password hashes leave this store only for login. */
public final class AgentStore {

    /** An agent row with its password hash, for login only. */
    public record Credentials(Agent agent, String passwordHash) {
    }

    private static final String SELECT = """
            select a.id, a.workspace_id, a.email, a.name, a.role, a.max_chats, a.password_hash,
                   coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name) order by t.name)
                               from team_members m join teams t on t.id = m.team_id
                              where m.agent_id = a.id), '[]'::json) as teams
              from agents a
            """;

    private final Pool pool;

    public AgentStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Optional<Credentials>> byEmail(String email) {
        return pool.preparedQuery(SELECT + " where lower(a.email) = lower($1)")
                .execute(Tuple.of(email))
                .map(rs -> Rows.first(rs, r -> new Credentials(fromRow(r), r.getString("password_hash"))));
    }

    public Future<Optional<Agent>> byId(String id) {
        Optional<UUID> uuid = Ids.parse(id);
        if (uuid.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery(SELECT + " where a.id = $1")
                .execute(Tuple.of(uuid.get()))
                .map(rs -> Rows.first(rs, AgentStore::fromRow));
    }

    public Future<List<Agent>> list(String workspaceId) {
        return pool.preparedQuery(SELECT + " where a.workspace_id = $1 order by a.name, a.email")
                .execute(Tuple.of(UUID.fromString(workspaceId)))
                .map(rs -> Rows.all(rs, AgentStore::fromRow));
    }

    /** Inserts an agent; an e-mail already in use is a {@code conflict}. */
    public Future<Agent> create(SqlClient client, String workspaceId, String email, String name, String passwordHash,
                                Role role, int maxChats) {
        UUID id = Ids.newId();
        return client.preparedQuery("""
                        insert into agents (id, workspace_id, email, name, password_hash, role, max_chats)
                        values ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.of(id, UUID.fromString(workspaceId), email, name, passwordHash, role.wire(), maxChats))
                .recover(t -> Future.failedFuture(PgErrors.isUniqueViolation(t)
                        ? Failure.conflict("an agent with this e-mail already exists") : t))
                .map(rs -> new Agent(id.toString(), workspaceId, email, name, role, maxChats, List.of()));
    }

    public Future<Agent> create(String workspaceId, String email, String name, String passwordHash, Role role, int maxChats) {
        return create(pool, workspaceId, email, name, passwordHash, role, maxChats);
    }

    /** Updates the given fields (null: unchanged) of an agent of the workspace. */
    public Future<Agent> update(String workspaceId, String id, String email, String name, String passwordHash,
                                Role role, Integer maxChats) {
        UUID uuid = Ids.uuid(id, "agent");
        return pool.preparedQuery("""
                        update agents set email = coalesce($3, email), name = coalesce($4, name),
                               password_hash = coalesce($5, password_hash), role = coalesce($6, role),
                               max_chats = coalesce($7, max_chats)
                         where id = $1 and workspace_id = $2""")
                .execute(Tuple.of(uuid, UUID.fromString(workspaceId), email, name, passwordHash,
                        role == null ? null : role.wire(), maxChats))
                .recover(t -> Future.failedFuture(PgErrors.isUniqueViolation(t)
                        ? Failure.conflict("an agent with this e-mail already exists") : t))
                .compose(rs -> rs.rowCount() == 0
                        ? Future.failedFuture(Failure.notFound("no such agent"))
                        : byId(id).map(Optional::orElseThrow));
    }

    static Agent fromRow(Row r) {
        List<Ref> teams = Rows.refs(r, "teams");
        return new Agent(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(), r.getString("email"),
                r.getString("name"), Role.fromWire(r.getString("role")), r.getInteger("max_chats"), teams);
    }
}
