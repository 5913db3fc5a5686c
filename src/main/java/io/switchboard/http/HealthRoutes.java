package io.switchboard.http;

import io.switchboard.boot.Readiness;
import io.switchboard.store.redis.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (Postgres and Redis answer
 * too, and the node is not warming up).
 */
final class HealthRoutes {
    private static final long TIMEOUT_MS = 2000;

    private final Pool pool;
    private final PresenceStore redis;
    private final Readiness readiness;

    HealthRoutes(Pool pool, PresenceStore redis, Readiness readiness) {
        this.pool = pool;
        this.redis = redis;
        this.readiness = readiness;
    }

    void mount(Router router) {
        router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
        router.get("/health/ready").handler(ctx -> {
            Future<Boolean> pg = pool.query("select 1").execute().map(rs -> true)
                    .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwise(false);
            Future<Boolean> rd = redis.ping().map(r -> true)
                    .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwise(false);
            RequestLoop.back(ctx, Future.join(pg, rd)).onComplete(ar -> {
                boolean up = pg.result() && rd.result();
                boolean warming = readiness.warming();
                ctx.response().setStatusCode(up && !warming ? 200 : 503).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("status", !up ? "down" : warming ? "warming up" : "up")
                                .put("postgres", pg.result() ? "up" : "down")
                                .put("redis", rd.result() ? "up" : "down").toBuffer());
            });
        });
    }
}
