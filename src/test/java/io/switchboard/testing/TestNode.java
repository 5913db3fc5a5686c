package io.switchboard.testing;

import io.switchboard.boot.Switchboard;
import io.switchboard.config.Config;
import io.switchboard.config.ConfigLoader;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Switchboard node for one test: its own database and Redis prefix on the shared servers,
 * HTTP on a free port, the seeded admin known. {@link #restart} keeps the database and data dir.
 */
public final class TestNode implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@test.local";
    public static final String ADMIN_PASSWORD = "admin-password";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Map<String, String> env;
    private Switchboard node;

    private TestNode(Map<String, String> env) {
        this.env = env;
        this.node = Switchboard.start(config());
    }

    /** A node on a fresh database; {@code extra} are environment variables that override the defaults. */
    public static TestNode start(Map<String, String> extra) {
        TestServers servers = TestServers.get();
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_PG_URL", extra.getOrDefault("SWITCHBOARD_PG_URL", null) != null
                ? extra.get("SWITCHBOARD_PG_URL") : servers.newDatabase());
        env.put("SWITCHBOARD_REDIS_URL", servers.redisUrl());
        env.put("SWITCHBOARD_REDIS_PREFIX", servers.newRedisPrefix());
        env.put("SWITCHBOARD_HTTP_PORT", "0");
        env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_DATA_DIR", Path.of("target", "test-nodes", "n" + COUNTER.incrementAndGet()).toString());
        env.put("SWITCHBOARD_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("SWITCHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("SWITCHBOARD_SHUTDOWN_GRACE_MS", "3000");
        // A warm-up adds seconds to every start; WarmupIT turns it on where it is what is tested.
        env.put("SWITCHBOARD_WARMUP_S", "0");
        env.putAll(extra);
        return new TestNode(env);
    }

    /**
     * Nodes of one cluster (Hazelcast on loopback), sharing one database and one Redis prefix, each
     * with its own HTTP port and data directory. Started one after the other; the first seeds.
     */
    public static java.util.List<TestNode> cluster(int n, Map<String, String> extra) {
        TestServers servers = TestServers.get();
        String db = servers.newDatabase();
        String prefix = servers.newRedisPrefix();
        java.util.List<Integer> ports = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(io.switchboard.embedded.FreePort.find());
        }
        String members = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        java.util.List<TestNode> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> env = new HashMap<>(extra);
            env.put("SWITCHBOARD_PG_URL", db);
            env.put("SWITCHBOARD_REDIS_PREFIX", prefix);
            env.put("SWITCHBOARD_CLUSTER", "true");
            env.put("SWITCHBOARD_CLUSTER_HOST", "127.0.0.1");
            env.put("SWITCHBOARD_CLUSTER_PORT", String.valueOf(ports.get(i)));
            env.put("SWITCHBOARD_CLUSTER_MEMBERS", members);
            nodes.add(start(env));
        }
        return nodes;
    }

    /** One more node joining the cluster of {@code member}, on its database and Redis prefix. */
    public static TestNode joining(TestNode member) {
        Map<String, String> env = new HashMap<>(member.env);
        int port = io.switchboard.embedded.FreePort.find();
        env.put("SWITCHBOARD_DATA_DIR", Path.of("target", "test-nodes", "n" + COUNTER.incrementAndGet()).toString());
        env.put("SWITCHBOARD_HTTP_PORT", "0"); // the member's may be a fixed one
        env.put("SWITCHBOARD_CLUSTER_PORT", String.valueOf(port));
        env.put("SWITCHBOARD_CLUSTER_MEMBERS", member.env("SWITCHBOARD_CLUSTER_MEMBERS") + ",127.0.0.1:" + port);
        return new TestNode(env);
    }

    public static TestNode start() {
        return start(Map.of());
    }

    private Config config() {
        return ConfigLoader.load(null, env);
    }

    /** The environment this node was started with (its database URL, Redis prefix …). */
    public String env(String name) {
        return env.get(name);
    }

    public int port() {
        return node.port();
    }

    /** Runs the node's warm-up (nodes of tests have none unless SWITCHBOARD_WARMUP_S says so); blocks. */
    public void warmUp() {
        node.warmUp();
    }

    public String widgetKey() {
        return node.widgetKey();
    }

    public io.vertx.core.Vertx vertx() {
        return node.vertx();
    }

    public String httpBase() {
        return "http://127.0.0.1:" + port();
    }

    public Http http() {
        return new Http(httpBase());
    }

    /** Logs the seeded admin in; returns {@code {"token","agent"}}. */
    public JsonObject loginAdmin() {
        return http().login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** Stops the node and starts it again on the same database and data directory (a new port unless fixed). */
    public void restart() {
        node.stop();
        startAgain();
    }

    /** Starts a node stopped with {@link #stop} again, on the same configuration. */
    public void startAgain() {
        node = Switchboard.start(config());
    }

    public void stop() {
        node.stop();
    }

    /**
     * Ends this node's cluster membership at once, without a bye: to the other members, as a killed
     * process (its sockets stay open; close it afterwards).
     */
    /** From now on this node stores and acks as before, but its events never reach another node (as if it died before sending them). */
    public void dropDeliveriesToOtherNodes() {
        vertx().eventBus().addOutboundInterceptor(ctx -> {
            if (!ctx.message().address().startsWith("sb.node.")) {
                ctx.next();
            }
        });
    }

    public void killMembership() {
        var manager = (io.vertx.spi.cluster.hazelcast.HazelcastClusterManager)
                ((io.vertx.core.internal.VertxInternal) vertx()).clusterManager();
        manager.getHazelcastInstance().getLifecycleService().terminate();
    }

    @Override
    public void close() {
        node.stop();
    }
}
