package io.switchboard.service;

import io.switchboard.domain.Attachment;
import io.switchboard.domain.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.nio.file.Path;

/**
 * Uploaded files: stored under a directory (streamed to disk, never blocking an event loop), their
 * metadata in Postgres, their content type detected from the bytes. Until sent in a message only
 * the uploader may read one; afterwards whoever may see that conversation. Thread-safe.
 */
public final class AttachmentService {
    private final Vertx vertx;
    private final Pool pool;
    private final Path directory;
    private final long maxBytes;

    public AttachmentService(Vertx vertx, Pool pool, Path directory, long maxBytes) {
        this.vertx = vertx;
        this.pool = pool;
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    /**
     * Binds an attachment to the conversation a message sends it in. It must be the sender's own
     * upload in this workspace, not yet sent elsewhere (sent again in the same conversation is fine);
     * {@code not_found} otherwise, so that nobody can send someone else's file.
     *
     * @param uploaderId the visitor id or agent id of the sender
     */
    public Future<Attachment> claim(String workspaceId, String uploaderId, String attachmentId, String conversationId) {
        return Future.failedFuture(Failure.notFound("no such attachment"));
    }
}
