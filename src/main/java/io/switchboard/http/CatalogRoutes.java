package io.switchboard.http;

import io.switchboard.domain.Article;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Flow;
import io.switchboard.domain.Principal;
import io.switchboard.protocol.Views;
import io.switchboard.service.CatalogService;
import io.switchboard.service.CatalogService.ArticleInput;
import io.switchboard.service.CatalogService.FlowInput;
import io.switchboard.service.CatalogService.TextBlockInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/text-blocks}, {@code /api/articles}, {@code /api/flows}: read by agents, written by
 * admins (the service checks).
 */
final class CatalogRoutes {
    private final CatalogService catalog;

    CatalogRoutes(CatalogService catalog) {
        this.catalog = catalog;
    }

    void mount(Router api) {
        api.get("/text-blocks").handler(ctx -> Respond.ok(ctx, catalog.searchTextBlocks(who(ctx), q(ctx)),
                list -> new JsonObject().put("results", Views.list(list, Views::textBlock))));
        api.get("/text-blocks/:id").handler(ctx -> Respond.ok(ctx, catalog.textBlock(who(ctx), ctx.pathParam("id")),
                Views::textBlock));
        api.post("/text-blocks").handler(ctx -> Respond.json(ctx, catalog.createTextBlock(who(ctx), textBlockInput(ctx)),
                201, Views::textBlock));
        api.put("/text-blocks/:id").handler(ctx -> Respond.ok(ctx,
                catalog.updateTextBlock(who(ctx), ctx.pathParam("id"), textBlockInput(ctx)), Views::textBlock));
        api.delete("/text-blocks/:id").handler(ctx -> Respond.noContent(ctx, catalog.deleteTextBlock(who(ctx), ctx.pathParam("id"))));

        api.get("/articles").handler(ctx -> Respond.ok(ctx, catalog.searchArticles(who(ctx), q(ctx)),
                list -> new JsonObject().put("results", Views.list(list, CatalogRoutes::article))));
        api.get("/articles/:id").handler(ctx -> Respond.ok(ctx,
                catalog.article(who(ctx).workspaceId(), ctx.pathParam("id")), CatalogRoutes::article));
        api.post("/articles").handler(ctx -> {
            JsonObject b = Respond.body(ctx);
            Respond.json(ctx, catalog.createArticle(who(ctx), new ArticleInput(Respond.string(b, "title"),
                    Respond.string(b, "body"), Respond.string(b, "url"))), 201, CatalogRoutes::article);
        });

        api.get("/flows").handler(ctx -> Respond.ok(ctx, catalog.flows(who(ctx)),
                list -> new JsonObject().put("flows", Views.list(list, CatalogRoutes::flow))));
        api.get("/flows/:id").handler(ctx -> Respond.ok(ctx,
                catalog.flow(who(ctx).workspaceId(), ctx.pathParam("id")), CatalogRoutes::flow));
        api.post("/flows").handler(ctx -> {
            JsonObject b = Respond.body(ctx);
            Respond.json(ctx, catalog.createFlow(who(ctx), new FlowInput(Respond.string(b, "title"), options(b))),
                    201, CatalogRoutes::flow);
        });
    }

    static JsonObject article(Article a) {
        return new JsonObject().put("id", a.id()).put("title", a.title()).put("body", a.body()).put("url", a.url());
    }

    static JsonObject flow(Flow f) {
        JsonArray options = new JsonArray();
        f.options().forEach(o -> options.add(new JsonObject().put("id", o.id()).put("label", o.label())));
        return new JsonObject().put("id", f.id()).put("title", f.title()).put("options", options);
    }

    private static Principal who(RoutingContext ctx) {
        return AgentAuth.of(ctx).principal();
    }

    private static String q(RoutingContext ctx) {
        return ctx.queryParams().get("q");
    }

    private static TextBlockInput textBlockInput(RoutingContext ctx) {
        JsonObject b = Respond.body(ctx);
        return new TextBlockInput(Respond.string(b, "shortcut"), Respond.string(b, "title"), Respond.string(b, "body"),
                Respond.string(b, "teamId"));
    }

    /** {@code "options":[{"id","label"}]} as given; the service checks counts and lengths. Absent: null. */
    private static List<Flow.Option> options(JsonObject body) {
        Object raw = body.getValue("options");
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof JsonArray arr)) {
            throw Failure.badRequest("options must be an array of {\"id\",\"label\"}");
        }
        List<Flow.Option> out = new ArrayList<>(arr.size());
        for (Object o : arr) {
            if (!(o instanceof JsonObject option)) {
                throw Failure.badRequest("options must be an array of {\"id\",\"label\"}");
            }
            out.add(new Flow.Option(Respond.string(option, "id"), Respond.string(option, "label")));
        }
        return out;
    }
}
