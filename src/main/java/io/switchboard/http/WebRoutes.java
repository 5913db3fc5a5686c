package io.switchboard.http;

import io.switchboard.config.Config;
import io.switchboard.store.pg.WidgetStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.nio.file.Path;

/**
 * The pages the server ships: the demo page at {@code /} (which hosts the widget), {@code /widget.js}
 * and the agent console at {@code /console}. Files come from the jar's {@code web/} folder, or, for
 * working on them, from {@code http.webDirectory} uncached. Every response carries a
 * Content-Security-Policy that allows only this origin's scripts and styles and nothing inline, so
 * text a user typed can never run as code even if a renderer slipped.
 */
public final class WebRoutes {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    private static final String KEY_PLACEHOLDER = "__WIDGET_KEY__";

    private final Vertx vertx;
    private final WidgetStore widgets;
    private final Path webDir;
    private final StaticHandler files;
    private final StaticHandler consoleFiles;
    private Buffer demoPage;

    public WebRoutes(Vertx vertx, WidgetStore widgets, Config config) {
        this.vertx = vertx;
        this.widgets = widgets;
        this.webDir = config.webDir();
        this.files = files("");
        this.consoleFiles = files("console");
    }

    /** Files under {@code web/<folder>}: a prefix route ({@code /console/*}) serves paths relative to its prefix. */
    private StaticHandler files(String folder) {
        StaticHandler handler = webDir == null
                ? StaticHandler.create(FileSystemAccess.RELATIVE, folder.isEmpty() ? "web" : "web/" + folder)
                : StaticHandler.create(FileSystemAccess.ROOT, webDir.resolve(folder).toString())
                        .setCachingEnabled(false).setFilesReadOnly(false);
        return handler.setDefaultContentEncoding("UTF-8").setIndexPage("index.html")
                .setDirectoryListing(false).setIncludeHidden(false);
    }

    public void mount(Router router) {
        router.route().handler(WebRoutes::securityHeaders);
        page(router, "/").handler(this::demo);
        page(router, "/demo.html").handler(this::demo);
        // "/console" without the slash would resolve the console's relative module paths against "/".
        page(router, null).pathRegex("/console").handler(ctx -> ctx.redirect("/console/"));
        page(router, "/console/*").handler(consoleFiles);
        page(router, null).pathRegex("/[A-Za-z0-9_-]+\\.(js|css|svg|png|ico)").handler(files);
    }

    /** GET and HEAD: a HEAD (what monitors and link checkers send) must not answer 405. */
    private static io.vertx.ext.web.Route page(Router router, String path) {
        io.vertx.ext.web.Route route = path == null ? router.route() : router.route(path);
        return route.method(HttpMethod.GET).method(HttpMethod.HEAD);
    }

    /** Mounted after the API, socket and health routes, so it sees only what this class serves (or a 404). */
    private static void securityHeaders(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }

    /** The demo page with the workspace's first widget, or the one {@code ?widget=} names (to try another key). */
    private void demo(RoutingContext ctx) {
        String asked = ctx.request().getParam("widget");
        Future<String> key = asked != null ? Future.succeededFuture(asked)
                : widgets.firstKey().map(k -> k.orElse(""));
        RequestLoop.back(ctx, key.compose(k -> page().map(p -> p.toString().replace(KEY_PLACEHOLDER, htmlAttribute(k)))))
                .onSuccess(html -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
                        .putHeader("cache-control", "no-store").end(html))
                .onFailure(ctx::fail);
    }

    private Future<Buffer> page() {
        if (webDir != null) {
            return vertx.fileSystem().readFile(webDir.resolve("demo.html").toString());
        }
        if (demoPage != null) {
            return Future.succeededFuture(demoPage);
        }
        return vertx.fileSystem().readFile("web/demo.html").onSuccess(b -> demoPage = b);
    }

    static String htmlAttribute(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
