package io.switchboard.embedded;

import io.switchboard.store.pg.Jdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded Postgres the product runs by default, as its settings say. */
class EmbeddedPostgresIT {

    @Test
    void theProductsPostgresKeepsEveryCommitOnDisk(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, true);
             Connection c = Jdbc.connect(pg.url("postgres"))) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes", "autovacuum"}) {
                settings.put(name, value(c, "show " + name));
            }
            assertThat(settings).containsExactly(Map.entry("fsync", "on"), Map.entry("synchronous_commit", "on"),
                    Map.entry("full_page_writes", "on"), Map.entry("autovacuum", "on"));
        }
    }

    @Test
    void aNewClusterHasItsWalSegmentsBeforeTheFirstCommitNeedsOneAndKeepsThemAcrossARestart(@TempDir Path dir)
            throws Exception {
        long kept = EmbeddedPostgresServer.WAL_KEPT_MB / 16;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, true);
             Connection c = Jdbc.connect(pg.url("postgres"))) {
            assertThat(Long.parseLong(value(c, FUTURE_WAL_SEGMENTS))).as("segments after the one being written")
                    .isGreaterThanOrEqualTo(kept - 1);
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, true);
             Connection c = Jdbc.connect(pg.url("postgres"))) {
            assertThat(Long.parseLong(value(c, FUTURE_WAL_SEGMENTS))).as("after a restart").isGreaterThanOrEqualTo(kept - 1);
            assertThat(value(c, "show min_wal_size")).isEqualTo(EmbeddedPostgresServer.WAL_KEPT_MB + "MB");
        }
    }

    /** WAL segment files named after the one Postgres writes now: they exist before any commit needs them. */
    private static final String FUTURE_WAL_SEGMENTS = """
            select count(*) from pg_ls_waldir()
             where name ~ '^[0-9A-F]{24}$' and name > pg_walfile_name(pg_current_wal_lsn())""";

    /** The first column of the one row {@code sql} returns. */
    private static String value(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
