package io.switchboard.store.pg;

import io.switchboard.domain.Attachment;
import io.switchboard.domain.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/** Metadata of uploaded files; the bytes live on disk, at {@code path} under the attachments directory. */
public final class AttachmentStore {
    private static final String COLUMNS =
            "id, workspace_id, uploader_type, uploader_id, conversation_id, name, content_type, size, path";

    private static final String INSERT = """
            insert into attachments (id, workspace_id, uploader_type, uploader_id, name, content_type, size, path)
            values ($1, $2, $3, $4, $5, $6, $7, $8)""";

    private static final String BY_ID = "select " + COLUMNS + " from attachments where id = $1";

    /*
     * One conditional update, so that two messages racing to send one file cannot both bind it:
     * the uploader's own file of this workspace, unsent or sent in this very conversation, and a
     * conversation of the same workspace (a customer's file only into that customer's conversation).
     */
    private static final String CLAIM = """
            update attachments a set conversation_id = c.id
              from conversations c
             where a.id = $1 and a.workspace_id = $2 and a.uploader_id = $3
               and (a.conversation_id is null or a.conversation_id = $4)
               and c.id = $4 and c.workspace_id = a.workspace_id
               and (a.uploader_type = 'agent' or c.visitor_id = a.uploader_id)
            returning a.id, a.workspace_id, a.uploader_type, a.uploader_id, a.conversation_id, a.name,
                      a.content_type, a.size, a.path""";

    private final Pool pool;

    public AttachmentStore(Pool pool) {
        this.pool = pool;
    }

    /** Records a file that is already on disk (unsent: no conversation yet). */
    /**
     * Forgets uploads never sent in a message and older than {@code hours} (each row once, whichever
     * node asks); returns their paths so that the files can go too.
     */
    public Future<java.util.List<String>> deleteUnsentOlderThan(int hours) {
        return pool.preparedQuery("delete from attachments where conversation_id is null "
                        + "and created_at < now() - make_interval(hours => $1) returning path")
                .execute(Tuple.of(hours))
                .map(rs -> Rows.all(rs, r -> r.getString(0)));
    }

    public Future<Void> insert(Attachment a) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.tuple().addValue(UUID.fromString(a.id())).addValue(UUID.fromString(a.workspaceId()))
                        .addValue(a.uploaderType()).addValue(UUID.fromString(a.uploaderId())).addValue(a.name())
                        .addValue(a.contentType()).addValue(a.size()).addValue(a.path()))
                .mapEmpty();
    }

    /** The attachment of an id; a malformed id names nothing ({@code not_found}). */
    public Future<Optional<Attachment>> byId(String id) {
        UUID uuid;
        try {
            uuid = Ids.uuid(id, "attachment");
        } catch (Failure f) {
            return Future.failedFuture(f);
        }
        return pool.preparedQuery(BY_ID).execute(Tuple.of(uuid)).map(rs -> Rows.first(rs, AttachmentStore::fromRow));
    }

    /**
     * Binds the uploader's file to a conversation if it is unsent or already in that conversation;
     * empty otherwise (someone else's file, another workspace, sent elsewhere, no such conversation).
     */
    public Future<Optional<Attachment>> claim(String workspaceId, String uploaderId, String attachmentId,
                                              String conversationId) {
        Tuple args;
        try {
            args = Tuple.of(Ids.uuid(attachmentId, "attachment"), Ids.uuid(workspaceId, "workspace"),
                    Ids.uuid(uploaderId, "uploader"), Ids.uuid(conversationId, "conversation"));
        } catch (Failure f) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery(CLAIM).execute(args).map(rs -> Rows.first(rs, AttachmentStore::fromRow));
    }

    static Attachment fromRow(Row r) {
        return new Attachment(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(),
                r.getString("uploader_type"), r.getUUID("uploader_id").toString(), Rows.uuid(r, "conversation_id"),
                r.getString("name"), r.getString("content_type"), r.getLong("size"), r.getString("path"));
    }
}
