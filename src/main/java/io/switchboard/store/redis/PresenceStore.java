package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who is present, in Redis: a lease per agent (renewed by the heartbeat of every node holding one of
 * its sockets), its status and capacity in its routing hash, its membership of the pools it serves
 * while online, and a status key with a TTL for outside readers. All of it is rewritten by every
 * heartbeat, so it comes back within one heartbeat after a Redis restart.
 */
public final class PresenceStore {
    private static final LuaScripts DUE = LuaScripts.load("due.lua");

    private final Redis redis;
    private final RedisKeys keys;
    private final int ttlSeconds;

    public PresenceStore(Redis redis, RedisKeys keys, int ttlSeconds) {
        this.redis = redis;
        this.keys = keys;
        this.ttlSeconds = ttlSeconds;
    }

    /** What a node knows of one of its agents, written by connects, status changes and heartbeats. */
    public record AgentPresence(String agentId, String status, int maxChats, List<String> pools, long presentUntil) {
    }

    /** The status recorded for the agent while it is present anywhere, else null. */
    public Future<String> presentStatus(String agentId) {
        return presentStatuses(List.of(agentId)).map(statuses -> statuses.get(agentId));
    }

    /** {@link #presentStatus} of several agents in one pipelined batch; absent agents are left out. */
    public Future<java.util.Map<String, String>> presentStatuses(List<String> agentIds) {
        if (agentIds.isEmpty()) {
            return Future.succeededFuture(java.util.Map.of());
        }
        List<Request> batch = new java.util.ArrayList<>(2 * agentIds.size());
        for (String id : agentIds) {
            batch.add(Request.cmd(Command.ZSCORE).arg(keys.present()).arg(id));
            batch.add(Request.cmd(Command.HGET).arg(keys.agent(id)).arg("status"));
        }
        return redis.batch(batch).map(r -> {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            for (int i = 0; i < agentIds.size(); i++) {
                if (r.get(2 * i) != null && r.get(2 * i + 1) != null) {
                    out.put(agentIds.get(i), r.get(2 * i + 1).toString());
                }
            }
            return out;
        });
    }

    /** The status in the agent's routing hash (kept after it is gone: "offline"), or null. */
    public Future<String> statusOf(String agentId) {
        return redis.send(Request.cmd(Command.HGET).arg(keys.agent(agentId)).arg("status"))
                .map(r -> r == null ? null : r.toString());
    }

    /**
     * Writes agents' presence in one pipelined batch: lease, status, capacity, the status key, and
     * pool membership (joined while online, left otherwise).
     *
     * @return the pools each agent newly joined (capacity that routing may now use), flattened
     */
    public Future<List<String>> write(Collection<AgentPresence> agents) {
        if (agents.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> batch = new ArrayList<>();
        List<String> joinedPools = new ArrayList<>();
        for (AgentPresence a : agents) {
            batch.add(Request.cmd(Command.ZADD).arg(keys.present()).arg(a.presentUntil()).arg(a.agentId()));
            batch.add(Request.cmd(Command.HSET).arg(keys.agent(a.agentId())).arg("status").arg(a.status())
                    .arg("max").arg(a.maxChats()));
            batch.add(Request.cmd(Command.SET).arg(keys.presence(a.agentId())).arg(a.status()).arg("EX").arg(ttlSeconds));
            boolean online = "online".equals(a.status());
            for (String pool : a.pools()) {
                batch.add(Request.cmd(online ? Command.SADD : Command.SREM).arg(keys.pool(pool)).arg(a.agentId()));
                joinedPools.add(online ? pool : null);
            }
        }
        return redis.batch(batch).map(responses -> {
            List<String> joined = new ArrayList<>();
            int i = 0;
            int p = 0;
            for (AgentPresence a : agents) {
                i += 3;
                for (int k = 0; k < a.pools().size(); k++, i++, p++) {
                    String pool = joinedPools.get(p);
                    if (pool != null && responses.get(i) != null && responses.get(i).toInteger() == 1) {
                        joined.add(pool);
                    }
                }
            }
            return joined;
        });
    }

    /**
     * The agent's last socket on this node closed: its lease ends now. A node that still holds one of
     * its sockets renews it at its next heartbeat, which comes before the grace period is over
     * (the configuration requires grace >= heartbeat).
     */
    public Future<Void> leaseEnded(String agentId, long now) {
        return redis.send(Request.cmd(Command.ZADD).arg(keys.present()).arg(now).arg(agentId)).mapEmpty();
    }

    /** Takes (exactly once across nodes) the agents whose lease ended before {@code before}. */
    public Future<List<String>> takeGone(long before, int max) {
        return DUE.run(redis, List.of(keys.present()), List.of(String.valueOf(before), String.valueOf(max)))
                .map(PresenceStore::strings);
    }

    /** The agent no longer serves these pools (it left their teams). */
    public Future<Void> leavePools(String agentId, List<String> pools) {
        if (pools.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Request> batch = new ArrayList<>();
        for (String pool : pools) {
            batch.add(Request.cmd(Command.SREM).arg(keys.pool(pool)).arg(agentId));
        }
        return redis.batch(batch).mapEmpty();
    }

    /** The agent is gone or chose offline: out of every pool, status offline, no status key. */
    public Future<Void> leave(String agentId, List<String> pools, boolean gone) {
        List<Request> batch = new ArrayList<>();
        for (String pool : pools) {
            batch.add(Request.cmd(Command.SREM).arg(keys.pool(pool)).arg(agentId));
        }
        batch.add(Request.cmd(Command.HSET).arg(keys.agent(agentId)).arg("status").arg("offline"));
        if (gone) {
            batch.add(Request.cmd(Command.ZREM).arg(keys.present()).arg(agentId));
            batch.add(Request.cmd(Command.DEL).arg(keys.presence(agentId)));
        } else {
            batch.add(Request.cmd(Command.SET).arg(keys.presence(agentId)).arg("offline").arg("EX").arg(ttlSeconds));
        }
        return redis.batch(batch).mapEmpty();
    }

    /**
     * Agents and pools that no longer exist (a warm-up's, removed from Postgres): every key of them.
     * A pool's queue goes too, with what waits in it.
     */
    public Future<Void> forget(List<String> agentIds, List<String> pools) {
        List<Request> batch = new ArrayList<>();
        for (String id : agentIds) {
            batch.add(Request.cmd(Command.ZREM).arg(keys.present()).arg(id));
            batch.add(Request.cmd(Command.DEL).arg(keys.agent(id)).arg(keys.presence(id)));
        }
        for (String pool : pools) {
            batch.add(Request.cmd(Command.DEL).arg(keys.pool(pool)).arg(keys.queue(pool)).arg(keys.positions(pool)));
        }
        return batch.isEmpty() ? Future.succeededFuture() : redis.batch(batch).mapEmpty();
    }

    public Future<Response> ping() {
        return redis.send(Request.cmd(Command.PING));
    }

    static List<String> strings(Response r) {
        List<String> out = new ArrayList<>();
        if (r != null) {
            for (Response x : r) {
                out.add(x.toString());
            }
        }
        return out;
    }
}
