package io.switchboard.http;

import io.switchboard.service.AttachmentService;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * {@code POST /api/attachments} (multipart, one part named {@code file}) and
 * {@code GET /api/attachments/{id}}, for agents (bearer token) and visitors ({@code ?token=}).
 */
final class AttachmentRoutes {
    private final AttachmentService attachments;
    private final AuthService auth;
    private final ConversationService conversations;
    private final long maxBytes;

    AttachmentRoutes(AttachmentService attachments, AuthService auth, ConversationService conversations, long maxBytes) {
        this.attachments = attachments;
        this.auth = auth;
        this.conversations = conversations;
        this.maxBytes = maxBytes;
    }

    void mount(Vertx vertx, Router api) {
        // routes arrive with attachments
    }
}
