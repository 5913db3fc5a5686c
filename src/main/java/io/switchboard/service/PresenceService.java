package io.switchboard.service;

import io.switchboard.bus.Control;
import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.domain.Agent;
import io.switchboard.domain.AgentStatus;
import io.switchboard.domain.Pools;
import io.switchboard.domain.PresenceRules;
import io.switchboard.domain.Principal;
import io.switchboard.protocol.Frames;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.redis.PresenceStore;
import io.switchboard.store.redis.PresenceStore.AgentPresence;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agent presence. An agent is present while a node holds one of its sockets, and for a grace period
 * after the last one closed, so that a network blink changes nothing. Its status ({@code online},
 * {@code away}, {@code offline}) is what it chose; a fresh start is {@code online}. Only online
 * agents serve their pools. {@code presence} events go to the agent's teams and the admins on real
 * changes only. An agent gone past the grace period, or who chose offline, has its conversations
 * put back in their queues (unless configured to keep them).
 *
 * <p>This node keeps the agents whose sockets it holds and writes them to Redis at every
 * heartbeat, which also restores them after a Redis restart. Thread-safe.
 */
public final class PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);

    private record Local(Agent agent, AgentStatus status, int sockets) {
    }

    private final ConcurrentHashMap<String, Local> local = new ConcurrentHashMap<>();
    private final PresenceStore store;
    private final AgentStore agents;
    private final RoutingService routing;
    private final Fanout fanout;
    private final Control control;
    private final long heartbeatMillis;
    private final long graceMillis;
    private final boolean requeue;

    public PresenceService(PresenceStore store, AgentStore agents, RoutingService routing, Fanout fanout, Control control,
                           long heartbeatMillis, long graceMillis, boolean requeue) {
        this.store = store;
        this.agents = agents;
        this.routing = routing;
        this.fanout = fanout;
        this.control = control;
        this.heartbeatMillis = heartbeatMillis;
        this.graceMillis = graceMillis;
        this.requeue = requeue;
    }

    /** A socket of this agent opened; returns the agent's status. */
    public Future<AgentStatus> connected(Agent agent) {
        Local now = local.compute(agent.id(), (id, l) -> l == null
                ? new Local(agent, null, 1) : new Local(agent, l.status(), l.sockets() + 1));
        if (now.status() != null) {
            return Future.succeededFuture(now.status());
        }
        // First socket on this node: the agent may be present through another node, or within its grace.
        return store.presentStatus(agent.id()).otherwiseEmpty().compose(seen -> {
            AgentStatus status = seen == null ? AgentStatus.ONLINE : AgentStatus.fromWire(seen);
            local.computeIfPresent(agent.id(), (id, l) -> l.status() == null ? new Local(l.agent(), status, l.sockets()) : l);
            AgentStatus effective = statusOf(agent.id());
            if (seen == null) {
                announce(agent.principal(), effective);
            }
            return write(List.of(agent.id())).map(effective);
        });
    }

    /** A socket of this agent closed. After the last one the agent's lease ends; the grace period starts. */
    public void disconnected(Agent agent) {
        Local after = local.computeIfPresent(agent.id(), (id, l) -> l.sockets() <= 1 ? null
                : new Local(l.agent(), l.status(), l.sockets() - 1));
        if (after == null) {
            store.leaseEnded(agent.id(), System.currentTimeMillis()).onFailure(this::warn);
        }
    }

    /** The agent chose a status. Offline counts as gone at once (its conversations are put back). */
    public Future<AgentStatus> set(Agent agent, AgentStatus status) {
        Local before = local.get(agent.id());
        AgentStatus previous = before == null ? null : before.status();
        local.computeIfPresent(agent.id(), (id, l) -> new Local(l.agent(), status, l.sockets()));
        control.statusChanged(agent.id(), status.wire());
        if (previous == status) {
            return write(List.of(agent.id())).map(status);
        }
        announce(agent.principal(), status);
        if (status == AgentStatus.OFFLINE) {
            return store.leave(agent.id(), Pools.of(agent.principal()), false)
                    .compose(v -> requeue ? routing.agentGone(agent) : Future.succeededFuture())
                    .map(status);
        }
        return write(List.of(agent.id())).map(status);
    }

    /** Another node changed the status of an agent whose sockets this node may also hold. */
    public void statusChangedElsewhere(String agentId, String status) {
        local.computeIfPresent(agentId, (id, l) -> new Local(l.agent(), AgentStatus.fromWire(status), l.sockets()));
    }

    /**
     * The agent's role, teams or capacity changed: it leaves the pools of teams it left, joins the
     * new ones at once, and its pools are drained (a higher maxChats is free capacity).
     */
    public Future<Void> agentChanged(Agent agent) {
        Local before = local.get(agent.id());
        if (before == null) {
            return Future.succeededFuture();
        }
        local.computeIfPresent(agent.id(), (id, l) -> new Local(agent, l.status(), l.sockets()));
        List<String> left = new ArrayList<>(Pools.of(before.agent().principal()));
        List<String> now = Pools.of(agent.principal());
        left.removeAll(now);
        return store.leavePools(agent.id(), left)
                .compose(v -> write(List.of(agent.id())))
                .compose(v -> routing.drainAll(now))
                .onFailure(this::warn)
                .otherwiseEmpty();
    }

    /** Agents with a socket on this node, by status (for the metrics). */
    public java.util.Map<String, Long> countByStatus() {
        java.util.Map<String, Long> out = new java.util.HashMap<>(java.util.Map.of("online", 0L, "away", 0L, "offline", 0L));
        local.values().forEach(l -> {
            if (l.status() != null) {
                out.merge(l.status().wire(), 1L, Long::sum);
            }
        });
        return out;
    }

    /** The status of an agent with a socket on this node, else offline. */
    public AgentStatus statusOf(String agentId) {
        Local l = local.get(agentId);
        return l == null || l.status() == null ? AgentStatus.OFFLINE : l.status();
    }

    /** Renews every local agent's presence in Redis (restoring it after a Redis restart). */
    public Future<Void> heartbeat() {
        return write(new ArrayList<>(local.keySet()));
    }

    /** Takes the agents gone past their grace period (on any node) and lets them go. Run periodically. */
    public Future<Void> sweep() {
        long goneBefore = PresenceRules.goneBefore(System.currentTimeMillis(), graceMillis);
        return store.takeGone(goneBefore - 1, 100).compose(gone -> {
            List<Future<Void>> all = new ArrayList<>();
            for (String id : gone) {
                all.add(letGo(id).onFailure(this::warn).otherwiseEmpty());
            }
            return Future.join(all).mapEmpty();
        });
    }

    private Future<Void> letGo(String agentId) {
        if (local.containsKey(agentId)) {
            // A socket came back here meanwhile: not gone after all.
            return write(List.of(agentId));
        }
        return agents.byId(agentId).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture();
            }
            Agent agent = found.get();
            return store.statusOf(agentId).otherwiseEmpty().compose(last -> {
                boolean wasOffline = "offline".equals(last);
                LOG.info("agent {} gone past its grace period", agentId);
                if (!wasOffline) {
                    announce(agent.principal(), AgentStatus.OFFLINE);
                }
                return store.leave(agentId, Pools.of(agent.principal()), true)
                        .compose(x -> requeue && !wasOffline ? routing.agentGone(agent) : Future.succeededFuture());
            });
        });
    }

    private Future<Void> write(List<String> agentIds) {
        long until = PresenceRules.leaseUntil(System.currentTimeMillis(), heartbeatMillis);
        List<AgentPresence> presences = new ArrayList<>();
        for (String id : agentIds) {
            Local l = local.get(id);
            if (l != null && l.status() != null) {
                presences.add(new AgentPresence(id, l.status().wire(), l.agent().maxChats(), Pools.of(l.agent().principal()), until));
            }
        }
        return store.write(presences)
                .compose(joined -> joined.isEmpty() ? Future.succeededFuture() : routing.drainAll(joined))
                .onFailure(this::warn)
                .otherwiseEmpty();
    }

    private void announce(Principal who, AgentStatus status) {
        fanout.publish(Delivery.to(Topics.presenceOf(who), Frames.event("presence",
                new JsonObject().put("agentId", who.agentId()).put("status", status.wire()))));
    }

    private void warn(Throwable t) {
        LOG.warn("presence: {}", t.toString());
    }
}
