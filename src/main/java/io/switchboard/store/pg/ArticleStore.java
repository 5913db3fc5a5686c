package io.switchboard.store.pg;

import io.switchboard.domain.Article;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Knowledge-base articles of a workspace and their word search. */
public final class ArticleStore {
    /** Results of one search, and of the listing for an empty query. */
    public static final int SEARCH_LIMIT = 10;

    private static final String NEWEST = """
            select id, title, body, url
              from articles
             where workspace_id = $1
             order by created_at desc, id
             limit %d""".formatted(SEARCH_LIMIT);

    // $2: a tsquery built by TextBlockStore.wordQuery, never the user's text itself; in WHERE, so the GIN index serves it
    private static final String SEARCH = """
            select id, title, body, url
              from articles
             where workspace_id = $1 and search @@ to_tsquery('simple', $2::text)
             order by ts_rank(search, to_tsquery('simple', $2::text)) desc, created_at desc, id
             limit %d""".formatted(SEARCH_LIMIT);

    private static final String BY_ID = "select id, title, body, url from articles where id = $1 and workspace_id = $2";

    private static final String INSERT = "insert into articles (id, workspace_id, title, body, url) values ($1, $2, $3, $4, $5)";

    private final Pool pool;

    public ArticleStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Articles holding every word of {@code q} in title or body (the last word as a prefix), best
     * ranked first; the newest when {@code q} is empty; none when {@code q} holds no word.
     */
    public Future<List<Article>> search(String workspaceId, String q) {
        UUID ws = UUID.fromString(workspaceId);
        if (q.isEmpty()) {
            return pool.preparedQuery(NEWEST).execute(Tuple.of(ws)).map(rs -> Rows.all(rs, ArticleStore::fromRow));
        }
        Optional<String> words = TextBlockStore.wordQuery(q);
        if (words.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return pool.preparedQuery(SEARCH)
                .execute(Tuple.of(ws, words.get()))
                .map(rs -> Rows.all(rs, ArticleStore::fromRow));
    }

    /** An article of the workspace; empty for an unknown or malformed id. */
    public Future<Optional<Article>> byId(String workspaceId, String id) {
        Optional<UUID> uuid = Ids.parse(id);
        if (uuid.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery(BY_ID)
                .execute(Tuple.of(uuid.get(), UUID.fromString(workspaceId)))
                .map(rs -> Rows.first(rs, ArticleStore::fromRow));
    }

    public Future<Article> create(String workspaceId, String title, String body, String url) {
        UUID id = Ids.newId();
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(id, UUID.fromString(workspaceId), title, body, url))
                .map(rs -> new Article(id.toString(), title, body, url));
    }

    static Article fromRow(Row r) {
        return new Article(r.getUUID("id").toString(), r.getString("title"), r.getString("body"), r.getString("url"));
    }
}
