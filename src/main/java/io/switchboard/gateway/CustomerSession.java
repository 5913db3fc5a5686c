package io.switchboard.gateway;

import io.switchboard.domain.Failure;
import io.switchboard.domain.Message;
import io.switchboard.domain.Visitor;
import io.switchboard.protocol.Audience;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.Decoded;
import io.switchboard.protocol.FrameDecoder;
import io.switchboard.protocol.Views;
import io.switchboard.metrics.Metrics;
import io.switchboard.service.ConversationService;
import io.switchboard.service.InviteService;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A customer's socket. It knows its visitor and the conversation it last wrote to; the server, not
 * the client, decides which conversation a message goes to. A customer's messages are stored in the
 * order they were sent: to a conversation the socket knows, each enters that conversation's lane as
 * it arrives, behind the one before (so a burst is stored in one batch, not one commit after another);
 * a message that may open a conversation waits until the one before it has been answered, since only
 * that answer says where the next one goes.
 */
final class CustomerSession extends Session {
    private final Visitor visitor;
    private final ConversationService conversations;
    private final InviteService invites;
    /** The conversation this socket writes to: from hello, then from each ack. */
    private volatile String conversationId;
    /** The last message's answer. */
    private Future<?> tail = Future.succeededFuture();
    /**
     * What a message must wait for before it can be sent to the known conversation at once: hello's
     * lookup, then the last message that went out with no known conversation (it may open one).
     */
    private Future<?> opening = Future.succeededFuture();
    private final TypingThrottle typing = new TypingThrottle();

    CustomerSession(String id, ServerWebSocket ws, FrameDecoder decoder, Metrics metrics, RateLimit rateLimit,
                    int maxFrameBytes, Visitor visitor, ConversationService conversations, InviteService invites) {
        super(id, ws, decoder, metrics, rateLimit, maxFrameBytes);
        this.visitor = visitor;
        this.conversations = conversations;
        this.invites = invites;
    }

    /** The conversation found at connect time ({@code hello}), or null. */
    void resume(String conversationId) {
        this.conversationId = conversationId;
    }

    /** This socket's first message is taken only once {@code first} has completed (it never fails). */
    void messagesAfter(Future<Void> first) {
        tail = first;
        opening = first;
    }

    Visitor visitor() {
        return visitor;
    }

    /** Whether this socket has a conversation (from hello or an ack): one without has no events to miss. */
    boolean hasConversation() {
        return conversationId != null;
    }

    @Override
    String agentId() {
        return null;
    }

    @Override
    String describe() {
        return "visitor " + visitor.id();
    }

    @Override
    Future<JsonObject> handle(Decoded d) {
        ClientFrame f = d.frame();
        if (f instanceof ClientFrame.CustomerMessage m) {
            return message(m);
        }
        if (f instanceof ClientFrame.History h) {
            return history(h);
        }
        if (f instanceof ClientFrame.Typing t) {
            return typing(t);
        }
        if (f instanceof ClientFrame.Read r) {
            String conv = conversationId;
            return conv == null ? Future.failedFuture(Failure.conflict("there is no conversation to read yet"))
                    : conversations.customerRead(visitor, conv, r.seq()).map(v -> new JsonObject());
        }
        if (f instanceof ClientFrame.InviteRespond r) {
            return invites.respond(visitor, r.inviteId(), r.accept()).map(i -> new JsonObject().put("invite", Views.invite(i)));
        }
        if (f instanceof ClientFrame.Ping) {
            return Future.succeededFuture(new JsonObject());
        }
        return Future.failedFuture(Failure.badRequest(d.type() + " is not available on this server yet"));
    }

    private Future<JsonObject> message(ClientFrame.CustomerMessage m) {
        if ((m.text() == null || m.text().isBlank()) && m.attachmentId() == null && m.payload() == null) {
            return Future.failedFuture(Failure.badRequest("text is required"));
        }
        ConversationService.CustomerInput in =
                new ConversationService.CustomerInput(m.clientMsgId(), m.text(), m.attachmentId(), m.payload());
        Future<Void> before = settled(tail);
        String known = conversationId;
        Future<ConversationService.CustomerAck> done;
        if (known != null && opening.isComplete()) {
            // Into the conversation's lane now, behind the messages before it. Should the conversation
            // turn out done, this one opens the next only after they have all been answered.
            done = conversations.customerMessage(visitor, known, id, in, before);
        } else {
            done = before.transform(ignored -> conversations.customerMessage(visitor, conversationId, id, in, before));
            opening = done;
        }
        tail = done;
        return done.map(ack -> {
            Message msg = ack.message();
            if (!ack.duplicate()) {
                conversationId = msg.conversationId();
            }
            return Views.messageAck(msg, ack.duplicate());
        });
    }

    /**
     * A future that completes when {@code f} does, and holds no reference to it. A completed Vert.x
     * future keeps the functions it was made with ({@code recover}, {@code transform}), and what they
     * captured: had each message's answer captured the answer before it, the socket would keep every
     * message it ever sent (at 3,000 customer messages a second, 1.5 MB more live heap a second).
     */
    static Future<Void> settled(Future<?> f) {
        return f.transform(ignored -> Future.succeededFuture());
    }

    private Future<JsonObject> history(ClientFrame.History h) {
        String conv = h.conversationId() != null ? h.conversationId() : conversationId;
        if (conv == null) {
            return Future.succeededFuture(new JsonObject().put("messages", List.of()));
        }
        long after = h.afterSeq() == null ? 0 : h.afterSeq();
        int limit = h.limit() == null ? ConversationService.DEFAULT_PAGE : h.limit();
        return conversations.messagesForVisitor(visitor.id(), conv, after, limit)
                .map(ms -> new JsonObject().put("messages", Views.list(ms, m -> Views.message(m, Audience.CUSTOMER))));
    }

    private Future<JsonObject> typing(ClientFrame.Typing t) {
        String conv = conversationId;
        if (conv == null || !typing.allow(conv, t.on())) {
            return Future.succeededFuture();
        }
        return conversations.state(conv).map(c -> {
            conversations.relayCustomerTyping(c, visitor, id, t.on());
            return null;
        });
    }
}
