package io.switchboard.http;

import io.switchboard.domain.Agent;
import io.switchboard.service.AuthService;
import io.vertx.ext.web.RoutingContext;

/** Authenticates agents by {@code Authorization: Bearer JWT}; the agent, read afresh, goes into the context. */
final class AgentAuth {
    private static final String KEY = "agent";

    private AgentAuth() {
    }

    /** The bearer token of a request, or null. */
    static String bearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).trim();
        }
        return null;
    }

    static io.vertx.core.Handler<RoutingContext> required(AuthService auth) {
        return ctx -> RequestLoop.back(ctx, auth.agent(bearer(ctx))).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.put(KEY, ar.result());
                ctx.next();
            }
        });
    }

    static Agent of(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
