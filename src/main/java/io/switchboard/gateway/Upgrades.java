package io.switchboard.gateway;

import io.switchboard.domain.ErrorCode;
import io.switchboard.domain.Failure;
import io.switchboard.http.RequestLoop;
import io.switchboard.service.AuthService;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BiConsumer;

/**
 * The WebSocket upgrades of {@code /ws/customer} and {@code /ws/agent}: who is asking is settled
 * before the upgrade, and a refusal is a plain HTTP 401 or 404 with the usual error body.
 */
final class Upgrades {
    private static final int MAX_CONTACT = 200;

    private final AuthService auth;

    Upgrades(AuthService auth) {
        this.auth = auth;
    }

    void customer(RoutingContext ctx, BiConsumer<ServerWebSocket, AuthService.VisitorSession> start) {
        var q = ctx.queryParams();
        String name = q.get("name");
        String email = q.get("email");
        if (name != null && name.length() > MAX_CONTACT || email != null && email.length() > MAX_CONTACT) {
            refuse(ctx, Failure.badRequest("name and email must have at most " + MAX_CONTACT + " characters"));
            return;
        }
        upgrade(ctx, auth.visitor(q.get("widget"), q.get("token"), blankToNull(name), blankToNull(email)), start);
    }

    void agent(RoutingContext ctx, BiConsumer<ServerWebSocket, io.switchboard.domain.Agent> start) {
        String token = ctx.queryParams().get("token");
        if (token == null) {
            String h = ctx.request().getHeader("Authorization");
            token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
        }
        upgrade(ctx, auth.agent(token), start);
    }

    private static <T> void upgrade(RoutingContext ctx, Future<T> who, BiConsumer<ServerWebSocket, T> start) {
        if (!ctx.request().canUpgradeToWebSocket()) {
            refuse(ctx, Failure.badRequest("this endpoint speaks WebSocket only"));
            return;
        }
        // The request must not be read to its end while we look the caller up, or it cannot upgrade.
        ctx.request().pause();
        RequestLoop.back(ctx, who).onComplete(ar -> {
            if (ar.failed()) {
                refuse(ctx, ar.cause());
                return;
            }
            ctx.request().toWebSocket()
                    .onSuccess(ws -> start.accept(ws, ar.result()))
                    .onFailure(t -> { /* the handshake failed: Vert.x has answered the client */ });
        });
    }

    private static void refuse(RoutingContext ctx, Throwable t) {
        ErrorCode code = t instanceof Failure f ? f.code() : ErrorCode.UNAVAILABLE;
        String message = t instanceof Failure ? t.getMessage() : "the server cannot serve this socket now";
        ctx.response().setStatusCode(code.httpStatus()).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code.wire()).put("message", message))
                        .toBuffer());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
