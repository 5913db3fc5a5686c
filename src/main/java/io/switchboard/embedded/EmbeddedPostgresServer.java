package io.switchboard.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL from the binaries Maven ships (io.zonky.test), its data kept in a directory
 * across restarts. Blocking: call from the main thread at start-up, never from an event loop.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

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
            EmbeddedPostgres pg = b.start();
            LOG.info("embedded Postgres started on 127.0.0.1:{} with data in {}", pg.getPort(), dataDir);
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Postgres in " + dataDir, e);
        }
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
