package io.switchboard.service;

import io.switchboard.bus.Control;
import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.Message;
import io.switchboard.domain.Pools;
import io.switchboard.domain.RoutingPolicy;
import io.switchboard.metrics.Metrics;
import io.switchboard.protocol.Frames;
import io.switchboard.store.pg.ConversationStore;
import io.switchboard.store.pg.ConversationStore.AutoAssign;
import io.switchboard.store.pg.ConversationStore.AutoAssigned;
import io.switchboard.store.pg.TeamStore;
import io.switchboard.store.pg.WorkspaceStore;
import io.switchboard.store.redis.RoutingStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Routing of waiting conversations. Every open conversation with no assignee waits in its pool's
 * queue (Redis, arrival order). {@code auto} pools are drained at once: the oldest waiting
 * conversation goes to the best agent with free capacity (taken from the queue together with the
 * agent's slot, atomically in Redis, then confirmed in Postgres under a lock of the agent's row),
 * until no conversation or no capacity is left; customers left waiting are told their positions.
 * {@code manual} pools ring their eligible agents, and ring again until someone takes it.
 *
 * <p>Drains run again whenever capacity may have freed. Several nodes may drain one pool at once:
 * Postgres decides, so no conversation is held twice and none leaves a queue unassigned.
 * Thread-safe.
 */
