package io.switchboard.store.pg;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the node's Postgres pool. Each connection pipelines queries, so a few serve many sockets. */
public final class PgPools {
    private PgPools() {
    }

    /** @param name the pool's {@code pool_name} in the metrics */
    public static Pool create(Vertx vertx, String url, int size, String name) {
        PgConnectOptions connect = PgConnectOptions.fromUri(url)
                .setPipeliningLimit(256)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(512)
                // A statement longer than this is prepared anew, and so planned anew, at every run: the
                // default (2,048 characters) left out the append of messages once it grew past it
                // (0.8 ms of planning a batch; docs/benchmarks-log.md, "The append statement's plan").
                .setPreparedStatementCacheSqlLimit(16_384)
                // Every statement of the node has an index to follow, and a kept plan made while a
                // table was a few pages long reads it whole until an analyze replans it (autovacuum
                // looks once a minute). The append of messages planned so scanned conversations 50 to
                // 960 times a second and held 10,000 msg/s up by 3.6 s (docs/benchmarks-log.md,
                // "Kept plans that read conversations whole"). Off only stops the planner preferring
                // a scan; a table with no usable index is still read. V12 does the same for functions.
                .addProperty("enable_seqscan", "off");
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size).setShared(false).setName(name))
                .connectingTo(connect)
                .using(vertx)
                .build();
    }
}
