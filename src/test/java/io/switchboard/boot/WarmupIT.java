package io.switchboard.boot;

import io.switchboard.store.pg.Jdbc;
import io.switchboard.testing.Chat;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.Http;
import io.switchboard.testing.Scrapes;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** A starting node chats with itself before it says it is ready, and leaves nothing of that chat behind. */
class WarmupIT {
    private static final String METRICS_TOKEN = "warmup-metrics";

    @Test
    void aNodeIsNotReadyWhileItWarmsUpAndAfterwardsHoldsNothingOfItsWarmUp() throws Exception {
        try (TestNode node = TestNode.start(Map.of("SWITCHBOARD_WARMUP_S", "3", "SWITCHBOARD_METRICS_TOKEN", METRICS_TOKEN))) {
            Http.Response during = node.http().get("/health/ready", null);
            assertThat(during.status()).as("listening, not yet ready").isEqualTo(503);
            assertThat(during.body().getString("status")).isEqualTo("warming up");

            // What a node stopped mid-warm-up two hours ago left behind goes too.
            TestServers.sql(node.env("SWITCHBOARD_PG_URL"), """
                    with w as (insert into workspaces (id, name, created_at)
                               values (gen_random_uuid(), 'Switchboard start-up warm-up (node gone)', now() - interval '2 hours')
                               returning id)
                    insert into teams (id, workspace_id, name, routing) select gen_random_uuid(), id, 'Warm-up', 'auto' from w""");

            node.warmUp();

            Http.Response after = node.http().get("/health/ready", null);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body().getString("status")).isEqualTo("up");

            String scrape = node.http().get("/metrics", METRICS_TOKEN).raw();
            assertThat(Scrapes.value(scrape, "switchboard_routing_latency_seconds_count"))
                    .as("every warm-up customer was routed").isGreaterThanOrEqualTo(Warmup.CUSTOMERS);
            assertThat(Scrapes.value(scrape, "switchboard_messages_received_total{direction=\"customer_to_agent\",kind=\"text\"}"))
                    .isGreaterThanOrEqualTo(Warmup.CUSTOMERS);
            assertThat(Scrapes.value(scrape, "switchboard_messages_received_total{direction=\"agent_to_customer\",kind=\"text\"}"))
                    .isGreaterThanOrEqualTo(Warmup.CUSTOMERS);

            String db = node.env("SWITCHBOARD_PG_URL");
            for (String table : List.of("workspaces", "agents", "teams", "widgets")) {
                assertThat(count(db, table)).as("%s: the seeded one only", table).isEqualTo(1);
            }
            for (String table : List.of("visitors", "conversations", "messages", "assignments", "conversation_reads")) {
                assertThat(count(db, table)).as(table).isZero();
            }
            assertThat(orphanedRedisKeys(node)).as("Redis keys of the warm-up's agents, pools and queues").isEmpty();

            // The seeded workspace works as on any start.
            String adminToken = new Fixtures(node).adminToken();
            try (Chat chat = Chat.assigned(node, adminToken, "hello after the warm-up")) {
                chat.agent().ack(agentMessage(chat.conversationId(), "a1", "hi!"));
                chat.customer().await(f -> "message".equals(f.getString("type"))
                        && "hi!".equals(f.getJsonObject("message").getString("text")));
            }
        }
    }

    @Test
    void aNodeStoppedWhileItWarmsUpWindsTheWarmUpDownAndRemovesIt() throws Exception {
        TestNode node = TestNode.start(Map.of("SWITCHBOARD_WARMUP_S", "60"));
        String db = node.env("SWITCHBOARD_PG_URL");
        CompletableFuture<Void> warming = CompletableFuture.runAsync(node::warmUp);
        // Stopped in the middle of the chat: once its customers have conversations.
        long deadline = System.currentTimeMillis() + 60_000;
        while (count(db, "conversations") < Warmup.CUSTOMERS / 2) {
            assertThat(System.currentTimeMillis()).as("the warm-up's chat began").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // poll the database, not the clock
        }
        node.stop();
        warming.get(60, TimeUnit.SECONDS);

        for (String table : List.of("workspaces", "agents", "teams", "widgets")) {
            assertThat(count(db, table)).as("%s: the seeded one only", table).isEqualTo(1);
        }
        for (String table : List.of("visitors", "conversations", "messages", "assignments")) {
            assertThat(count(db, table)).as(table).isZero();
        }
        assertThat(orphanedRedisKeys(node)).isEmpty();
    }


    private static long count(String db, String table) throws SQLException {
        try (Connection c = Jdbc.connect(db);
             ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The node's Redis keys and presence entries that name an agent, a team or a workspace that
     * Postgres no longer has (routing keeps keys of every agent it rebuilt, the seeded admin's too).
     */
    private static List<String> orphanedRedisKeys(TestNode node) throws Exception {
        String db = node.env("SWITCHBOARD_PG_URL");
        List<String> known = new ArrayList<>();
        known.addAll(ids(db, "select id from agents"));
        known.addAll(ids(db, "select id from teams"));
        ids(db, "select id from workspaces").forEach(w -> known.add("ws-" + w));
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, node.env("SWITCHBOARD_REDIS_URL"));
            String prefix = node.env("SWITCHBOARD_REDIS_PREFIX");
            List<String> out = new ArrayList<>();
            for (String kind : List.of("agent:", "presence:", "pool:", "queue:", "qpos:")) {
                for (Response k : send(redis, Request.cmd(Command.KEYS).arg(prefix + kind + "*"))) {
                    if (!known.contains(k.toString().substring((prefix + kind).length()))) {
                        out.add(k.toString());
                    }
                }
            }
            for (Response m : send(redis, Request.cmd(Command.ZRANGE).arg(prefix + "present").arg(0).arg(-1))) {
                if (!known.contains(m.toString())) {
                    out.add("present: " + m);
                }
            }
            return out;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> ids(String db, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = Jdbc.connect(db);
             ResultSet rs = c.createStatement().executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Response send(Redis redis, Request r) throws Exception {
        return redis.send(r).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
