package io.switchboard.service;

import io.switchboard.domain.Article;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Flow;
import io.switchboard.domain.Principal;
import io.switchboard.domain.TextBlock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.List;

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

    private final Pool pool;

    public CatalogService(Pool pool) {
        this.pool = pool;
    }

    /** At most 10 text blocks the agent may use: shortcut prefix matches first, then words of title and body. */
    public Future<List<TextBlock>> searchTextBlocks(Principal who, String q) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    /** A text block the agent may use; {@code not_found} otherwise. */
    public Future<TextBlock> textBlock(Principal who, String id) {
        return Future.failedFuture(Failure.notFound("no such text block"));
    }

    public Future<TextBlock> createTextBlock(Principal who, TextBlockInput in) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    public Future<TextBlock> updateTextBlock(Principal who, String id, TextBlockInput in) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    public Future<Void> deleteTextBlock(Principal who, String id) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    /** Articles matching the words of {@code q} (all, newest first, when q is empty), at most 10. */
    public Future<List<Article>> searchArticles(Principal who, String q) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    public Future<Article> article(String workspaceId, String id) {
        return Future.failedFuture(Failure.notFound("no such article"));
    }

    public Future<Article> createArticle(Principal who, ArticleInput in) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    public Future<List<Flow>> flows(Principal who) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }

    /** A flow of the workspace (for agents sending it and customers answering it); {@code not_found} otherwise. */
    public Future<Flow> flow(String workspaceId, String id) {
        return Future.failedFuture(Failure.notFound("no such flow"));
    }

    public Future<Flow> createFlow(Principal who, FlowInput in) {
        return Future.failedFuture(Failure.badRequest("not implemented yet"));
    }
}
