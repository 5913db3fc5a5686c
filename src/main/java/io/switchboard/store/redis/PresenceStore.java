package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Agent presence in Redis: one key per present agent, its value the status, with a TTL refreshed by heartbeats. */
public final class PresenceStore {
    private final Redis redis;
    private final RedisKeys keys;
    private final int ttlSeconds;

    public PresenceStore(Redis redis, RedisKeys keys, int ttlSeconds) {
        this.redis = redis;
        this.keys = keys;
        this.ttlSeconds = ttlSeconds;
    }

    /** The status another node recorded, or null when the agent is not present anywhere. */
    public Future<String> get(String agentId) {
        return redis.send(Request.cmd(Command.GET).arg(keys.presence(agentId)))
                .map(r -> r == null ? null : r.toString());
    }

    public Future<Void> put(String agentId, String status) {
        return redis.send(Request.cmd(Command.SET).arg(keys.presence(agentId)).arg(status).arg("EX").arg(ttlSeconds))
                .mapEmpty();
    }

    public Future<Void> remove(String agentId) {
        return redis.send(Request.cmd(Command.DEL).arg(keys.presence(agentId))).mapEmpty();
    }

    /** Refreshes many agents in one pipelined batch. */
    public Future<Void> refresh(Collection<? extends java.util.Map.Entry<String, String>> statuses) {
        if (statuses.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Request> batch = new ArrayList<>(statuses.size());
        for (var e : statuses) {
            batch.add(Request.cmd(Command.SET).arg(keys.presence(e.getKey())).arg(e.getValue()).arg("EX").arg(ttlSeconds));
        }
        return redis.batch(batch).mapEmpty();
    }

    public Future<Response> ping() {
        return redis.send(Request.cmd(Command.PING));
    }
}
