package io.switchboard.store.pg;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL migrations under {@code db/migration} with Flyway. JDBC and blocking:
 * run once at start-up on the main thread, never on an event loop.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static void apply(String pgUrl) {
        PgConnectOptions o = PgConnectOptions.fromUri(pgUrl);
        String jdbc = Jdbc.url(o);
        MigrateResult r = Flyway.configure()
                .dataSource(jdbc, o.getUser(), o.getPassword())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("database schema at version {} ({} migrations applied now)",
                r.targetSchemaVersion == null ? r.initialSchemaVersion : r.targetSchemaVersion, r.migrationsExecuted);
    }
}
