package io.switchboard.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.function.Consumer;

/**
 * Changes that live sessions on every node must learn of at once: an agent's role or team
 * memberships changed, so its sockets must listen to other topics.
 */
public final class Control {
    static final String AGENT_CHANGED = "sb.agent.changed";

    private final Vertx vertx;

    public Control(Vertx vertx) {
        this.vertx = vertx;
    }

    public void agentChanged(String agentId) {
        vertx.eventBus().publish(AGENT_CHANGED, agentId);
    }

    /** Registers a receiver on the calling context. */
    public MessageConsumer<String> onAgentChanged(Consumer<String> receiver) {
        return vertx.eventBus().<String>consumer(AGENT_CHANGED, m -> receiver.accept(m.body()));
    }
}
