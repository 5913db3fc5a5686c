package io.switchboard.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands a request's asynchronous results back to the request's own event loop.
 *
 * <p>The HTTP server runs in strict thread mode (GatewayVerticle): a response, a pause or resume of
 * the request, an upgrade to WebSocket must all be made on the connection's event loop. Made from
 * another thread, a response may be written and never flushed, and the client waits forever. A
 * service's future may complete on any event loop: a conversation's lane runs its next work where
 * the previous work finished. So every route continues on the request's loop through {@link #back}.
 */
public final class RequestLoop {
    private static final String KEY = "sb.requestLoop";

    private RequestLoop() {
    }

    /** The router's first handler: notes the request's context (it runs on the connection's event loop). */
    public static void remember(RoutingContext ctx) {
        ctx.put(KEY, Vertx.currentContext());
        ctx.next();
    }

    /** {@code result}'s outcome, on the event loop of the request {@code ctx} answers. */
    public static <T> Future<T> back(RoutingContext ctx, Future<T> result) {
        Context loop = ctx.get(KEY);
        if (loop == null) {
            throw new IllegalStateException("RequestLoop.remember must be the router's first handler");
        }
        Promise<T> here = Promise.promise();
        result.onComplete(ar -> {
            if (Vertx.currentContext() == loop) {
                here.handle(ar);
            } else {
                loop.runOnContext(v -> here.handle(ar));
            }
        });
        return here.future();
    }
}
