package io.switchboard.service;

import io.switchboard.domain.Article;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Flow;
import io.switchboard.domain.Principal;
import io.switchboard.domain.TextBlock;
import io.switchboard.store.pg.ArticleStore;
import io.switchboard.store.pg.FlowStore;
import io.switchboard.store.pg.TextBlockStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What agents send besides their own words: text blocks (found by typing {@code #}), knowledge-base
 * articles and flows. Anyone of the workspace reads them (text blocks of a team: its members and
 * admins); only admins write them. Thread-safe.
 */
public final class CatalogService {

    /** The fields of a text block to create or change; null means "not given". */
    public record TextBlockInput(String shortcut, String title, String body, String teamId) {
    }

    public record ArticleInput(String title, String body, String url) {
    }

    public record FlowInput(String title, List<Flow.Option> options) {
    }

    static final int MAX_QUERY = 200;
    static final int MAX_TITLE = 200;
    static final int MAX_TEXT_BLOCK_BODY = 10_000;
    static final int MAX_ARTICLE_BODY = 100_000;
    static final int MAX_URL = 2_000;
    static final int MAX_OPTIONS = 10;
    static final int MAX_OPTION_ID = 64;
    static final int MAX_OPTION_LABEL = 200;

    private final TextBlockStore textBlocks;
    private final ArticleStore articles;
    private final FlowStore flows;

    public CatalogService(Pool pool) {
        this.textBlocks = new TextBlockStore(pool);
        this.articles = new ArticleStore(pool);
        this.flows = new FlowStore(pool);
    }

    /** At most 10 text blocks the agent may use: shortcut prefix matches first, then words of title and body. */
    public Future<List<TextBlock>> searchTextBlocks(Principal who, String q) {
        return Future.<Void>succeededFuture()
                .compose(v -> textBlocks.search(who.workspaceId(), visibleTeams(who), normalizeQuery(q, true)));
    }

    /** A text block the agent may use; {@code not_found} otherwise. */
    public Future<TextBlock> textBlock(Principal who, String id) {
        return textBlocks.byId(who.workspaceId(), visibleTeams(who), id)
                .compose(b -> b.map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(Failure.notFound("no such text block"))));
    }

    public Future<TextBlock> createTextBlock(Principal who, TextBlockInput in) {
        return requireAdmin(who).compose(v -> {
            String shortcut = shortcut(required(in.shortcut(), "shortcut"));
            String title = title(required(in.title(), "title"));
            String body = body(required(in.body(), "body"), MAX_TEXT_BLOCK_BODY);
            return textBlocks.create(who.workspaceId(), in.teamId(), shortcut, title, body);
        });
    }

    public Future<TextBlock> updateTextBlock(Principal who, String id, TextBlockInput in) {
        return requireAdmin(who).compose(v -> {
            String shortcut = in.shortcut() == null ? null : shortcut(in.shortcut());
            String title = in.title() == null ? null : title(in.title());
            String body = in.body() == null ? null : body(in.body(), MAX_TEXT_BLOCK_BODY);
            return textBlocks.update(who.workspaceId(), id, in.teamId(), shortcut, title, body);
        });
    }

    public Future<Void> deleteTextBlock(Principal who, String id) {
        return requireAdmin(who).compose(v -> textBlocks.delete(who.workspaceId(), id));
    }

    /** Articles matching the words of {@code q} (all, newest first, when q is empty), at most 10. */
    public Future<List<Article>> searchArticles(Principal who, String q) {
        return Future.<Void>succeededFuture()
                .compose(v -> articles.search(who.workspaceId(), normalizeQuery(q, false)));
    }

    public Future<Article> article(String workspaceId, String id) {
        return articles.byId(workspaceId, id)
                .compose(a -> a.map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(Failure.notFound("no such article"))));
    }

    public Future<Article> createArticle(Principal who, ArticleInput in) {
        return requireAdmin(who).compose(v -> {
            String title = title(required(in.title(), "title"));
            String body = body(required(in.body(), "body"), MAX_ARTICLE_BODY);
            String url = in.url() == null ? null : url(in.url());
            return articles.create(who.workspaceId(), title, body, url);
        });
    }

    public Future<List<Flow>> flows(Principal who) {
        return flows.list(who.workspaceId());
    }

    /** A flow of the workspace (for agents sending it and customers answering it); {@code not_found} otherwise. */
    public Future<Flow> flow(String workspaceId, String id) {
        return flows.byId(workspaceId, id)
                .compose(f -> f.map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(Failure.notFound("no such flow"))));
    }

    public Future<Flow> createFlow(Principal who, FlowInput in) {
        return requireAdmin(who).compose(v -> {
            String title = title(required(in.title(), "title"));
            List<Flow.Option> options = options(in.options());
            return flows.create(who.workspaceId(), title, options);
        });
    }

    /** The caller's teams, or null for an admin, who sees every text block of the workspace. */
    private static Set<String> visibleTeams(Principal who) {
        return who.isAdmin() ? null : who.teamIds();
    }

    private static Future<Void> requireAdmin(Principal who) {
        return who.isAdmin() ? Future.succeededFuture() : Future.failedFuture(Failure.forbidden("admins only"));
    }

    /** A search query: trimmed, a leading {@code #} dropped (for text blocks), null as empty. */
    static String normalizeQuery(String q, boolean dropHash) {
        if (q == null) {
            return "";
        }
        if (q.length() > MAX_QUERY) {
            throw Failure.badRequest("q is longer than " + MAX_QUERY + " characters");
        }
        String s = Normalizer.normalize(q.strip(), Normalizer.Form.NFC);
        if (dropHash && s.startsWith("#")) {
            s = s.substring(1).strip();
        }
        return s;
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw Failure.badRequest(field + " is required");
        }
        return value;
    }

    /** A shortcut: a leading {@code #} dropped, 1 to 40 characters, no white space. */
    static String shortcut(String raw) {
        String s = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (s.startsWith("#")) {
            s = s.substring(1);
        }
        int length = s.codePointCount(0, s.length());
        if (length < 1 || length > TextBlockStore.MAX_SHORTCUT) {
            throw Failure.badRequest("shortcut must have 1 to " + TextBlockStore.MAX_SHORTCUT + " characters");
        }
        if (s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c))) {
            throw Failure.badRequest("shortcut must not contain white space");
        }
        return s;
    }

    static String title(String raw) {
        String s = raw.strip();
        if (s.isEmpty() || s.length() > MAX_TITLE) {
            throw Failure.badRequest("title must have 1 to " + MAX_TITLE + " characters");
        }
        return s;
    }

    /** A body is kept as written (line breaks matter in a template); it must hold more than white space. */
    static String body(String raw, int max) {
        if (raw.isBlank() || raw.length() > max) {
            throw Failure.badRequest("body must have 1 to " + max + " characters");
        }
        return raw;
    }

    static String url(String raw) {
        String s = raw.strip();
        if (s.isEmpty() || s.length() > MAX_URL) {
            throw Failure.badRequest("url must be an http or https URL of at most " + MAX_URL + " characters");
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getHost().isEmpty()) {
                throw Failure.badRequest("url must be an http or https URL");
            }
        } catch (URISyntaxException e) {
            throw Failure.badRequest("url must be an http or https URL");
        }
        return s;
    }

    /** 1 to 10 options with unique, non-empty ids of at most 64 characters and labels of 1 to 200. */
    static List<Flow.Option> options(List<Flow.Option> options) {
        if (options == null || options.isEmpty() || options.size() > MAX_OPTIONS) {
            throw Failure.badRequest("options must hold 1 to " + MAX_OPTIONS + " options");
        }
        Set<String> ids = new HashSet<>();
        for (Flow.Option o : options) {
            if (o == null || o.id() == null || o.id().isBlank() || o.id().length() > MAX_OPTION_ID) {
                throw Failure.badRequest("every option needs an id of 1 to " + MAX_OPTION_ID + " characters");
            }
            if (!ids.add(o.id())) {
                throw Failure.badRequest("option ids must be unique: " + o.id());
            }
            if (o.label() == null || o.label().isBlank() || o.label().strip().length() > MAX_OPTION_LABEL) {
                throw Failure.badRequest("every option needs a label of 1 to " + MAX_OPTION_LABEL + " characters");
            }
        }
        return options.stream().map(o -> new Flow.Option(o.id(), o.label().strip())).toList();
    }
}
