package io.switchboard.http;

import io.switchboard.domain.ConversationStatus;
import io.switchboard.domain.Failure;
import io.switchboard.protocol.Audience;
import io.switchboard.protocol.Views;
import io.switchboard.service.AuthService;
import io.switchboard.service.ConversationService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/conversations}: lists for agents, and messages for agents or for the visitor who owns
 * the conversation ({@code ?token=}). Notes are added only for agents.
 */
final class ConversationRoutes {
    private static final int MAX_PAGE = 500;

    private final ConversationService conversations;
    private final AuthService auth;

    ConversationRoutes(ConversationService conversations, AuthService auth) {
        this.conversations = conversations;
        this.auth = auth;
    }

    /** Routes any caller may reach: agents by bearer token, visitors by {@code ?token=}. */
    void mountShared(Router api) {
        api.get("/conversations/:id/messages").handler(this::messages);
    }

    /** Routes for authenticated agents. */
    void mountAgent(Router api) {
        api.get("/conversations").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        String status = ctx.queryParams().get("status");
        String assignee = ctx.queryParams().get("assignee");
        var who = AgentAuth.of(ctx).principal();
        if ("me".equals(assignee)) {
            assignee = who.agentId();
        }
        Respond.ok(ctx, conversations.list(who,
                        status == null || status.isEmpty() ? null : ConversationStatus.fromWire(status),
                        emptyToNull(assignee), emptyToNull(ctx.queryParams().get("team")), Respond.queryLong(ctx, "before"),
                        Respond.queryInt(ctx, "limit", 50, 1, MAX_PAGE)),
                list -> new JsonObject().put("conversations", Views.list(list, c -> Views.summary(c, Audience.AGENT))));
    }

    private void messages(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        long after = Respond.queryLong(ctx, "afterSeq") == null ? 0 : Respond.queryLong(ctx, "afterSeq");
        int limit = Respond.queryInt(ctx, "limit", ConversationService.DEFAULT_PAGE, 1, MAX_PAGE);
        String bearer = AgentAuth.bearer(ctx);
        if (bearer != null) {
            Respond.ok(ctx, auth.agent(bearer).compose(a -> conversations.messagesFor(a.principal(), id, after, limit)
                            .compose(ms -> conversations.notesFor(a.principal(), id)
                                    .map(ns -> new JsonObject()
                                            .put("messages", Views.list(ms, m -> Views.message(m, Audience.AGENT)))
                                            .put("notes", Views.list(ns, Views::note))))),
                    j -> j);
            return;
        }
        String token = ctx.queryParams().get("token");
        if (token == null || token.isEmpty()) {
            throw Failure.unauthorized("an agent bearer token or a visitor token is required");
        }
        Respond.ok(ctx, auth.visitorByToken(token)
                        .compose(v -> conversations.messagesForVisitor(v.id(), id, after, limit)),
                ms -> new JsonObject().put("messages", Views.list(ms, m -> Views.message(m, Audience.CUSTOMER))));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
