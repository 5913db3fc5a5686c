package io.switchboard.store.pg;

import io.switchboard.domain.Failure;
import io.switchboard.domain.TextBlock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text blocks (the templates agents find by typing {@code #}) and their search. Visibility is
 * passed in as the set of the caller's team ids ({@code null}: every block of the workspace, for
 * admins); a block of a team the caller is not in does not exist for it.
 */
public final class TextBlockStore {
    /** Results of one search, and of the listing for an empty query. */
    public static final int SEARCH_LIMIT = 10;
    /** The longest shortcut; the prefix search's upper bound relies on it. */
    public static final int MAX_SHORTCUT = 40;

    private static final String COLUMNS = "id, team_id, shortcut, title, body";
    // $2: the caller's team ids, null for an admin
    private static final String VISIBLE = "($2::uuid[] is null or team_id is null or team_id = any($2))";

    /*
     * Shortcuts compare byte-wise ("using ~<~", the order of text_pattern_ops): that is the order of
     * the text_blocks_shortcut_ix index, and it does not depend on the database's collation.
     */
    private static final String FIRST = """
            select id, team_id, shortcut, title, body
              from text_blocks
             where workspace_id = $1 and %s
             order by lower(shortcut) using ~<~, id
             limit %d""".formatted(VISIBLE, SEARCH_LIMIT);

    /*
     * One statement, two groups. by_shortcut: shortcuts starting with $3 (case-insensitive), shortest
     * first; the range [p, p || U+10FFFF x 41) holds exactly the strings of at most 40 code points
     * that start with p, and unlike "like $3" it stays an index range under a generic plan.
     * by_words: blocks whose title and body hold every word of the tsquery $4 (null: none), best
     * ts_rank first, minus those already found by shortcut. The tsquery stays an expression in the
     * WHERE clause (not a function in FROM) so that the GIN index text_blocks_search_ix serves it.
     */
    private static final String SEARCH = """
            with by_shortcut as (
                select id, team_id, shortcut, title, body,
                       row_number() over (order by length(shortcut), lower(shortcut) using ~<~, id) as pos
                  from text_blocks
                 where workspace_id = $1 and %1$s
                   and lower(shortcut) ~>=~ lower($3)
                   and lower(shortcut) ~<~ (lower($3) || repeat(chr(1114111), %2$d))
                 order by pos
                 limit %3$d
            ), by_words as (
                select id, team_id, shortcut, title, body,
                       row_number() over (order by ts_rank(search, to_tsquery('simple', $4::text)) desc,
                                                   lower(shortcut) using ~<~, id) as pos
                  from text_blocks
                 where workspace_id = $1 and %1$s
                   and search @@ to_tsquery('simple', $4::text)
                   and id not in (select id from by_shortcut)
                 order by pos
                 limit %3$d
            )
            select id, team_id, shortcut, title, body
              from (select *, 0 as grp from by_shortcut union all select *, 1 as grp from by_words) found
             order by grp, pos
             limit %3$d""".formatted(VISIBLE, MAX_SHORTCUT + 1, SEARCH_LIMIT);

    private static final String BY_ID = "select " + COLUMNS + " from text_blocks where id = $3 and workspace_id = $1 and "
            + VISIBLE;

    private static final String INSERT = """
            insert into text_blocks (id, workspace_id, team_id, shortcut, title, body)
            select $1, $2, $3, $4, $5, $6
             where $3::uuid is null or exists (select 1 from teams where id = $3 and workspace_id = $2)""";

    private static final String TEAM_OF_WORKSPACE = "select 1 from teams where id = $1 and workspace_id = $2";

    private static final String UPDATE = """
            update text_blocks
               set team_id = coalesce($3::uuid, team_id),
                   shortcut = coalesce($4, shortcut),
                   title = coalesce($5, title),
                   body = coalesce($6, body),
                   updated_at = now()
             where id = $1 and workspace_id = $2
            returning id, team_id, shortcut, title, body""";

    private static final String DELETE = "delete from text_blocks where id = $1 and workspace_id = $2";

    /** A word for the text search: letters (accented too) and digits, nothing the tsquery syntax gives a meaning to. */
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*");
    private static final int MAX_WORDS = 16;

    private final Pool pool;

    public TextBlockStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * At most {@value #SEARCH_LIMIT} blocks for what the agent typed after {@code #}: shortcuts that
     * start with {@code q} first (shortest, then alphabetical), then blocks whose title and body hold
     * every word of {@code q} (the last one as a prefix), best ranked first. An empty {@code q} lists
     * the first blocks by shortcut.
     *
     * @param q       trimmed, without the leading {@code #}; may be empty
     * @param teamIds the caller's teams, or null to see every block of the workspace
     */
    public Future<List<TextBlock>> search(String workspaceId, Set<String> teamIds, String q) {
        UUID ws = UUID.fromString(workspaceId);
        UUID[] teams = teamArray(teamIds);
        if (q.isEmpty()) {
            return pool.preparedQuery(FIRST)
                    .execute(Tuple.tuple().addValue(ws).addValue(teams))
                    .map(rs -> Rows.all(rs, TextBlockStore::fromRow));
        }
        String words = wordQuery(q).orElse(null);
        return pool.preparedQuery(SEARCH)
                .execute(Tuple.tuple().addValue(ws).addValue(teams).addValue(q).addValue(words))
                .map(rs -> Rows.all(rs, TextBlockStore::fromRow));
    }

    /** A block the caller may see. */
    public Future<Optional<TextBlock>> byId(String workspaceId, Set<String> teamIds, String id) {
        Optional<UUID> uuid = Ids.parse(id);
        if (uuid.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return pool.preparedQuery(BY_ID)
                .execute(Tuple.tuple().addValue(UUID.fromString(workspaceId)).addValue(teamArray(teamIds)).addValue(uuid.get()))
                .map(rs -> Rows.first(rs, TextBlockStore::fromRow));
    }

    /**
     * Inserts a block; {@code bad_request} when {@code teamId} is not a team of the workspace,
     * {@code conflict} when the shortcut is taken in the same scope (the workspace, or that team).
     */
    public Future<TextBlock> create(String workspaceId, String teamId, String shortcut, String title, String body) {
        Optional<UUID> team = Ids.parse(teamId);
        if (teamId != null && team.isEmpty()) {
            return Future.failedFuture(notATeam());
        }
        UUID id = Ids.newId();
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(id, UUID.fromString(workspaceId), team.orElse(null), shortcut, title, body))
                .recover(TextBlockStore::conflictOnDuplicate)
                .compose(rs -> rs.rowCount() == 0
                        ? Future.failedFuture(notATeam())
                        : Future.succeededFuture(new TextBlock(id.toString(), teamId, shortcut, title, body)));
    }

    /** Changes the given fields (null: unchanged); {@code not_found}, {@code bad_request}, {@code conflict} as for create. */
    public Future<TextBlock> update(String workspaceId, String id, String teamId, String shortcut, String title, String body) {
        Optional<UUID> uuid = Ids.parse(id);
        if (uuid.isEmpty()) {
            return Future.failedFuture(notFound());
        }
        Optional<UUID> team = Ids.parse(teamId);
        if (teamId != null && team.isEmpty()) {
            return Future.failedFuture(notATeam());
        }
        UUID ws = UUID.fromString(workspaceId);
        Future<Void> teamChecked = team.isEmpty() ? Future.succeededFuture()
                : pool.preparedQuery(TEAM_OF_WORKSPACE).execute(Tuple.of(team.get(), ws))
                .compose(rs -> rs.rowCount() == 0 ? Future.failedFuture(notATeam()) : Future.succeededFuture());
        return teamChecked
                .compose(v -> pool.preparedQuery(UPDATE)
                        .execute(Tuple.tuple().addValue(uuid.get()).addValue(ws).addValue(team.orElse(null))
                                .addValue(shortcut).addValue(title).addValue(body)))
                .recover(TextBlockStore::conflictOnDuplicate)
                .compose(rs -> Rows.first(rs, TextBlockStore::fromRow)
                        .map(Future::succeededFuture)
                        .orElseGet(() -> Future.failedFuture(notFound())));
    }

    /** Deletes a block of the workspace; {@code not_found} when there is none. */
    public Future<Void> delete(String workspaceId, String id) {
        Optional<UUID> uuid = Ids.parse(id);
        if (uuid.isEmpty()) {
            return Future.failedFuture(notFound());
        }
        return pool.preparedQuery(DELETE)
                .execute(Tuple.of(uuid.get(), UUID.fromString(workspaceId)))
                .compose(rs -> rs.rowCount() == 0 ? Future.failedFuture(notFound()) : Future.succeededFuture());
    }

    /**
     * The tsquery text (for {@code to_tsquery('simple', ...)}) that asks for every word of free text,
     * the last one as a prefix ({@code "refund polic"} gives {@code "refund & polic:*"}); empty when
     * the text holds no word. Only letters and digits pass, so user input never reaches the tsquery
     * syntax.
     */
    public static Optional<String> wordQuery(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = WORD.matcher(Normalizer.normalize(text, Normalizer.Form.NFC));
        List<String> words = new ArrayList<>();
        while (m.find() && words.size() < MAX_WORDS) {
            words.add(m.group());
        }
        if (words.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" & ", words) + ":*");
    }

    static TextBlock fromRow(Row r) {
        return new TextBlock(r.getUUID("id").toString(), Rows.uuid(r, "team_id"), r.getString("shortcut"),
                r.getString("title"), r.getString("body"));
    }

    private static UUID[] teamArray(Set<String> teamIds) {
        return teamIds == null ? null : teamIds.stream().map(UUID::fromString).toArray(UUID[]::new);
    }

    private static <T> Future<T> conflictOnDuplicate(Throwable t) {
        return Future.failedFuture(PgErrors.isUniqueViolation(t)
                ? Failure.conflict("a text block with this shortcut already exists here") : t);
    }

    private static Failure notFound() {
        return Failure.notFound("no such text block");
    }

    private static Failure notATeam() {
        return Failure.badRequest("teamId is not a team of this workspace");
    }
}
