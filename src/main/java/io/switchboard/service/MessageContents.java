package io.switchboard.service;

import io.switchboard.domain.AttachmentRef;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.Failure;
import io.switchboard.domain.MessageKind;
import io.switchboard.domain.Principal;
import io.switchboard.domain.TextBlock;
import io.switchboard.domain.Visitor;
import io.switchboard.store.pg.ConversationStore;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a message carries, resolved from what the client sent: plain text, a text block with its
 * placeholders filled in, an article (title, URL, snippet), a flow (title and choices), a flow
 * answer, or a file. Every reference is checked against the sender's workspace.
 */
final class MessageContents {
    private static final int SNIPPET = 200;

    /** The resolved content of a message. */
    record Content(MessageKind kind, String text, AttachmentRef attachment, Map<String, Object> payload) {
    }

    private final CatalogService catalog;
    private final AttachmentService attachments;
    private final ConversationStore conversations;

    MessageContents(CatalogService catalog, AttachmentService attachments, ConversationStore conversations) {
        this.catalog = catalog;
        this.attachments = attachments;
        this.conversations = conversations;
    }

    Future<Content> forAgent(Principal who, String conversationId, String kindName, String text, String attachmentId,
                             Map<String, Object> payload) {
        MessageKind kind = MessageKind.fromWire(kindName);
        return switch (kind) {
            case TEXT -> Future.succeededFuture(new Content(kind, requireText(text), null, null));
            case TEXTBLOCK -> catalog.textBlock(who, payloadId(payload, "textBlockId"))
                    .compose(b -> conversations.summary(conversationId)
                            .map(c -> new Content(kind, fill(b.body(), c, who), null, textBlockPayload(b))));
            case ARTICLE -> catalog.article(who.workspaceId(), payloadId(payload, "articleId")).map(a -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("articleId", a.id());
                p.put("title", a.title());
                p.put("url", a.url());
                p.put("snippet", snippet(a.body()));
                return new Content(kind, text, null, p);
            });
            case FLOW -> catalog.flow(who.workspaceId(), payloadId(payload, "flowId")).map(f -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("flowId", f.id());
                p.put("title", f.title());
                p.put("options", f.options().stream().map(o -> Map.<String, Object>of("id", o.id(), "label", o.label())).toList());
                return new Content(kind, f.title(), null, p);
            });
            case IMAGE, VIDEO, AUDIO, FILE -> file(who.workspaceId(), who.agentId(), conversationId, attachmentId, kind, text);
            case SYSTEM -> Future.failedFuture(Failure.badRequest("system messages come from the server only"));
        };
    }

    Future<Content> forCustomer(Visitor v, String conversationId, String text, String attachmentId,
                                Map<String, Object> payload) {
        if (attachmentId != null) {
            return file(v.workspaceId(), v.id(), conversationId, attachmentId, null, text);
        }
        if (payload != null) {
            String flowId = payloadId(payload, "flowId");
            String optionId = payloadId(payload, "optionId");
            return catalog.flow(v.workspaceId(), flowId)
                    .recover(t -> Future.failedFuture(Failure.badRequest("no such flow")))
                    .map(f -> {
                        var option = f.option(optionId).orElseThrow(() -> Failure.badRequest("the flow has no option " + optionId));
                        Map<String, Object> p = new LinkedHashMap<>();
                        p.put("flowId", f.id());
                        p.put("optionId", option.id());
                        return new Content(MessageKind.TEXT, option.label(), null, p);
                    });
        }
        return Future.succeededFuture(new Content(MessageKind.TEXT, requireText(text), null, null));
    }

    /** Fails unless the file is the customer's own upload: checked before a conversation opens for it. */
    Future<Void> checkOwnFile(Visitor v, String attachmentId) {
        return attachments.checkOwn(v.workspaceId(), v.id(), attachmentId);
    }

    /** A file message: the sender's own upload, bound to this conversation; its kind follows its content type. */
    private Future<Content> file(String workspaceId, String uploaderId, String conversationId, String attachmentId,
                                 MessageKind declared, String caption) {
        if (attachmentId == null) {
            return Future.failedFuture(Failure.badRequest("attachmentId is required"));
        }
        return attachments.claim(workspaceId, uploaderId, attachmentId, conversationId).map(a -> {
            MessageKind actual = kindOf(a.contentType());
            if (declared != null && declared != MessageKind.FILE && declared != actual) {
                throw Failure.badRequest("the attachment is " + a.contentType() + ", not " + declared.wire());
            }
            return new Content(declared != null ? declared : actual, blankToNull(caption), a.ref(), null);
        });
    }

    static MessageKind kindOf(String contentType) {
        if (contentType.startsWith("image/")) {
            return MessageKind.IMAGE;
        }
        if (contentType.startsWith("video/")) {
            return MessageKind.VIDEO;
        }
        if (contentType.startsWith("audio/")) {
            return MessageKind.AUDIO;
        }
        return MessageKind.FILE;
    }

    /** Fills {@code {{customer.name}}}, {@code {{customer.email}}}, {@code {{agent.name}}}; unknown values become empty. */
    static String fill(String body, ConversationSummary c, Principal agent) {
        return body.replace("{{customer.name}}", orEmpty(c.visitor().name()))
                .replace("{{customer.email}}", orEmpty(c.visitor().email()))
                .replace("{{agent.name}}", orEmpty(agent.name()));
    }

    private static Map<String, Object> textBlockPayload(TextBlock b) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("textBlockId", b.id());
        p.put("shortcut", b.shortcut());
        return p;
    }

    private static String snippet(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= SNIPPET ? flat : flat.substring(0, SNIPPET - 1) + "…";
    }

    private static String payloadId(Map<String, Object> payload, String field) {
        Object v = payload == null ? null : payload.get(field);
        if (!(v instanceof String s) || s.isEmpty() || s.length() > 64) {
            throw Failure.badRequest("payload." + field + " is required");
        }
        return s;
    }

    private static String requireText(String text) {
        if (text == null || text.isBlank()) {
            throw Failure.badRequest("text is required");
        }
        return text;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
