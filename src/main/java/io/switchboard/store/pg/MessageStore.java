package io.switchboard.store.pg;

import io.switchboard.domain.AttachmentRef;
import io.switchboard.domain.Author;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.Message;
import io.switchboard.domain.MessageKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Customer-visible messages. {@link #append} allocates the next {@code seq} and inserts the message
 * in one statement, so the counter and the row commit together and seq has no gaps.
 */
public final class MessageStore {

    /** Who may append, as the conditional update checks it. */
    public sealed interface Guard {
        /** The customer who owns the conversation. */
        record Visitor(String visitorId) implements Guard {
        }

        /** The assignee, or any agent of the workspace when {@code admin}. */
        record Agent(String agentId, String workspaceId, boolean admin) implements Guard {
        }

        /** The server itself (system messages). */
        record System() implements Guard {
        }
    }

    /**
     * A stored message and the state of its conversation after it; for a retried clientMsgId the
     * original message, {@code duplicate}, and no state (nothing changed, nothing to announce).
     */
    public record Appended(Message message, boolean duplicate, ConversationState conversation) {
    }

    /** The conversation refused the message (done, or not the sender's); the caller explains why. */
    public static final class Refused extends RuntimeException {
        public Refused() {
            super(null, null, false, false);
        }
    }

    private static final String APPEND = """
            with c as (
                update conversations c set last_seq = c.last_seq + 1, updated_at = $4
                 where c.id = $1 and c.status <> 'done'
                   and ($11::uuid is null or c.visitor_id = $11)
                   and ($12::uuid is null or (c.workspace_id = $12 and ($13::boolean or c.assignee_id = $6)))
                returning c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status, c.last_seq
            ), m as (
                insert into messages (id, conversation_id, seq, at, author_type, author_id, author_name, kind, text,
                                      attachment_id, payload, client_msg_id)
                select $2, c.id, c.last_seq, $4, $5, $6, $7, $8, $9, $10, $14, $3 from c
            )
            select * from c""";

    private static final String BY_CLIENT_MSG = "select " + MessageRows.COLUMNS + """
             from messages m left join attachments att on att.id = m.attachment_id where m.conversation_id = $1 and m.author_id = $2 and m.client_msg_id = $3""";

    private final Pool pool;
    private final BatchedStatement appends;

    /** @param writers batches of appends in flight at once (a share of the pool's connections) */
    public MessageStore(Pool pool, int writers) {
        this.pool = pool;
        this.appends = new BatchedStatement(pool, APPEND, writers);
    }

    /**
     * Appends a message. A retried {@code clientMsgId} of the same sender stores nothing and returns
     * the original with {@code duplicate}. Fails with {@link Refused} when the guard does not hold or
     * the conversation is done.
     */
    public Future<Appended> append(String conversationId, Guard guard, Author author, MessageKind kind, String text,
                                   AttachmentRef attachment, Map<String, Object> payload, String clientMsgId, long now) {
        UUID id = Ids.newId();
        UUID conv = Ids.uuid(conversationId, "conversation");
        UUID authorId = author.id() == null ? null : UUID.fromString(author.id());
        UUID visitorGuard = guard instanceof Guard.Visitor v ? UUID.fromString(v.visitorId()) : null;
        UUID workspaceGuard = guard instanceof Guard.Agent a ? UUID.fromString(a.workspaceId()) : null;
        boolean admin = guard instanceof Guard.Agent a && a.admin();
        Tuple params = Tuple.tuple()
                .addValue(conv).addValue(id).addValue(clientMsgId).addValue(Ids.time(now))
                .addValue(author.type()).addValue(authorId).addValue(author.name())
                .addValue(kind.wire()).addValue(text).addValue(attachment == null ? null : UUID.fromString(attachment.id()))
                .addValue(visitorGuard).addValue(workspaceGuard).addValue(admin)
                .addValue(payload == null ? null : new JsonObject(payload));
        return appends.execute(params, conversationId)
                .map(rs -> {
                    if (rs.rowCount() == 0) {
                        throw new Refused();
                    }
                    var row = rs.iterator().next();
                    ConversationState state = ConversationStore.stateFromRow(row);
                    Message m = new Message(id.toString(), conversationId, row.getLong("last_seq"), now, clientMsgId,
                            author, kind, text, attachment, payload);
                    return new Appended(m, false, state);
                })
                .recover(t -> PgErrors.isUniqueViolation(t, "messages_client_msg_uq")
                        ? byClientMsgId(conversationId, author.id(), clientMsgId)
                        .map(orig -> new Appended(orig.orElseThrow(), true, null))
                        : Future.failedFuture(t));
    }

    public Future<Optional<Message>> byClientMsgId(String conversationId, String authorId, String clientMsgId) {
        return pool.preparedQuery(BY_CLIENT_MSG)
                .execute(Tuple.of(UUID.fromString(conversationId), UUID.fromString(authorId), clientMsgId))
                .map(rs -> Rows.first(rs, MessageRows::fromRow));
    }

    /** A sender's message with this clientMsgId in any conversation (a retry that outlived its conversation). */
    public Future<Optional<Message>> bySender(String authorId, String clientMsgId) {
        return pool.preparedQuery("select " + MessageRows.COLUMNS + """
                         from messages m left join attachments att on att.id = m.attachment_id where m.author_id = $1 and m.client_msg_id = $2
                         order by m.at desc limit 1""")
                .execute(Tuple.of(UUID.fromString(authorId), clientMsgId))
                .map(rs -> Rows.first(rs, MessageRows::fromRow));
    }

    /** Messages with seq greater than {@code afterSeq}, in seq order. */
    public Future<List<Message>> after(String conversationId, long afterSeq, int limit) {
        return pool.preparedQuery("select " + MessageRows.COLUMNS + """
                         from messages m left join attachments att on att.id = m.attachment_id where m.conversation_id = $1 and m.seq > $2 order by m.seq limit $3""")
                .execute(Tuple.of(Ids.uuid(conversationId, "conversation"), afterSeq, limit))
                .map(rs -> Rows.all(rs, MessageRows::fromRow));
    }

    /** The latest {@code limit} messages, in seq order. */
    public Future<List<Message>> latest(String conversationId, int limit) {
        return pool.preparedQuery("select * from (select " + MessageRows.COLUMNS + """
                         from messages m left join attachments att on att.id = m.attachment_id where m.conversation_id = $1 order by m.seq desc limit $2) x order by m_seq""")
                .execute(Tuple.of(Ids.uuid(conversationId, "conversation"), limit))
                .map(rs -> Rows.all(rs, MessageRows::fromRow));
    }
}
