package io.switchboard.store.pg;

import io.switchboard.domain.Visitor;
import io.switchboard.domain.Widget;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Visitors (customers). A visitor is known by a random token kept in its browser; only the
 * token's SHA-256 is stored.
 */
public final class VisitorStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new visitor and the token to hand to it once. */
    public record Created(Visitor visitor, String token) {
    }

    /**
     * A new visitor's commit does not wait for the disk (synchronous_commit off for its own
     * transaction): it is on disk before anything the visitor says, because WAL is flushed in order
     * and every message commits synchronously. A crash of Postgres can lose only a visitor that has
     * said nothing, whose widget then finds its token unknown and starts afresh as a new visitor. The
     * connect no longer waits for a WAL flush, and the disk has one flush fewer per new customer to
     * do in front of the commits that do wait (a first message's).
     */
    private static final String INSERT = """
            with quick as (select set_config('synchronous_commit', 'off', true))
            insert into visitors (id, workspace_id, widget_id, token_hash, name, email)
            select $1, $2, $3, $4, $5, $6 from quick""";

    private final Pool pool;
    /** New visitors arrive in bursts (a page with the widget, a reconnect storm): their inserts share commits. */
    private final Batcher<Tuple, RowSet<Row>> inserts;
    /** Each lookup's visitor, or null for a token of no visitor of that workspace. */
    private final Batcher<Lookup, Visitor> lookups;

    public VisitorStore(Pool pool) {
        this.pool = pool;
        this.inserts = Batcher.statement(pool, INSERT, 2);
        this.lookups = new Batcher<>(this::byTokenAll, 2);
    }

    public Future<Created> create(Widget widget, String name, String email) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = "vt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        UUID id = Ids.newId();
        return inserts.submit(Tuple.of(id, UUID.fromString(widget.workspaceId()), UUID.fromString(widget.id()),
                        Buffer.buffer(hash(token)), name, email))
                .map(rs -> new Created(new Visitor(id.toString(), widget.workspaceId(), widget.id(), name, email), token));
    }

    /**
     * The visitor holding this token, if it belongs to the widget's workspace. Every customer socket
     * is resolved so, and after a reconnect storm 10,000 at once: the lookups that arrive while one
     * read is in flight go out together as the next read, instead of one query each queued in the pool.
     */
    public Future<Optional<Visitor>> byToken(String workspaceId, String token) {
        return lookups.submit(new Lookup(Buffer.buffer(hash(token)), UUID.fromString(workspaceId))).map(Optional::ofNullable);
    }

    private record Lookup(Buffer tokenHash, UUID workspaceId) {
    }

    /** $1/$2: each lookup's token hash and workspace; a token of no visitor there has no row. */
    private static final String BY_TOKENS = """
            select q.ord as q_ord, v.id, v.workspace_id, v.widget_id, v.name, v.email
              from unnest($1::bytea[], $2::uuid[]) with ordinality as q(token_hash, workspace_id, ord)
              join visitors v on v.token_hash = q.token_hash and v.workspace_id = q.workspace_id""";

    private Future<List<Visitor>> byTokenAll(List<Lookup> batch) {
        int n = batch.size();
        Buffer[] hashes = new Buffer[n];
        UUID[] workspaces = new UUID[n];
        for (int i = 0; i < n; i++) {
            hashes[i] = batch.get(i).tokenHash();
            workspaces[i] = batch.get(i).workspaceId();
        }
        return pool.preparedQuery(BY_TOKENS).execute(Tuple.tuple().addValue(hashes).addValue(workspaces))
                .map(rs -> Rows.byOrd(rs, n, "q_ord", VisitorStore::fromRow));
    }

    /** The visitor holding this token, in any workspace (HTTP calls carry no widget key). */
    public Future<Optional<Visitor>> byToken(String token) {
        return pool.preparedQuery("select id, workspace_id, widget_id, name, email from visitors where token_hash = $1")
                .execute(Tuple.of(Buffer.buffer(hash(token))))
                .map(rs -> Rows.first(rs, VisitorStore::fromRow));
    }

    /** Records a name or e-mail the widget passed on a later visit (null: unchanged). */
    public Future<Visitor> updateContact(Visitor v, String name, String email) {
        if ((name == null || name.equals(v.name())) && (email == null || email.equals(v.email()))) {
            return Future.succeededFuture(v);
        }
        return pool.preparedQuery("update visitors set name = coalesce($2, name), email = coalesce($3, email) where id = $1")
                .execute(Tuple.of(UUID.fromString(v.id()), name, email))
                .map(rs -> new Visitor(v.id(), v.workspaceId(), v.widgetId(),
                        name == null ? v.name() : name, email == null ? v.email() : email));
    }

    static Visitor fromRow(Row r) {
        return new Visitor(r.getUUID("id").toString(), r.getUUID("workspace_id").toString(),
                r.getUUID("widget_id").toString(), r.getString("name"), r.getString("email"));
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
