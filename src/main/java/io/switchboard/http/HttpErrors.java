package io.switchboard.http;

import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Failure;
import io.switchboard.metrics.Metrics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapper from failures to HTTP responses: {@code {"error":{"code","message"}}} with the
 * code's status. Unexpected failures become {@code internal} and are logged once, here.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** The failure handler of a router, counting every error answered in the metrics. */
    public static io.vertx.core.Handler<RoutingContext> handler(Metrics metrics) {
        return ctx -> handle(ctx, metrics);
    }

    static void handle(RoutingContext ctx, Metrics metrics) {
        Throwable t = ctx.failure();
        ErrorCode code;
        String message;
        if (t instanceof Failure f) {
            code = f.code();
            message = f.getMessage();
        } else if (t instanceof DecodeException || t instanceof ClassCastException) {
            code = ErrorCode.BAD_REQUEST;
            message = "the body is not the expected JSON";
        } else if (t == null) {
            code = switch (ctx.statusCode()) {
                case 400 -> ErrorCode.BAD_REQUEST;
                case 401 -> ErrorCode.UNAUTHORIZED;
                case 403 -> ErrorCode.FORBIDDEN;
                case 404 -> ErrorCode.NOT_FOUND;
                case 413 -> ErrorCode.TOO_LARGE;
                default -> ErrorCode.INTERNAL;
            };
            message = code == ErrorCode.INTERNAL ? "internal error" : code.wire().replace('_', ' ');
        } else {
            code = ErrorCode.INTERNAL;
            message = "internal error";
            LOG.error("{} {} failed: {}", ctx.request().method(), ctx.request().path(), t.toString(), t);
        }
        metrics.error(code.wire());
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.response()
                .setStatusCode(code.httpStatus())
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code.wire()).put("message", message)).toBuffer());
    }
}