public final class RoutingService {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingService.class);
    /** A drain stops after this many attempts and is started again by the next event. */
    private static final int MAX_DRAIN_STEPS = 10_000;
    /**
     * A cached policy is read again after this long, in case a change notice from another node was
     * lost; changes made through the admin API reach every node's cache at once (Control).
     */
    private static final long POLICY_TTL_MS = 30_000;
    /** A conversation taken for assignment and not confirmed by then goes back to its queue. */
    private static final long STUCK_MS = 60_000;

    private final ConversationStore conversations;
    private final TeamStore teams;
    private final WorkspaceStore workspaces;
    private final RoutingStore routing;
    private final Fanout fanout;
    private final Lanes lanes;
    private final Notices notices;
    private final Metrics metrics;
    private final long realertMillis;
    private final Control control;
    /** Pool -> its policy as last read from Postgres. */
    private final ConcurrentHashMap<String, CachedPolicy> policies = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so that a read that raced with a change is not cached. */
    private final AtomicLong policyGeneration = new AtomicLong();
    private final AtomicLong drains = new AtomicLong();
    /**
     * Widget -> the pool its new conversations open in, as their openings said: widgets never change,
     * and a stale entry costs only a reservation that Postgres refuses (V11).
     */
    private final ConcurrentHashMap<String, String> widgetPools = new ConcurrentHashMap<>();
    private static final int WIDGET_POOLS_MAX = 10_000;
    /** Pool -> its announcement of positions that has not started yet. */
    private final ConcurrentHashMap<String, Future<Void>> queuedAnnouncements = new ConcurrentHashMap<>();

    private record CachedPolicy(RoutingPolicy policy, long readAt) {
    }

    public RoutingService(ConversationStore conversations, TeamStore teams, WorkspaceStore workspaces,
                          RoutingStore routing, Fanout fanout, Lanes lanes, Notices notices, long realertMillis,
                          Metrics metrics, Control control) {
        this.control = control;
        control.onRoutingChanged(this::forgetPolicy);
        this.metrics = metrics;
        this.notices = notices;
        this.conversations = conversations;
        this.teams = teams;
        this.workspaces = workspaces;
        this.routing = routing;
        this.fanout = fanout;
        this.lanes = lanes;
        this.realertMillis = realertMillis;
    }

    /**
     * A conversation starts waiting (it is new, was put back, or was transferred to a team): it joins
     * its pool's queue and is routed by the pool's policy.
     *
     * @param first    the message to show with the alert (the first one, or the latest)
     * @param transfer for a transfer: {@code {"from":{"id","name"},"comment"?}}, shown to the agents alerted
     */
    public Future<Void> waiting(ConversationSummary c, Message first, JsonObject transfer) {
        return route(c.state(), c.arrival(), () -> Future.succeededFuture(c), first, transfer);
    }

    /**
     * A new conversation starts waiting. Only its state and arrival are needed to route it
     * automatically; its summary is read only when agents must be rung (manual routing).
     */
    public Future<Void> waitingNew(ConversationState c, long arrival, Message first) {
        return route(c, arrival, () -> conversations.summary(c.id()), first, null);
    }

    /**
     * An agent's slot for a new conversation of this widget, reserved before the conversation is
     * opened, so that the opening assigns it in its own commit (ConversationStore.open, V11): one
     * round trip fewer on the way of a new customer's first message to its agent. Null when there is
     * none: the widget's pool is not known here yet (its first conversation on this node), does not
     * route automatically, has conversations waiting (they go first), or nobody has room; the
     * conversation is then routed once it is stored, as before. Hand the outcome to {@link #opened}.
     */
    public Future<RoutingStore.Take> reserveForNew(String widgetId, String conversationId) {
        String pool = widgetPools.get(widgetId);
        if (pool == null) {
            return Future.succeededFuture();
        }
        return policyOf(pool)
                .compose(policy -> policy != RoutingPolicy.AUTO ? Future.<RoutingStore.Take>succeededFuture()
                        : routing.takeNew(pool, conversationId, System.currentTimeMillis())
                        .map(t -> t.outcome() == RoutingStore.Outcome.TAKEN ? t : null))
                .recover(t -> {
                    LOG.warn("reserving an agent for a new conversation of pool {} failed: {}", pool, t.toString());
                    return Future.succeededFuture();
                });
    }

    /**
     * The opening after {@link #reserveForNew} is over: its reservation ({@code reserved}, or null) is
     * confirmed when the opening assigned the conversation, and otherwise given back (the agent's load
     * corrected when Postgres found the agent full) before this completes, so that routing the
     * conversation as any new one finds the slot free again. Learns the widget's pool from a created
     * conversation. Completes as the opening did.
     */
    public Future<ConversationStore.Opened> opened(String widgetId, RoutingStore.Take reserved,
                                                   io.vertx.core.AsyncResult<ConversationStore.Opened> opening) {
        ConversationStore.Opened o = opening.succeeded() ? opening.result() : null;
        if (o != null && o.created()) {
            if (widgetPools.size() >= WIDGET_POOLS_MAX) {
                widgetPools.clear();
            }
            widgetPools.put(widgetId, Pools.of(o.state()));
        }
        Future<ConversationStore.Opened> outcome = opening.succeeded() ? Future.succeededFuture(o)
                : Future.failedFuture(opening.cause());
        if (reserved == null) {
            return outcome;
        }
        if (o != null && o.assignedToo()) {
            routing.assigned(reserved).onFailure(e -> LOG.warn("routing: {}", e.toString()));
            return outcome;
        }
        return giveBack(reserved, false, o != null && o.agentFull())
                .transform(x -> {
                    if (x.failed()) {
                        LOG.warn("giving back agent {}'s slot failed: {}", reserved.agentId(), x.cause().toString());
                    }
                    return outcome;
                });
    }

    /**
     * A take Postgres did not confirm: the agent's slot is given back and, if {@code stillWaiting}, the
     * conversation goes back to its queue; when Postgres found the agent {@code full}, Redis thought it
     * had room, and its load is set as Postgres counts it.
     */
    private Future<Void> giveBack(RoutingStore.Take t, boolean stillWaiting, boolean full) {
        Future<Void> untaken = routing.untake(t, stillWaiting);
        return full ? untaken.compose(v -> conversations.loads(List.of(t.agentId()))).compose(routing::setLoads)
                : untaken;
    }

    private Future<Void> route(ConversationState c, long arrival, Supplier<Future<ConversationSummary>> summary,
                               Message first, JsonObject transfer) {
        String pool = Pools.of(c);
        return policyOf(pool)
                // Postgres could not say: it waits in its queue all the same, for the next drain.
                .recover(t -> routing.enqueue(pool, c.id(), arrival).transform(x -> Future.<RoutingPolicy>failedFuture(t)))
                .compose(policy -> policy == RoutingPolicy.AUTO
                // It joins the queue in the drain's first step. An auto pool announces positions itself,
                // when and only when conversations are left waiting.
                ? drain(pool, new Joining(c.id(), arrival))
                : routing.enqueue(pool, c.id(), arrival)
                .compose(v -> summary.get())
                .compose(s -> alert(pool, s, first, transfer))
                .compose(x -> routing.scheduleRealert(c.id(), System.currentTimeMillis() + realertMillis))
                .compose(x -> announcePositions(pool)));
    }

    /** A conversation that joins its pool's queue in the first step of a drain. */
    private record Joining(String conversationId, long arrival) {
    }

    /** Someone took a waiting conversation by hand (claim): it leaves its queue and takes a slot. */
    public Future<Void> taken(ConversationSummary c) {
        String pool = Pools.of(c.state());
        return routing.dequeue(pool, c.id())
                .compose(v -> routing.cancelRealert(c.id()))
                .compose(v -> c.assignee() == null ? Future.succeededFuture() : routing.take(c.assignee().id(), System.currentTimeMillis()))
                .compose(v -> announcePositions(pool));
    }

    /** A waiting conversation stopped waiting without an agent (resolved from the queue, moved away). */
    public Future<Void> leftQueue(String workspaceId, String teamId, String conversationId) {
        String pool = Pools.of(workspaceId, teamId);
        return routing.dequeue(pool, conversationId)
                .compose(v -> routing.cancelRealert(conversationId))
                .compose(v -> announcePositions(pool));
    }

    /** A conversation left an agent (resolved, transferred away, put back): its slot frees, its pools drain. */
    public Future<Void> released(String agentId, Collection<String> agentPools) {
        return routing.release(agentId).compose(v -> drainAll(agentPools));
    }

    /** An agent took a slot outside routing (a reopened or transferred conversation). */
    public Future<Void> took(String agentId) {
        return routing.take(agentId, System.currentTimeMillis());
    }

    /** Capacity may have appeared in these pools (an agent came online, or raised maxChats). */
    public Future<Void> drainAll(Collection<String> pools) {
        List<Future<Void>> all = new ArrayList<>();
        for (String pool : new LinkedHashSet<>(pools)) {
            all.add(drainIfAuto(pool));
        }
        return Future.join(all).mapEmpty();
    }

    private Future<Void> drainIfAuto(String pool) {
        return policyOf(pool).compose(p -> p == RoutingPolicy.AUTO ? drain(pool) : announcePositions(pool));
    }

    /**
     * The policy of a pool: its team's, or its workspace's default for conversations with no team.
     * Cached per pool; {@link #policyChanged} drops it on every node.
     */
    private Future<RoutingPolicy> policyOf(String pool) {
        CachedPolicy cached = policies.get(pool);
        long now = System.currentTimeMillis();
        if (cached != null && now - cached.readAt() < POLICY_TTL_MS) {
            return Future.succeededFuture(cached.policy());
        }
        long generation = policyGeneration.get();
        String team = Pools.teamOf(pool);
        return (team != null ? teams.routingOf(team) : workspaces.defaultRouting(Pools.workspaceOf(pool)))
                .map(wire -> {
                    RoutingPolicy policy = RoutingPolicy.fromWire(wire);
                    // A change that landed while this read was in flight may not be in it: do not keep it.
                    if (policyGeneration.get() == generation) {
                        policies.put(pool, new CachedPolicy(policy, now));
                    }
                    return policy;
                });
    }

    /**
     * A pool's policy changed in Postgres (a team's routing, or a workspace's default): this node
     * forgets it at once, and the others as soon as the control message reaches them.
     */
    public void policyChanged(String pool) {
        forgetPolicy(pool);
        control.routingChanged(pool);
    }

    private void forgetPolicy(String pool) {
        policyGeneration.incrementAndGet();
        policies.remove(pool);
    }

    /** Why a drain stopped. */
    private enum Stop { EMPTY, NO_CAPACITY, FAILED }

    /**
     * Assigns the pool's oldest waiting conversations while agents have free capacity, then, if
     * some are left waiting for lack of capacity, tells their customers their positions.
     *
     * <p>Drains of one pool may run at once, on this node and others: each step takes its
     * conversation and the agent's slot in one atomic Redis step ({@link RoutingStore#takeHead}), so no
     * two try the same conversation, and Postgres confirms under a lock of the agent's row.
     */
    public Future<Void> drain(String pool) {
        return drain(pool, null);
    }

    /** As {@link #drain(String)}; {@code joining}, if not null, joins the queue in the first step. */
    private Future<Void> drain(String pool, Joining joining) {
        // A lane of its own (so that shutdown waits for it), not one per pool: drains do not wait for each other.
        return lanes.submit("drain:" + pool + ":" + drains.incrementAndGet(), () -> step(pool, 0, joining))
                .compose(stop -> stop == Stop.NO_CAPACITY ? announcePositions(pool) : Future.succeededFuture());
    }

    private Future<Stop> step(String pool, int steps, Joining joining) {
        if (steps >= MAX_DRAIN_STEPS) {
            LOG.warn("drain of pool {} stopped after {} steps", pool, steps);
            return Future.succeededFuture(Stop.NO_CAPACITY);
        }
        long now = System.currentTimeMillis();
        Future<RoutingStore.Take> take = joining == null ? routing.takeHead(pool, now)
                : routing.enqueueAndTakeHead(pool, joining.conversationId(), joining.arrival(), now);
        return take.compose(t -> switch (t.outcome()) {
            case EMPTY, BEHIND -> Future.succeededFuture(Stop.EMPTY); // BEHIND: takeNew's only
            case NO_CAPACITY -> Future.succeededFuture(Stop.NO_CAPACITY);
            case TAKEN -> assign(t).compose(ok -> ok ? step(pool, steps + 1, null) : Future.succeededFuture(Stop.FAILED));
        });
    }

    /** Confirms a take in Postgres, or undoes it. False when Postgres could not be asked (the drain stops). */
    private Future<Boolean> assign(RoutingStore.Take t) {
        // In the conversation's lane, announced there: a message stored after the assignment is
        // announced after it, so the agent hears of the conversation before any of its messages.
        return lanes.submit(t.conversationId(), () -> conversations.autoAssign(t.conversationId(), t.agentId(), t.pool())
                        .andThen(ar -> {
                            if (ar.succeeded() && ar.result().outcome() == AutoAssign.ASSIGNED) {
                                announceAssigned(ar.result().summary());
                            }
                        }))
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.warn("assigning conversation {} to agent {} failed: {}", t.conversationId(), t.agentId(),
                                ar.cause().toString());
                        return giveBack(t, true, false).map(false);
                    }
                    AutoAssigned result = ar.result();
                    return switch (result.outcome()) {
                        case ASSIGNED -> {
                            routing.assigned(t).onFailure(e -> LOG.warn("routing: {}", e.toString()));
                            yield Future.succeededFuture(true);
                        }
                        // Taken or closed meanwhile: it no longer waits here.
                        case CONVERSATION_GONE -> giveBack(t, false, false).map(true);
                        case AGENT_FULL -> giveBack(t, true, true).map(true);
                    };
                });
    }

    /**
     * An agent is gone (past its grace period, or chose offline): its open and pending conversations
     * go back to their queues, their customers are told, and they are routed again.
     */
    public Future<Void> agentGone(io.switchboard.domain.Agent agent) {
        return conversations.requeueAllOf(agent.id()).compose(requeued -> {
            if (!requeued.isEmpty()) {
                LOG.info("agent {} gone: {} conversations back in their queues", agent.id(), requeued.size());
            }
            Future<Void> chain = routing.setLoads(Map.of(agent.id(), 0));
            for (ConversationSummary c : requeued) {
                chain = chain.compose(v -> notices.post(c.state(), agent.name()
                                + " is no longer available. The next available agent will continue this conversation.")
                        .otherwiseEmpty()
                        .compose(m -> waiting(c, m != null ? m : c.lastMessage(), null)));
            }
            return chain;
        });
    }

    /** {@code conversation.assigned} to the conversation's agents, {@code agent.joined} to its customer. */
    public void announceAssigned(ConversationSummary summary) {
        metrics.routingLatency(System.currentTimeMillis() - summary.createdAt());
        fanout.publish(Delivery.to(Topics.conversationAgents(summary.state()),
                Frames.conversationEvent("conversation.assigned", summary)));
        fanout.publish(Delivery.to(Topics.visitor(summary.visitor().id()), Frames.agentJoined(summary.assignee().name())));
    }

    /** {@code conversation.new} to the pool's eligible agents: online, with free capacity. */
    private Future<Void> alert(String pool, ConversationSummary c, Message message, JsonObject transfer) {
        return routing.eligible(pool).map(agents -> {
            if (!agents.isEmpty()) {
                List<String> topics = agents.stream().map(Topics::agent).toList();
                fanout.publish(Delivery.to(topics, Frames.conversationNew(c, message, transfer)));
            }
            return null;
        });
    }

    /**
     * Rings again the manual conversations nobody took in time, and puts back in their queues the
     * conversations a node took to assign and never confirmed (it died meanwhile); called
     * periodically on every node.
     */
    public Future<Void> realertDue() {
        return routing.requeueStuck(System.currentTimeMillis() - STUCK_MS, 100)
                .compose(stuck -> {
                    if (stuck.pools().isEmpty()) {
                        return Future.<Void>succeededFuture();
                    }
                    LOG.warn("conversations taken for assignment and never confirmed went back to pools {}", stuck.pools());
                    return conversations.loads(List.copyOf(stuck.agents())).compose(routing::setLoads)
                            .compose(v -> drainAll(stuck.pools()));
                })
                .otherwiseEmpty()
                .compose(v -> realertManual());
    }

    private Future<Void> realertManual() {
        return routing.takeDueRealerts(System.currentTimeMillis(), 100).compose(due -> {
            List<Future<Void>> all = new ArrayList<>();
            for (String id : due) {
                all.add(conversations.summary(id).compose(c -> {
                    if (c.assignee() != null || c.status() != io.switchboard.domain.ConversationStatus.OPEN) {
                        return Future.succeededFuture();
                    }
                    return alert(Pools.of(c.state()), c, c.lastMessage(), null)
                            .compose(v -> routing.scheduleRealert(id, System.currentTimeMillis() + realertMillis));
                }).recover(t -> Future.succeededFuture()));
            }
            return Future.join(all).mapEmpty();
        });
    }

    /**
     * {@code queue.position} to every customer of the pool whose position changed. Announcements of
     * one pool run one after another, so that a customer's last position is the latest one; a call
     * made while one is still queued joins it (it will see this change too).
     */
    public Future<Void> announcePositions(String pool) {
        Promise<Void> mine = Promise.promise();
        Future<Void> queued = queuedAnnouncements.putIfAbsent(pool, mine.future());
        if (queued != null) {
            return queued;
        }
        lanes.submit("positions:" + pool, () -> {
            queuedAnnouncements.remove(pool, mine.future());
            return announceNow(pool);
        }).onComplete(mine);
        return mine.future();
    }

    private Future<Void> announceNow(String pool) {
        return routing.changedPositions(pool).compose(changed -> changed.isEmpty()
                ? Future.succeededFuture()
                : conversations.visitorsOf(changed.keySet()).map(visitors -> {
                    changed.forEach((conv, position) -> {
                        String visitor = visitors.get(conv);
                        if (visitor != null) {
                            fanout.publish(Delivery.to(Topics.visitor(visitor), Frames.event("queue.position",
                                    new JsonObject().put("conversationId", conv).put("position", position))));
                        }
                    });
                    return null;
                }));
    }

    /**
     * Rebuilds queues and loads from Postgres when Redis has lost them (first start on an empty Redis,
     * or a Redis restart), or when Postgres has restarted since the last rebuild: a crash may have
     * lost its last automatic assignments (their commits do not wait for the disk, V9), and their
     * conversations, open and unassigned again, are routed again. Exactly one node does it; presence
     * comes back from every node's heartbeat.
     */
    public Future<Boolean> rebuildIfLost() {
        return conversations.postgresStart().compose(routing::claimRebuild).compose(claimed -> {
            if (!claimed) {
                return Future.succeededFuture(false);
            }
            return conversations.allLoads().compose(routing::setLoads)
                    .compose(v -> conversations.allWaiting())
                    .compose(waiting -> {
                        Map<String, List<Map.Entry<String, Long>>> byPool = new HashMap<>();
                        for (ConversationStore.Waiting w : waiting) {
                            byPool.computeIfAbsent(Pools.of(w.workspaceId(), w.teamId()), k -> new ArrayList<>())
                                    .add(Map.entry(w.id(), w.arrival()));
                        }
                        return routing.enqueueAll(byPool).compose(v -> {
                            LOG.info("rebuilt routing state in Redis from Postgres: {} waiting conversations in {} pools",
                                    waiting.size(), byPool.size());
                            return routing.scheduleRealerts(waiting.stream().map(ConversationStore.Waiting::id).toList(),
                                    System.currentTimeMillis() + realertMillis).compose(x -> drainAll(byPool.keySet()));
                        });
                    })
                    .map(true)
                    .recover(t -> routing.abandonRebuild().compose(v -> Future.failedFuture(t)));
        });
    }

}
