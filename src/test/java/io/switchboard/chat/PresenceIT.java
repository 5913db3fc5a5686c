package io.switchboard.chat;

import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Presence lives in Redis with a TTL while an agent's socket is open, and leaves with the last socket. */
class PresenceIT {
    private TestNode node;
    private Vertx vertx;
    private Redis redis;

    @BeforeEach
    void start() {
        node = TestNode.start(Map.of("SWITCHBOARD_PRESENCE_HEARTBEAT_S", "1"));
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, node.env("SWITCHBOARD_REDIS_URL"));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Response redis(Command cmd, String key) throws Exception {
        return redis.send(Request.cmd(cmd).arg(key)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Polls Redis until the key has the expected value (Redis is written after the socket's events). */
    private void awaitValue(String key, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + Ws.TIMEOUT_MS;
        while (true) {
            Response r = redis(Command.GET, key);
            String value = r == null ? null : r.toString();
            if (java.util.Objects.equals(value, expected)) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Redis " + key + " is " + value + ", expected " + expected);
            }
            redis(Command.PING, "");
        }
    }

    @Test
    void anAgentIsPresentInRedisWithATtlWhileASocketIsOpenAndGoneAfterTheLast() throws Exception {
        JsonObject login = node.loginAdmin();
        String key = node.env("SWITCHBOARD_REDIS_PREFIX") + "presence:" + login.getJsonObject("agent").getString("id");
        Ws first = Ws.agent(node.port(), login.getString("token"));
        first.await("hello");
        awaitValue(key, "online");
        long ttl = redis(Command.TTL, key).toLong();
        assertThat(ttl).as("expires unless refreshed").isBetween(1L, 3L);

        Ws second = Ws.agent(node.port(), login.getString("token"));
        assertThat(second.await("hello").getString("status")).isEqualTo("online");
        second.ack(new JsonObject().put("type", "status.set").put("status", "away"));
        awaitValue(key, "away");

        first.close();
        second.ack(new JsonObject().put("type", "ping"));
        assertThat(redis(Command.GET, key).toString()).as("present while any socket is open").isEqualTo("away");
        second.close();
        awaitValue(key, null);
    }
}
