package io.switchboard.http;

import io.switchboard.domain.Failure;
import io.switchboard.protocol.Views;
import io.switchboard.service.AdminService;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.switchboard.store.redis.PresenceStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/** The HTTP API under {@code /api} and the health checks. */
public final class ApiRouter {
    private static final long MAX_JSON_BODY = 1024 * 1024;

    private ApiRouter() {
    }

    public static void mount(Vertx vertx, Router router, AuthService auth, AdminService admin,
                             ConversationService conversations, Pool pool, PresenceStore redis) {
        new HealthRoutes(pool, redis).mount(router);

        Router api = Router.router(vertx);
        api.route().handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BODY));
        api.post("/login").handler(ctx -> {
            JsonObject b = Respond.body(ctx);
            String email = Respond.string(b, "email");
            String password = Respond.string(b, "password");
            if (email == null || password == null) {
                throw Failure.badRequest("email and password are required");
            }
            Respond.ok(ctx, auth.login(email, password), l -> new JsonObject()
                    .put("token", l.token()).put("agent", Views.agent(l.agent())));
        });
        ConversationRoutes conversationRoutes = new ConversationRoutes(conversations, auth);
        conversationRoutes.mountShared(api);

        api.route().handler(AgentAuth.required(auth));
        api.get("/me").handler(ctx -> ctx.json(Views.agent(AgentAuth.of(ctx))));
        new AdminRoutes(admin).mount(api);
        conversationRoutes.mountAgent(api);
        api.route().handler(ctx -> ctx.fail(Failure.notFound("no such endpoint")));
        api.route().failureHandler(HttpErrors::handle);

        router.route("/api/*").subRouter(api);
        router.route().failureHandler(HttpErrors::handle);
    }
}
