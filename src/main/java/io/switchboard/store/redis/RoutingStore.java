package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The moving parts of routing, in Redis: agents' loads (slots reserved atomically by
 * {@code assign.lua}), each pool's queue of waiting conversations in arrival order, the positions
 * announced to their customers, and the re-alert schedule. Everything here is a cache of Postgres
 * and is rebuilt from it when Redis has lost it.
 */
public final class RoutingStore {
    private static final LuaScripts ASSIGN = LuaScripts.load("assign.lua");
    private static final LuaScripts UNASSIGN = LuaScripts.load("unassign.lua");
    private static final LuaScripts RELEASE = LuaScripts.load("release.lua");
    private static final LuaScripts ELIGIBLE = LuaScripts.load("eligible.lua");
    private static final LuaScripts POSITIONS = LuaScripts.load("positions.lua");
    private static final LuaScripts DUE = LuaScripts.load("due.lua");
    private static final LuaScripts EPOCH = LuaScripts.load("epoch.lua");

    private final Redis redis;
    private final RedisKeys keys;

    public RoutingStore(Redis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * What {@link #takeHead} found: an empty queue, nobody with free capacity, or a conversation taken
     * for an agent; {@link #takeNew} also: others waiting before the new conversation.
     */
    public enum Outcome { EMPTY, NO_CAPACITY, TAKEN, BEHIND }

    /** The outcome of {@link #takeHead}; the last four fields are set only when {@code TAKEN}. */
    public record Take(Outcome outcome, String pool, String conversationId, String agentId, long arrival) {
        /** Its member of the being-assigned set. */
        String member() {
            return pool + " " + conversationId + " " + arrival + " " + agentId;
        }
    }

    /**
     * In one atomic step, takes the pool's oldest waiting conversation for the best agent with free
     * capacity (see AgentChoice): reserves the agent's slot, removes the conversation from its queue
     * and its re-alert, and records it as being assigned until {@link #assigned} or {@link #untake}.
     */
    public Future<Take> takeHead(String pool, long now) {
        return take(pool, List.of(keys.agentPrefix(), String.valueOf(now), pool));
    }

    /** As {@link #takeHead}, after adding a conversation that starts waiting now to the queue, in the same step. */
    public Future<Take> enqueueAndTakeHead(String pool, String conversationId, long arrival, long now) {
        return take(pool, List.of(keys.agentPrefix(), String.valueOf(now), pool, conversationId, String.valueOf(arrival)));
    }

    /**
     * Reserves an agent's slot for a conversation about to be opened, when nothing waits in its pool
     * (it would otherwise go before them) and an agent has free capacity. It is not queued either way:
     * Postgres does not know it yet. Recorded as being assigned, with arrival 0 (it has none before it
     * is stored): if this node dies before Postgres confirms, {@link #requeueStuck} puts it at the head
     * of its queue, and the drain finds out whether it exists and is still waiting.
     */
    public Future<Take> takeNew(String pool, String conversationId, long now) {
        return take(pool, List.of(keys.agentPrefix(), String.valueOf(now), pool, conversationId, "0", "new"));
    }

    private Future<Take> take(String pool, List<String> args) {
        return ASSIGN.run(redis, List.of(keys.queue(pool), keys.pool(pool), keys.realert(), keys.assigning(),
                                keys.positions(pool)), args)
                .map(r -> switch (r.get(0).toInteger()) {
                    case 0 -> new Take(Outcome.EMPTY, pool, null, null, 0);
                    case 1 -> new Take(Outcome.NO_CAPACITY, pool, null, null, 0);
                    case 3 -> new Take(Outcome.BEHIND, pool, null, null, 0);
                    default -> new Take(Outcome.TAKEN, pool, r.get(1).toString(), r.get(2).toString(),
                            (long) Double.parseDouble(r.get(3).toString()));
                });
    }

    /** Postgres confirmed a {@link #takeHead}: it is no longer being assigned. */
    public Future<Void> assigned(Take t) {
        return redis.send(Request.cmd(Command.ZREM).arg(keys.assigning()).arg(t.member())).mapEmpty();
    }

    /**
     * Postgres refused a {@link #takeHead} (or could not be asked): the agent's slot is given back and,
     * if {@code stillWaiting}, the conversation goes back to its place in the queue.
     */
    public Future<Void> untake(Take t, boolean stillWaiting) {
        return UNASSIGN.run(redis, List.of(keys.agent(t.agentId()), keys.assigning(), keys.queue(t.pool())),
                List.of(t.member(), stillWaiting ? "1" : "0", t.conversationId(), String.valueOf(t.arrival()))).mapEmpty();
    }

    /** Conversations put back by {@link #requeueStuck}: their pools, and the agents whose slots they held. */
    public record Stuck(java.util.Set<String> pools, java.util.Set<String> agents) {
    }

    /**
     * Puts back in their queues the conversations taken before {@code takenBefore} and never
     * confirmed nor given back (their node died meanwhile); exactly one caller gets each. The loads
     * of the agents they were taken for are the caller's to correct (Postgres knows whether the
     * assignment happened).
     */
    public Future<Stuck> requeueStuck(long takenBefore, int max) {
        return DUE.run(redis, List.of(keys.assigning()), List.of(String.valueOf(takenBefore), String.valueOf(max)))
                .compose(r -> {
                    Stuck stuck = new Stuck(new java.util.LinkedHashSet<>(), new java.util.LinkedHashSet<>());
                    List<Request> batch = new ArrayList<>();
                    for (String member : PresenceStore.strings(r)) {
                        String[] parts = member.split(" ", 4);
                        if (parts.length == 4) {
                            stuck.pools().add(parts[0]);
                            stuck.agents().add(parts[3]);
                            batch.add(Request.cmd(Command.ZADD).arg(keys.queue(parts[0])).arg(parts[2]).arg(parts[1]));
                        }
                    }
                    return batch.isEmpty() ? Future.succeededFuture(stuck) : redis.batch(batch).map(x -> stuck);
                });
    }

    /** Gives back a slot: a conversation left the agent, or a reservation went unused. */
    public Future<Void> release(String agentId) {
        return RELEASE.run(redis, List.of(keys.agent(agentId)), List.of()).mapEmpty();
    }

    /** Takes a slot for a conversation an agent took by hand (claim, transfer, reopen). */
    public Future<Void> take(String agentId, long now) {
        return redis.batch(List.of(
                Request.cmd(Command.HINCRBY).arg(keys.agent(agentId)).arg("load").arg(1),
                Request.cmd(Command.HSET).arg(keys.agent(agentId)).arg("idle").arg(now))).mapEmpty();
    }

    /** Sets loads as Postgres counts them (rebuild, or correcting a drift Postgres revealed). */
    public Future<Void> setLoads(Map<String, Integer> loads) {
        if (loads.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Request> batch = new ArrayList<>();
        loads.forEach((agent, load) -> batch.add(Request.cmd(Command.HSET).arg(keys.agent(agent)).arg("load").arg(load)));
        return redis.batch(batch).mapEmpty();
    }

    /** Online agents of the pool with free capacity: who a manual conversation rings. */
    public Future<List<String>> eligible(String pool) {
        return ELIGIBLE.run(redis, List.of(keys.pool(pool)), List.of(keys.agentPrefix())).map(PresenceStore::strings);
    }

    public Future<Void> enqueue(String pool, String conversationId, long arrival) {
        return redis.send(Request.cmd(Command.ZADD).arg(keys.queue(pool)).arg(arrival).arg(conversationId)).mapEmpty();
    }

    /** Adds many waiting conversations (rebuild). */
    public Future<Void> enqueueAll(Map<String, List<Map.Entry<String, Long>>> byPool) {
        List<Request> batch = new ArrayList<>();
        byPool.forEach((pool, entries) -> entries.forEach(e ->
                batch.add(Request.cmd(Command.ZADD).arg(keys.queue(pool)).arg(e.getValue()).arg(e.getKey()))));
        return batch.isEmpty() ? Future.succeededFuture() : redis.batch(batch).mapEmpty();
    }

    public Future<Void> dequeue(String pool, String conversationId) {
        return redis.send(Request.cmd(Command.ZREM).arg(keys.queue(pool)).arg(conversationId)).mapEmpty();
    }

    /** The oldest waiting conversation of the pool. */
    public Future<Optional<String>> head(String pool) {
        return redis.send(Request.cmd(Command.ZRANGE).arg(keys.queue(pool)).arg(0).arg(0))
                .map(r -> r == null || r.size() == 0 ? Optional.<String>empty() : Optional.of(r.get(0).toString()));
    }

    /** Positions (1 = next) that changed since last announced; each change is returned to one caller only. */
    public Future<Map<String, Integer>> changedPositions(String pool) {
        return POSITIONS.run(redis, List.of(keys.queue(pool), keys.positions(pool)), List.of()).map(r -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (int i = 0; r != null && i + 1 < r.size(); i += 2) {
                out.put(r.get(i).toString(), r.get(i + 1).toInteger());
            }
            return out;
        });
    }

    public Future<Void> scheduleRealert(String conversationId, long at) {
        return redis.send(Request.cmd(Command.ZADD).arg(keys.realert()).arg(at).arg(conversationId)).mapEmpty();
    }

    /** Schedules many conversations to ring at one time, in one pipelined batch (rebuild). */
    public Future<Void> scheduleRealerts(java.util.Collection<String> conversationIds, long at) {
        if (conversationIds.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Request> batch = new ArrayList<>();
        conversationIds.forEach(id -> batch.add(Request.cmd(Command.ZADD).arg(keys.realert()).arg(at).arg(id)));
        return redis.batch(batch).mapEmpty();
    }

    public Future<Void> cancelRealert(String conversationId) {
        return redis.send(Request.cmd(Command.ZREM).arg(keys.realert()).arg(conversationId)).mapEmpty();
    }

    /** Takes (exactly once across nodes) the conversations due to ring again. */
    public Future<List<String>> takeDueRealerts(long now, int max) {
        return DUE.run(redis, List.of(keys.realert()), List.of(String.valueOf(now), String.valueOf(max)))
                .map(PresenceStore::strings);
    }

    /**
     * Claims the rebuild of routing state: true for exactly one caller when Redis holds no state
     * (first start, or Redis lost its data) or holds the state of an earlier run of Postgres.
     *
     * @param postgresStart when the running Postgres started
     */
    public Future<Boolean> claimRebuild(String postgresStart) {
        return EPOCH.run(redis, List.of(keys.epoch()), List.of(postgresStart)).map(r -> r != null && r.toInteger() == 1);
    }

    /** Gives the rebuild claim back (the rebuild failed; another heartbeat will try again). */
    public Future<Void> abandonRebuild() {
        return redis.send(Request.cmd(Command.DEL).arg(keys.epoch())).mapEmpty();
    }
}
