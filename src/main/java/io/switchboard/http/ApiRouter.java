package io.switchboard.http;

import io.switchboard.domain.Failure;
import io.switchboard.protocol.Views;
import io.switchboard.boot.Services;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;

/** The HTTP API under {@code /api} and the health checks. */
public final class ApiRouter {
    private static final long MAX_JSON_BODY = 1024 * 1024;
    private static final BodyHandler JSON_BODY = BodyHandler.create(false).setBodyLimit(MAX_JSON_BODY);

    private ApiRouter() {
    }

    public static void mount(Vertx vertx, Router router, Services services) {
        AuthService auth = services.auth();
        ConversationService conversations = services.conversations();
        new HealthRoutes(services.pool(), services.presenceStore(), services.readiness()).mount(router);

        Router api = Router.router(vertx);
        // What a widget on another site calls: CORS for any origin; these take a visitor token, never cookies.
        CorsHandler cors = CorsHandler.create().allowedMethod(HttpMethod.GET).allowedMethod(HttpMethod.POST)
                .allowedHeader("content-type");
        api.route("/public/*").handler(cors);
        api.route("/attachments*").handler(cors);
        api.route("/conversations/:id/messages").handler(cors);
        // JSON bodies only: uploads stream to disk in AttachmentRoutes, which is mounted before this.
        api.route().handler(ctx -> {
            if (ctx.request().path().startsWith("/api/attachments")) {
                ctx.next();
            } else {
                JSON_BODY.handle(ctx);
            }
        });
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
        api.get("/public/widgets/:key").handler(ctx -> Respond.ok(ctx,
                auth.checkWidget(ctx.pathParam("key"), ctx.request().getParam("token")), c -> {
                    JsonObject view = new JsonObject().put("key", c.widget().key()).put("name", c.widget().name());
                    return c.visitorKnown() == null ? view : view.put("visitorKnown", c.visitorKnown());
                }));
        ConversationRoutes conversationRoutes = new ConversationRoutes(conversations, auth);
        conversationRoutes.mountShared(api);
        new AttachmentRoutes(services.attachments(), auth, conversations, services.config().maxUploadBytes()).mount(vertx, api);

        api.route().handler(AgentAuth.required(auth));
        api.get("/me").handler(ctx -> ctx.json(Views.agent(AgentAuth.of(ctx))));
        api.get("/directory").handler(ctx -> Respond.ok(ctx, services.directory().of(AgentAuth.of(ctx).principal()),
                Views::directory));
        new AdminRoutes(services.admin()).mount(api);
        new CatalogRoutes(services.catalog()).mount(api);
        conversationRoutes.mountAgent(api);
        api.route().handler(ctx -> ctx.fail(Failure.notFound("no such endpoint")));
        api.route().failureHandler(HttpErrors.handler(services.metrics()));

        router.route("/api/*").subRouter(api);
        router.get("/metrics").handler(ctx -> metrics(ctx, services));
        new WebRoutes(vertx, new io.switchboard.store.pg.WidgetStore(services.pool()), services.config()).mount(router);
        router.route().failureHandler(HttpErrors.handler(services.metrics()));
    }

    /** Prometheus text format; with {@code metrics.token} configured, only for {@code Authorization: Bearer <token>}. */
    private static void metrics(io.vertx.ext.web.RoutingContext ctx, Services services) {
        String token = services.config().metricsToken();
        if (token != null && !java.security.MessageDigest.isEqual(token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                String.valueOf(AgentAuth.bearer(ctx)).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            ctx.fail(Failure.unauthorized("a metrics token is required"));
            return;
        }
        // The deployment-wide gauges are counted at scrape time: exact when read, and no work between scrapes.
        RequestLoop.back(ctx, services.gauges().refresh()).onComplete(ar -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(services.metrics().scrape()));
    }
}
