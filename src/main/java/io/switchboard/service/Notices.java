package io.switchboard.service;

import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.domain.Author;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.Message;
import io.switchboard.domain.MessageKind;
import io.switchboard.protocol.Audience;
import io.switchboard.protocol.Frames;
import io.switchboard.store.pg.MessageStore;
import io.vertx.core.Future;

/**
 * System messages: what the server itself tells both sides of a conversation ("you are being
 * transferred", "your agent is no longer available"). Stored like any message, with a seq, in the
 * conversation's lane.
 */
public final class Notices {
    private final MessageStore messages;
    private final Lanes lanes;
    private final Fanout fanout;

    public Notices(MessageStore messages, Lanes lanes, Fanout fanout) {
        this.messages = messages;
        this.lanes = lanes;
        this.fanout = fanout;
    }

    /** Stores and sends a system message; a conversation that is done meanwhile gets none. */
    public Future<Message> post(ConversationState c, String text) {
        return lanes.pipeline(c.id(), () -> Future.succeededFuture(messages.append(c.id(), new MessageStore.Guard.System(),
                        Author.system(), MessageKind.SYSTEM, text, null, null, null, System.currentTimeMillis())),
                a -> {
                    fanout.publish(Delivery.to(Topics.visitor(a.conversation().visitorId()),
                            Frames.message(a.message(), Audience.CUSTOMER)));
                    fanout.publish(Delivery.to(Topics.conversationAgents(a.conversation()),
                            Frames.message(a.message(), Audience.AGENT)));
                    return a.message();
                });
    }
}
