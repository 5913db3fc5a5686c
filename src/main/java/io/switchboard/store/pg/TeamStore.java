package io.switchboard.store.pg;

import io.switchboard.domain.Failure;
import io.switchboard.domain.Ref;
import io.switchboard.domain.Team;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Teams, their routing policy and their members. */
public final class TeamStore {

    private static final String SELECT = """
            select t.id, t.name, t.routing,
                   coalesce((select json_agg(json_build_object('id', a.id, 'name', a.name) order by a.name)
                               from team_members m join agents a on a.id = m.agent_id
                              where m.team_id = t.id), '[]'::json) as members
              from teams t
            """;

    private final Pool pool;

    public TeamStore(Pool pool) {
        this.pool = pool;
    }

    public Future<List<Team>> list(String workspaceId) {
        return pool.preparedQuery(SELECT + " where t.workspace_id = $1 order by t.name")
                .execute(Tuple.of(UUID.fromString(workspaceId)))
                .map(rs -> Rows.all(rs, TeamStore::fromRow));
    }

    public Future<Optional<Team>> byId(String workspaceId, String id) {
        return pool.preparedQuery(SELECT + " where t.id = $1 and t.workspace_id = $2")
                .execute(Tuple.of(Ids.uuid(id, "team"), UUID.fromString(workspaceId)))
                .map(rs -> Rows.first(rs, TeamStore::fromRow));
    }

    /** Inserts a team; a name already used in the workspace is a {@code conflict}. */
    public Future<Team> create(SqlClient client, String workspaceId, String name, String routing) {
        UUID id = Ids.newId();
        return client.preparedQuery("insert into teams (id, workspace_id, name, routing) values ($1, $2, $3, $4)")
                .execute(Tuple.of(id, UUID.fromString(workspaceId), name, routing))
                .recover(t -> Future.failedFuture(PgErrors.isUniqueViolation(t)
                        ? Failure.conflict("a team with this name already exists") : t))
                .map(rs -> new Team(id.toString(), name, routing, List.of()));
    }

    public Future<Team> create(String workspaceId, String name, String routing) {
        return create(pool, workspaceId, name, routing);
    }

    /**
     * Replaces the members of a team in one transaction. Every agent must belong to the workspace
     * ({@code bad_request} otherwise, and nothing changes).
     *
     * @return the previous and the new member ids, so that live sessions can be told
     */
    public Future<Team> setMembers(String workspaceId, String teamId, List<String> agentIds) {
        UUID team = Ids.uuid(teamId, "team");
        UUID ws = UUID.fromString(workspaceId);
        List<UUID> agents = new ArrayList<>();
        for (String a : agentIds) {
            try {
                agents.add(UUID.fromString(a));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(Failure.badRequest("unknown agent id: " + a));
            }
        }
        UUID[] ids = agents.stream().distinct().toArray(UUID[]::new);
        return pool.withTransaction(tx -> tx.preparedQuery("select 1 from teams where id = $1 and workspace_id = $2 for update")
                        .execute(Tuple.of(team, ws))
                        .compose(rs -> rs.rowCount() == 0
                                ? Future.failedFuture(Failure.notFound("no such team"))
                                : tx.preparedQuery("select count(*) from agents where workspace_id = $1 and id = any($2)")
                                .execute(Tuple.tuple().addValue(ws).addValue(ids)))
                        .compose(rs -> rs.iterator().next().getLong(0) != ids.length
                                ? Future.failedFuture(Failure.badRequest("every agentId must be an agent of this workspace"))
                                : tx.preparedQuery("delete from team_members where team_id = $1").execute(Tuple.of(team)))
                        .compose(rs -> tx.preparedQuery("""
                                        insert into team_members (team_id, agent_id)
                                        select $1, unnest($2::uuid[])""")
                                .execute(Tuple.tuple().addValue(team).addValue(ids))))
                .compose(rs -> byId(workspaceId, teamId).map(Optional::orElseThrow));
    }

    /** Renames a team or changes its routing (null: unchanged). */
    public Future<Team> update(String workspaceId, String teamId, String name, String routing) {
        return pool.preparedQuery("update teams set name = coalesce($3, name), routing = coalesce($4, routing)"
                        + " where id = $1 and workspace_id = $2")
                .execute(Tuple.of(Ids.uuid(teamId, "team"), UUID.fromString(workspaceId), name, routing))
                .recover(t -> Future.failedFuture(PgErrors.isUniqueViolation(t)
                        ? Failure.conflict("a team with this name already exists") : t))
                .compose(rs -> rs.rowCount() == 0
                        ? Future.failedFuture(Failure.notFound("no such team"))
                        : byId(workspaceId, teamId).map(Optional::orElseThrow));
    }

    /** A team's routing policy: manual or auto. */
    public Future<String> routingOf(String teamId) {
        return pool.preparedQuery("select routing from teams where id = $1")
                .execute(Tuple.of(UUID.fromString(teamId)))
                .map(rs -> rs.size() == 0 ? "manual" : rs.iterator().next().getString(0));
    }

    /** Member ids of a team. */
    public Future<List<String>> memberIds(String teamId) {
        return pool.preparedQuery("select agent_id from team_members where team_id = $1")
                .execute(Tuple.of(UUID.fromString(teamId)))
                .map(rs -> Rows.all(rs, r -> r.getUUID(0).toString()));
    }

    public Future<Void> addMember(SqlClient client, String teamId, String agentId) {
        return client.preparedQuery("insert into team_members (team_id, agent_id) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(UUID.fromString(teamId), UUID.fromString(agentId)))
                .mapEmpty();
    }

    static Team fromRow(Row r) {
        List<Ref> members = Rows.refs(r, "members");
        return new Team(r.getUUID("id").toString(), r.getString("name"), r.getString("routing"), members);
    }
}
