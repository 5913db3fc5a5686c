package io.switchboard.testing;

import io.switchboard.embedded.EmbeddedPostgresServer;
import io.switchboard.embedded.EmbeddedRedisServer;
import io.switchboard.store.pg.Migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real Postgres and Redis of the whole test run: started once, on free ports, from the same
 * embedded binaries the product uses. Each test gets its own database (a copy of a migrated
 * template) and its own Redis key prefix, so tests neither see each other nor depend on order.
 */
public final class TestServers {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static TestServers instance;

    private final EmbeddedPostgresServer pg;
    private final EmbeddedRedisServer redis;

    private TestServers(EmbeddedPostgresServer pg, EmbeddedRedisServer redis) {
        this.pg = pg;
        this.redis = redis;
    }

    public static synchronized TestServers get() {
        if (instance == null) {
            // One directory per test JVM, so that two runs in one checkout do not share a cluster.
            Path dir = Path.of("target", "test-postgres", String.valueOf(ProcessHandle.current().pid()));
            deleteTree(dir);
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, false);
            EmbeddedRedisServer redis = EmbeddedRedisServer.start();
            sql(pg.url("postgres"), "create database sb_template");
            Migrations.apply(pg.url("sb_template"));
            instance = new TestServers(pg, redis);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                redis.close();
                pg.close();
                deleteTree(dir);
            }));
        }
        return instance;
    }

    /** A fresh, migrated, empty database; returns its URL. */
    public String newDatabase() {
        String name = "sb_" + COUNTER.incrementAndGet();
        sql(pg.url("postgres"), "create database " + name + " template sb_template");
        return pg.url(name);
    }

    public String redisUrl() {
        return redis.url();
    }

    /** A Redis key prefix no other test uses. */
    public String newRedisPrefix() {
        return "t" + COUNTER.incrementAndGet() + ":";
    }

    public static void sql(String url, String statement) {
        try (Connection c = io.switchboard.store.pg.Jdbc.connect(url);
             var st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
