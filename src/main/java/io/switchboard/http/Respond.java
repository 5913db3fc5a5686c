package io.switchboard.http;

import io.switchboard.domain.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/** Writing results of futures to HTTP responses; failures go to {@link HttpErrors}. */
final class Respond {
    private Respond() {
    }

    static <T> void json(RoutingContext ctx, Future<T> result, int status, Function<T, JsonObject> view) {
        RequestLoop.back(ctx, result).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(view.apply(ar.result()).toBuffer());
        });
    }

    static <T> void ok(RoutingContext ctx, Future<T> result, Function<T, JsonObject> view) {
        json(ctx, result, 200, view);
    }

    /** 204 once {@code result} succeeds. */
    static void noContent(RoutingContext ctx, Future<Void> result) {
        RequestLoop.back(ctx, result).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else {
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    /** The request's JSON object body; anything else is {@code bad_request}. */
    static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw Failure.badRequest("a JSON object body is required");
            }
            return body;
        } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
            throw Failure.badRequest("the body is not a JSON object");
        }
    }

    static String string(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v != null && !(v instanceof String)) {
            throw Failure.badRequest(field + " must be a string");
        }
        return (String) v;
    }

    static Integer integer(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v != null && (!(v instanceof Number) || v instanceof Double || v instanceof Float)) {
            throw Failure.badRequest(field + " must be an integer");
        }
        return v == null ? null : ((Number) v).intValue();
    }

    /** An integer query parameter within bounds, or its default. */
    static int queryInt(RoutingContext ctx, String name, int def, int min, int max) {
        String raw = ctx.queryParams().get(name);
        if (raw == null || raw.isEmpty()) {
            return def;
        }
        try {
            long v = Long.parseLong(raw);
            if (v < min || v > max) {
                throw Failure.badRequest(name + " must be between " + min + " and " + max);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw Failure.badRequest(name + " must be an integer");
        }
    }

    static Long queryLong(RoutingContext ctx, String name) {
        String raw = ctx.queryParams().get(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw Failure.badRequest(name + " must be an integer");
        }
    }
}
