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
                try (ResultSet rs = c.createStatement().executeQuery("show " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
            assertThat(settings).containsExactly(Map.entry("fsync", "on"), Map.entry("synchronous_commit", "on"),
                    Map.entry("full_page_writes", "on"), Map.entry("autovacuum", "on"));
        }
    }

    @Test
    void aNewClusterHasItsWalSegmentsBeforeTheFirstCommitNeedsOneAndKeepsThemAcrossARestart(@TempDir Path dir)
            throws Exception {
        long kept = EmbeddedPostgresServer.WAL_KEPT_MB / 16;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, true)) {
            assertThat(futureWalSegments(pg)).as("segments after the one being written").isGreaterThanOrEqualTo(kept - 1);
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, true)) {
            assertThat(futureWalSegments(pg)).as("after a restart").isGreaterThanOrEqualTo(kept - 1);
            try (Connection c = Jdbc.connect(pg.url("postgres"));
                 ResultSet rs = c.createStatement().executeQuery("show min_wal_size")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(EmbeddedPostgresServer.WAL_KEPT_MB + "MB");
            }
        }
    }

    /** WAL segment files named after the one Postgres writes now: they exist before any commit needs them. */
    private static long futureWalSegments(EmbeddedPostgresServer pg) throws Exception {
        try (Connection c = Jdbc.connect(pg.url("postgres"));
             ResultSet rs = c.createStatement().executeQuery("""
                     select count(*) from pg_ls_waldir()
                      where name ~ '^[0-9A-F]{24}$' and name > pg_walfile_name(pg_current_wal_lsn())""")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
