package io.switchboard.store.pg;

import io.switchboard.domain.Failure;
import io.switchboard.domain.Invite;
import io.switchboard.domain.InviteState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;


import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Invitations. Every change is a conditional update along the state machine, so concurrent answers have one winner. */
public final class InviteStore {
    private static final String COLUMNS = "i.id, i.conversation_id, i.kind, i.state, i.updated_at ";

    private final Pool pool;

    public InviteStore(Pool pool) {
        this.pool = pool;
    }

    /** A new pending invite; a pending one of the same kind in the conversation is a {@code conflict}. */
    public Future<Invite> create(String conversationId, String kind, String agentId, long now, long expiresAt) {
        UUID id = Ids.newId();
        return pool.preparedQuery("""
                        insert into invites (id, conversation_id, kind, state, by_agent_id, created_at, updated_at, expires_at)
                        values ($1, $2, $3, 'pending', $4, $5, $5, $6)""")
                .execute(Tuple.of(id, UUID.fromString(conversationId), kind, UUID.fromString(agentId), Ids.time(now),
                        Ids.time(expiresAt)))
                .recover(t -> Future.failedFuture(PgErrors.isUniqueViolation(t)
                        ? Failure.conflict("a " + kind + " invite is already pending in this conversation") : t))
                .map(rs -> new Invite(id.toString(), conversationId, kind, InviteState.PENDING, now));
    }

    public Future<Optional<Invite>> byId(String inviteId) {
        Optional<UUID> id = Ids.parse(inviteId);
        if (id.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery("select " + COLUMNS + "from invites i where i.id = $1")
                .execute(Tuple.of(id.get()))
                .map(rs -> Rows.first(rs, InviteStore::fromRow));
    }

    /** Moves an invite to {@code target} if it is in one of {@code from}; empty when it was not. */
    public Future<Optional<Invite>> move(String inviteId, List<InviteState> from, InviteState target) {
        String[] states = from.stream().map(InviteState::wire).toArray(String[]::new);
        return pool.preparedQuery("update invites i set state = $2, updated_at = now() where i.id = $1 and i.state = any($3) "
                        + "returning " + COLUMNS)
                .execute(Tuple.tuple().addValue(UUID.fromString(inviteId)).addValue(target.wire()).addValue(states))
                .map(rs -> Rows.first(rs, InviteStore::fromRow));
    }

    /** Ends every pending invite past its expiry (each exactly once, whichever node asks). */
    public Future<List<Invite>> expireDue() {
        return pool.query("update invites i set state = 'ended', updated_at = now() "
                        + "where i.state = 'pending' and i.expires_at < now() returning " + COLUMNS)
                .execute()
                .map(rs -> Rows.all(rs, InviteStore::fromRow));
    }

    /** Ends the open invites of a resolved conversation. */
    public Future<List<Invite>> endAll(String conversationId) {
        return pool.preparedQuery("update invites i set state = 'ended', updated_at = now() "
                        + "where i.conversation_id = $1 and i.state in ('pending', 'accepted') returning " + COLUMNS)
                .execute(Tuple.of(UUID.fromString(conversationId)))
                .map(rs -> Rows.all(rs, InviteStore::fromRow));
    }

    public Future<List<Invite>> of(String conversationId) {
        return pool.preparedQuery("select " + COLUMNS + "from invites i where i.conversation_id = $1 order by i.created_at")
                .execute(Tuple.of(UUID.fromString(conversationId)))
                .map(rs -> Rows.all(rs, InviteStore::fromRow));
    }

    static Invite fromRow(Row r) {
        return new Invite(r.getUUID("id").toString(), r.getUUID("conversation_id").toString(), r.getString("kind"),
                InviteState.fromWire(r.getString("state")), Ids.millis(r.getOffsetDateTime("updated_at")));
    }

}
