package io.switchboard.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.function.Consumer;

/**
 * Changes that every node must learn of at once: an agent's role, teams or capacity changed (its
 * sockets must listen to other topics), it chose another status, or a pool's routing policy changed
 * (nodes cache policies).
 */
public final class Control {
    static final String AGENT_CHANGED = "sb.agent.changed";
    static final String AGENT_STATUS = "sb.agent.status";
    static final String ROUTING_CHANGED = "sb.routing.changed";

    private final Vertx vertx;

    public Control(Vertx vertx) {
        this.vertx = vertx;
    }

    public void agentChanged(String agentId) {
        vertx.eventBus().publish(AGENT_CHANGED, agentId);
    }

    /** An agent chose a status on some node; the others holding its sockets must know. */
    public void statusChanged(String agentId, String status) {
        vertx.eventBus().publish(AGENT_STATUS, agentId + "," + status);
    }

    /** Registers a receiver of (agentId, status) on the calling context. */
    public MessageConsumer<String> onStatusChanged(java.util.function.BiConsumer<String, String> receiver) {
        return vertx.eventBus().<String>consumer(AGENT_STATUS, m -> {
            String[] parts = m.body().split(",", 2);
            receiver.accept(parts[0], parts[1]);
        });
    }

    /** Registers a receiver on the calling context. */
    public MessageConsumer<String> onAgentChanged(Consumer<String> receiver) {
        return vertx.eventBus().<String>consumer(AGENT_CHANGED, m -> receiver.accept(m.body()));
    }

    /** The routing policy of a pool changed (a team's, or a workspace's default): nodes drop what they cached. */
    public void routingChanged(String pool) {
        vertx.eventBus().publish(ROUTING_CHANGED, pool);
    }

    /** Registers a receiver of pool ids whose routing policy changed, on the calling context. */
    public MessageConsumer<String> onRoutingChanged(Consumer<String> receiver) {
        return vertx.eventBus().<String>consumer(ROUTING_CHANGED, m -> receiver.accept(m.body()));
    }
}
