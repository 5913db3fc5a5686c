package io.switchboard.http;

import io.switchboard.domain.Failure;
import io.switchboard.protocol.Views;
import io.switchboard.service.AdminService;
import io.switchboard.service.AdminService.AgentInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/** {@code /api/agents}, {@code /api/teams}, {@code /api/widgets}: admins only (the service checks). */
final class AdminRoutes {
    private final AdminService admin;

    AdminRoutes(AdminService admin) {
        this.admin = admin;
    }

    void mount(Router api) {
        api.get("/agents").handler(ctx -> Respond.ok(ctx, admin.agents(who(ctx)),
                list -> new JsonObject().put("agents", Views.list(list, Views::agent))));
        api.post("/agents").handler(ctx -> Respond.json(ctx, admin.createAgent(who(ctx), agentInput(ctx)), 201, Views::agent));
        api.patch("/agents/:id").handler(ctx -> Respond.ok(ctx,
                admin.updateAgent(who(ctx), ctx.pathParam("id"), agentInput(ctx)), Views::agent));

        api.get("/teams").handler(ctx -> Respond.ok(ctx, admin.teams(who(ctx)),
                list -> new JsonObject().put("teams", Views.list(list, Views::team))));
        api.post("/teams").handler(ctx -> {
            JsonObject b = Respond.body(ctx);
            Respond.json(ctx, admin.createTeam(who(ctx), Respond.string(b, "name"), Respond.string(b, "routing")),
                    201, Views::team);
        });
        api.patch("/teams/:id").handler(ctx -> {
            JsonObject b = Respond.body(ctx);
            Respond.ok(ctx, admin.updateTeam(who(ctx), ctx.pathParam("id"), Respond.string(b, "name"),
                    Respond.string(b, "routing")), Views::team);
        });
        api.get("/workspace").handler(ctx -> Respond.ok(ctx, admin.workspace(who(ctx)), AdminRoutes::workspace));
        api.patch("/workspace").handler(ctx -> Respond.ok(ctx,
                admin.setDefaultRouting(who(ctx), Respond.string(Respond.body(ctx), "defaultRouting")), AdminRoutes::workspace));
        api.put("/teams/:id/members").handler(ctx -> Respond.ok(ctx,
                admin.setMembers(who(ctx), ctx.pathParam("id"), agentIds(Respond.body(ctx))), Views::team));

        api.get("/widgets").handler(ctx -> Respond.ok(ctx, admin.widgets(who(ctx)),
                list -> new JsonObject().put("widgets", Views.list(list, Views::widget))));
        api.post("/widgets").handler(ctx -> {
            JsonObject b = Respond.body(ctx);
            Respond.json(ctx, admin.createWidget(who(ctx), Respond.string(b, "name"), Respond.string(b, "teamId")),
                    201, Views::widget);
        });
    }

    private static JsonObject workspace(io.switchboard.store.pg.WorkspaceStore.Workspace w) {
        return new JsonObject().put("id", w.id()).put("name", w.name()).put("defaultRouting", w.defaultRouting());
    }

    private static io.switchboard.domain.Principal who(RoutingContext ctx) {
        return AgentAuth.of(ctx).principal();
    }

    private static AgentInput agentInput(RoutingContext ctx) {
        JsonObject b = Respond.body(ctx);
        return new AgentInput(Respond.string(b, "email"), Respond.string(b, "name"), Respond.string(b, "password"),
                Respond.string(b, "role"), Respond.integer(b, "maxChats"));
    }

    private static List<String> agentIds(JsonObject body) {
        Object raw = body.getValue("agentIds");
        if (!(raw instanceof JsonArray arr)) {
            throw Failure.badRequest("agentIds must be an array of agent ids");
        }
        List<String> ids = new ArrayList<>(arr.size());
        for (Object o : arr) {
            if (!(o instanceof String s)) {
                throw Failure.badRequest("agentIds must be an array of agent ids");
            }
            ids.add(s);
        }
        return ids;
    }
}
