package io.switchboard.service;

import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.domain.AgentStatus;
import io.switchboard.domain.Principal;
import io.switchboard.protocol.Frames;
import io.switchboard.store.redis.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.AbstractMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agent presence. An agent is present while any of its sockets is open; its status ({@code online},
 * {@code away}, {@code offline}) is what it chose, starting at {@code online}. This node keeps the
 * agents whose sockets it holds and mirrors them into Redis, refreshed by a heartbeat so that a
 * crashed node's agents expire. {@code presence} events go out only on real changes.
 *
 * <p>Thread-safe.
 */
public final class PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);

    private record Local(Principal who, AgentStatus status, int sockets) {
    }

    private final ConcurrentHashMap<String, Local> local = new ConcurrentHashMap<>();
    private final PresenceStore store;
    private final Fanout fanout;

    public PresenceService(PresenceStore store, Fanout fanout) {
        this.store = store;
        this.fanout = fanout;
    }

    /** A socket of this agent opened; returns the agent's status. */
    public Future<AgentStatus> connected(Principal who) {
        Local now = local.compute(who.agentId(), (id, l) -> l == null
                ? new Local(who, null, 1) : new Local(who, l.status(), l.sockets() + 1));
        if (now.status() != null) {
            return Future.succeededFuture(now.status());
        }
        // First socket on this node: another node may already hold the agent with a chosen status.
        return store.get(who.agentId()).recover(t -> Future.succeededFuture(null)).compose(seen -> {
            AgentStatus status = seen == null ? AgentStatus.ONLINE : AgentStatus.fromWire(seen);
            local.computeIfPresent(who.agentId(), (id, l) -> l.status() == null ? new Local(l.who(), status, l.sockets()) : l);
            AgentStatus effective = statusOf(who.agentId());
            if (seen == null) {
                announce(who, effective);
            }
            return store.put(who.agentId(), effective.wire()).recover(this::logged).map(effective);
        });
    }

    /** A socket of this agent closed; the last one makes the agent offline. */
    public void disconnected(Principal who) {
        Local after = local.computeIfPresent(who.agentId(), (id, l) -> l.sockets() <= 1 ? null
                : new Local(l.who(), l.status(), l.sockets() - 1));
        if (after == null) {
            store.remove(who.agentId()).recover(this::logged);
            announce(who, AgentStatus.OFFLINE);
        }
    }

    /** The agent chose a status. */
    public Future<AgentStatus> set(Principal who, AgentStatus status) {
        Local before = local.get(who.agentId());
        local.computeIfPresent(who.agentId(), (id, l) -> new Local(l.who(), status, l.sockets()));
        if (before == null || before.status() != status) {
            announce(who, status);
        }
        return store.put(who.agentId(), status.wire()).recover(this::logged).map(status);
    }

    /** The status of an agent with a socket on this node, else offline. */
    public AgentStatus statusOf(String agentId) {
        Local l = local.get(agentId);
        return l == null || l.status() == null ? AgentStatus.OFFLINE : l.status();
    }

    /** Refreshes the Redis presence of every agent held by this node. */
    public Future<Void> heartbeat() {
        List<AbstractMap.SimpleEntry<String, String>> entries = local.values().stream()
                .filter(l -> l.status() != null)
                .map(l -> new AbstractMap.SimpleEntry<>(l.who().agentId(), l.status().wire()))
                .toList();
        return store.refresh(entries).recover(this::logged);
    }

    private void announce(Principal who, AgentStatus status) {
        fanout.publish(Delivery.to(Topics.presenceOf(who), Frames.event("presence",
                new JsonObject().put("agentId", who.agentId()).put("status", status.wire()))));
    }

    private <T> Future<T> logged(Throwable t) {
        LOG.warn("presence not written to Redis: {}", t.toString());
        return Future.succeededFuture();
    }
}
