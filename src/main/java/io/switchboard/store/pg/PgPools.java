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
                .setPreparedStatementCacheMaxSize(512);
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size).setShared(false).setName(name))
                .connectingTo(connect)
                .using(vertx)
                .build();
    }
}
