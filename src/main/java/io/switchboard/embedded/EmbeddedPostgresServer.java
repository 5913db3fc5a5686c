package io.switchboard.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL from the binaries Maven ships (io.zonky.test), its data kept in a directory
 * across restarts. Blocking: call from the main thread at start-up, never from an event loop.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** WAL kept for reuse between checkpoints ({@code min_wal_size}), and preallocated on a new cluster. */
    static final int WAL_KEPT_MB = 512;

    private final EmbeddedPostgres pg;

    private EmbeddedPostgresServer(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    /**
     * Starts Postgres with its cluster in {@code dataDir} (initialised when empty, reused otherwise).
     *
     * @param durable false turns fsync off: for tests, where speed matters more than surviving a power cut;
     *                the product always runs durable
     */
    public static EmbeddedPostgresServer start(Path dataDir, boolean durable) {
        return start(dataDir, durable, 0);
    }

    /** As {@link #start(Path, boolean)}, on a given port (0: any free one). */
    public static EmbeddedPostgresServer start(Path dataDir, boolean durable, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // the node stops Postgres itself, after its last write
                    .setRegisterShutdownHook(false)
                    .setPort(port != 0 ? port : FreePort.find())
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            // zonky starts Postgres with fsync and synchronous_commit off; an ack must survive a crash.
            String on = durable ? "on" : "off";
            b.setServerConfig("fsync", on).setServerConfig("synchronous_commit", on).setServerConfig("full_page_writes", on);
            if (durable) {
                b.setServerConfig("min_wal_size", WAL_KEPT_MB + "MB");
            }
            boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
            EmbeddedPostgres pg = b.start();
            LOG.info("embedded Postgres started on 127.0.0.1:{} with data in {}", pg.getPort(), dataDir);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg);
            if (durable && fresh) {
                server.preallocateWal();
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Postgres in " + dataDir, e);
        }
    }

    /**
     * Creates the WAL segments that the first minutes of traffic will write into, before there is any.
     *
     * <p>Postgres writes its log into 16 MB segment files. A new one is filled with zeroes and flushed
     * by the commit that first needs it, while every other commit waits behind it: 37-53 ms on this
     * project's benchmark machine, once every 16 MB (every ~6 s at 4,000 messages a second), and the
     * writer of appends needed several of its largest batches to catch up after each (measured:
     * docs/benchmarks.md). A checkpoint renames used segments to future ones instead, and
     * {@code min_wal_size} keeps that many; but a new cluster has none to rename. So a fresh one
     * switches through that many segments now, at start, and checkpoints: the first 512 MB that
     * traffic writes go into segments that exist. Not the whole first checkpoint cycle (~1 GB with
     * the default {@code max_wal_size}); after it Postgres recycles as much as a cycle used. Why not
     * more here: docs/benchmarks-log.md, "The writer's stalls, batch by batch".
     */
    private void preallocateWal() {
        long started = System.nanoTime();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < WAL_KEPT_MB / 16; i++) {
                // A switch needs something written since the last one.
                s.execute("select pg_logical_emit_message(false, 'switchboard', 'preallocating WAL')");
                s.execute("select pg_switch_wal()");
            }
            s.execute("checkpoint");
        } catch (SQLException e) {
            // Only later commits' latency depends on it: start anyway.
            LOG.warn("could not preallocate the embedded Postgres' WAL: {}", e.toString());
            return;
        }
        LOG.info("embedded Postgres: {} MB of WAL preallocated in {} ms", WAL_KEPT_MB,
                (System.nanoTime() - started) / 1_000_000);
    }

    public int port() {
        return pg.getPort();
    }

    /** A URL in the form SWITCHBOARD_PG_URL takes. */
    public String url(String database) {
        return "postgresql://postgres:postgres@127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            pg.close();
            LOG.info("embedded Postgres stopped");
        } catch (IOException e) {
            LOG.warn("embedded Postgres did not stop cleanly: {}", e.toString());
        }
    }
}
