package io.switchboard.store.pg;

import io.switchboard.domain.Note;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Ref;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Internal notes. Kept apart from messages and never joined into anything a customer reads. */
public final class NoteStore {

    /** A stored note; {@code duplicate} for a retried clientMsgId. Empty when the agent may not see the conversation. */
    public record Added(Note note, boolean duplicate) {
    }

    private static final String COLUMNS = "n.id, n.conversation_id, n.at, n.author_id, n.author_name, n.text, n.client_msg_id ";

    private final Pool pool;

    public NoteStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Adds a note if the principal may see the conversation (the SQL twin of Permissions.canSee);
     * otherwise returns empty and the caller explains the refusal.
     */
    public Future<Optional<Added>> add(Principal who, String conversationId, String text, String clientMsgId, long now) {
        UUID id = Ids.newOrderedId();
        UUID conv = Ids.uuid(conversationId, "conversation");
        UUID agent = UUID.fromString(who.agentId());
        return pool.preparedQuery("""
                        insert into notes (id, conversation_id, author_id, author_name, text, client_msg_id, at)
                        select $1, c.id, $2, $5, $6, $7, $8 from conversations c
                         where c.id = $4 and c.workspace_id = $9
                           and ($3::boolean or c.assignee_id = $2 or c.team_id is null
                                or exists (select 1 from team_members tm where tm.team_id = c.team_id and tm.agent_id = $2))""")
                .execute(Tuple.tuple().addValue(id).addValue(agent).addValue(who.isAdmin()).addValue(conv)
                        .addValue(who.name()).addValue(text).addValue(clientMsgId).addValue(Ids.time(now))
                        .addValue(UUID.fromString(who.workspaceId())))
                .map(rs -> rs.rowCount() == 0 ? Optional.<Added>empty() : Optional.of(new Added(
                        new Note(id.toString(), conversationId, now, new Ref(who.agentId(), who.name()), text, clientMsgId), false)))
                .recover(t -> PgErrors.isUniqueViolation(t, "notes_client_msg_uq")
                        ? pool.preparedQuery("select " + COLUMNS + """
                                 from notes n where n.conversation_id = $1 and n.author_id = $2 and n.client_msg_id = $3""")
                        .execute(Tuple.of(conv, agent, clientMsgId))
                        .map(rs -> Rows.first(rs, NoteStore::fromRow).map(n -> new Added(n, true)))
                        : Future.failedFuture(t));
    }

    public Future<List<Note>> of(String conversationId, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from notes n where n.conversation_id = $1 order by n.at limit $2")
                .execute(Tuple.of(Ids.uuid(conversationId, "conversation"), limit))
                .map(rs -> Rows.all(rs, NoteStore::fromRow));
    }

    static Note fromRow(Row r) {
        return new Note(r.getUUID("id").toString(), r.getUUID("conversation_id").toString(),
                Ids.millis(r.getOffsetDateTime("at")), new Ref(r.getUUID("author_id").toString(), r.getString("author_name")),
                r.getString("text"), r.getString("client_msg_id"));
    }
}
