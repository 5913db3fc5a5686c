package io.switchboard.store.pg;

import io.switchboard.domain.AttachmentRef;
import io.switchboard.domain.Author;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Message;
import io.switchboard.domain.MessageKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Customer-visible messages. {@link #append} allocates the next {@code seq} and inserts the message
 * in one statement, so the counter and the row commit together and seq has no gaps.
 */
public final class MessageStore {

    /** Who may append, as the conditional update checks it. */
    public sealed interface Guard {
        /** The customer who owns the conversation. */
        record Visitor(String visitorId) implements Guard {
        }

        /** The assignee, or any agent of the workspace when {@code admin}. */
        record Agent(String agentId, String workspaceId, boolean admin) implements Guard {
        }

        /** The server itself (system messages). */
        record System() implements Guard {
        }
    }

    /**
     * A stored message and the state of its conversation after it; for a retried clientMsgId the
     * original message, {@code duplicate}, and no state (nothing changed, nothing to announce).
     */
    public record Appended(Message message, boolean duplicate, ConversationState conversation) {
    }

    /** The conversation refused the message (done, or not the sender's); the caller explains why. */
    public static final class Refused extends RuntimeException {
        public Refused() {
            super(null, null, false, false);
        }
    }

    /**
     * Appends a batch of messages in one statement: the rows come as parallel arrays, {@code ord} is
     * each one's place in the batch. Their conversations are locked in id order (two batches never
     * wait for each other in a cycle) and read as they are now; a message whose conversation is done,
     * or whose sender the guard refuses, is left out (no row with its ord). A retried clientMsgId of
     * its sender is stored again nowhere and comes back as {@code m_dup}: found here rather than by
     * the unique index, whose violation would roll the whole batch back (after a reconnect storm
     * most batches hold such a retry, and were then re-run message by message). Messages to the same
     * conversation take consecutive seqs in batch order. One statement per batch instead of one per
     * message saves Postgres a fifth of its CPU per message (pgbench; see docs/benchmarks.md).
     *
     * <p>Each message's conversation comes from its locked row, carried along from {@code l}, not from
     * joining the update's result: the planner expects one row of every CTE, and joined them by a
     * nested loop that read the whole update's result again for every message, a third of the
     * statement's time at 128 messages (docs/benchmarks-log.md, "The append statement's plan").
     * Package-private for AppendPlanIT, which checks the plan a node's connection keeps for it.
     */
    static final String APPEND = """
            with i as (
                select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::uuid[],
                                     $7::text[], $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::uuid[],
                                     $13::boolean[], $14::jsonb[])
                       with ordinality as t(conv, id, client_msg_id, at, author_type, author_id, author_name, kind,
                                            text, attachment_id, visitor_guard, workspace_guard, admin, payload, ord)
            ), l as (
                select c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status, c.last_seq
                  from conversations c where c.id = any($1::uuid[]) order by c.id for update
            ), g as (
                select i.*, l.workspace_id as c_workspace, l.visitor_id as c_visitor, l.team_id as c_team,
                       l.assignee_id as c_assignee, l.status as c_status, l.last_seq as c_last_seq,
                       exists (select 1 from messages x where x.conversation_id = i.conv
                                  and x.author_id = i.author_id and x.client_msg_id = i.client_msg_id) as dup
                  from i join l on l.id = i.conv
                 where l.status <> 'done'
                   and (i.visitor_guard is null or l.visitor_id = i.visitor_guard)
                   and (i.workspace_guard is null or (l.workspace_id = i.workspace_guard and (i.admin or l.assignee_id = i.author_id)))
            ), ok as (
                select g.*, g.c_last_seq + row_number() over (partition by g.conv order by g.ord) as seq
                  from g where not g.dup
            ), m as (
                insert into messages (id, conversation_id, seq, at, author_type, author_id, author_name, kind, text,
                                      attachment_id, payload, client_msg_id)
                select id, conv, seq, at, author_type, author_id, author_name, kind, text, attachment_id, payload, client_msg_id
                  from ok
            ), u as (
                update conversations c set last_seq = x.seq, updated_at = x.at
                  from (select conv, max(seq) as seq, max(at) as at from ok group by conv) x
                 where c.id = x.conv
            )
            select ok.ord as m_ord, ok.seq as m_seq, false as m_dup, ok.conv as id, ok.c_workspace as workspace_id,
                   ok.c_visitor as visitor_id, ok.c_team as team_id, ok.c_assignee as assignee_id, ok.c_status as status
              from ok
            union all
            select g.ord, null, true, null, null, null, null, null, null from g where g.dup""";

    /** One message to append, as the statement takes it. */
    private record NewMessage(UUID conversation, UUID id, String clientMsgId, OffsetDateTime at, String authorType,
                              UUID authorId, String authorName, String kind, String text, UUID attachmentId,
                              UUID visitorGuard, UUID workspaceGuard, boolean admin, JsonObject payload) {
    }

    /** One retried message to find: its conversation, sender and clientMsgId. */
    private record Retry(UUID conversationId, UUID authorId, String clientMsgId) {
    }

    private static final String ORIGINALS = "select q.ord as q_ord, " + MessageRows.COLUMNS + """
              from unnest($1::uuid[], $2::uuid[], $3::text[]) with ordinality as q(conv, author, client_msg_id, ord)
              join messages m on m.conversation_id = q.conv and m.author_id = q.author and m.client_msg_id = q.client_msg_id
              left join attachments att on att.id = m.attachment_id""";

    /** Messages in one append statement at most. */
    private static final int APPEND_BATCH = 1024;

    private final Pool pool;
    /** Each message's row of the statement's result, or null when it was refused. */
    private final Batcher<NewMessage, Row> appends;
    /**
     * Customers' history pages that are asked for while one is being read go out together as one
     * query: after a reconnect storm every customer asks for one at once.
     */
    private final Batcher<Page, List<Message>> pages;
    /** The originals of retried messages, found together: after a storm nearly every resent message is one. */
    private final Batcher<Retry, Message> originals;

    public MessageStore(Pool pool) {
        this.pool = pool;
        // One batch of appends in flight at a time: what arrives meanwhile waits for it and goes out as
        // the next batch. Every commit is a WAL flush that costs Postgres a few hundred µs of CPU, so
        // fewer, bigger batches are what keeps it cool: at 2,000 and 4,000 msg/s one writer instead of
        // two cut the CPU per message by 13-22 % and p99 by a quarter to a half (docs/benchmarks.md).
        // It is also what gives a conversation's messages their seqs in the order append was called
        // (batches commit one after another, a batch in its own order), which the conversation's lane
        // relies on: it lets the next message in before this one is committed (Lanes.pipeline).
        // A batch may hold up to 1,024 messages: with one batch in flight, the most it carries a second
        // is its size over a round trip, and a round trip under load takes 10-20 ms (statement and
        // WAL flush), so 128 capped it near 7,000-8,000 msg/s whatever the machine had to spare; the
        // backlog then only grew. Measured: docs/benchmarks-log.md, "The append statement's plan".
        this.appends = new Batcher<>(this::appendAll, 1, APPEND_BATCH);
        this.pages = new Batcher<>(this::pagesAll, 2);
        this.originals = new Batcher<>(this::originalsAll, 1);
    }

    private Future<List<Row>> appendAll(List<NewMessage> batch) {
        int n = batch.size();
        UUID[] conv = new UUID[n], id = new UUID[n], authorId = new UUID[n], attachment = new UUID[n],
                visitorGuard = new UUID[n], workspaceGuard = new UUID[n];
        String[] clientMsgId = new String[n], authorType = new String[n], authorName = new String[n],
                kind = new String[n], text = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Boolean[] admin = new Boolean[n];
        JsonObject[] payload = new JsonObject[n];
        for (int i = 0; i < n; i++) {
            NewMessage r = batch.get(i);
            conv[i] = r.conversation();
            id[i] = r.id();
            clientMsgId[i] = r.clientMsgId();
            at[i] = r.at();
            authorType[i] = r.authorType();
            authorId[i] = r.authorId();
            authorName[i] = r.authorName();
            kind[i] = r.kind();
            text[i] = r.text();
            attachment[i] = r.attachmentId();
            visitorGuard[i] = r.visitorGuard();
            workspaceGuard[i] = r.workspaceGuard();
            admin[i] = r.admin();
            payload[i] = r.payload();
        }
        Tuple params = Tuple.tuple().addValue(conv).addValue(id).addValue(clientMsgId).addValue(at).addValue(authorType)
                .addValue(authorId).addValue(authorName).addValue(kind).addValue(text).addValue(attachment)
                .addValue(visitorGuard).addValue(workspaceGuard).addValue(admin).addValue(payload);
        return pool.preparedQuery(APPEND).execute(params).map(rs -> Rows.byOrd(rs, n, "m_ord", row -> row));
    }

    /**
     * Appends a message: queued for its batch before this returns, so messages of one conversation
     * appended one after another take their seqs in that order. A retried {@code clientMsgId} of the
     * same sender stores nothing and returns the original with {@code duplicate}. Fails with
     * {@link Refused} when the guard does not hold or the conversation is done.
     */
    public Future<Appended> append(String conversationId, Guard guard, Author author, MessageKind kind, String text,
                                   AttachmentRef attachment, Map<String, Object> payload, String clientMsgId, long now) {
        UUID id = Ids.newOrderedId();
        UUID conv = Ids.uuid(conversationId, "conversation");
        UUID authorId = author.id() == null ? null : UUID.fromString(author.id());
        UUID visitorGuard = guard instanceof Guard.Visitor v ? UUID.fromString(v.visitorId()) : null;
        UUID workspaceGuard = guard instanceof Guard.Agent a ? UUID.fromString(a.workspaceId()) : null;
        boolean admin = guard instanceof Guard.Agent a && a.admin();
        NewMessage one = new NewMessage(conv, id, clientMsgId, Ids.time(now), author.type(), authorId, author.name(), kind.wire(), text,
                attachment == null ? null : UUID.fromString(attachment.id()), visitorGuard, workspaceGuard, admin,
                payload == null ? null : new JsonObject(payload));
        return appends.submit(one)
                .compose(row -> {
                    if (row == null) {
                        throw new Refused();
                    }
                    if (row.getBoolean("m_dup")) {
                        return original(conversationId, author, clientMsgId);
                    }
                    ConversationState state = ConversationStore.stateFromRow(row);
                    Message m = new Message(id.toString(), conversationId, row.getLong("m_seq"), now, clientMsgId,
                            author, kind, text, attachment, payload);
                    return Future.succeededFuture(new Appended(m, false, state));
                })
                // a retry racing its original from another node, or twice in one batch
                .recover(t -> PgErrors.isUniqueViolation(t, "messages_client_msg_uq")
                        ? original(conversationId, author, clientMsgId)
                        : Future.failedFuture(t));
    }

    /**
     * The message a retried clientMsgId stored first, as a duplicate. A query of its own: returning the
     * original from the append statement (a left join, or a lateral one, per message of the batch)
     * tripled e2e p50 at 4,000 msg/s (4 → 13 ms), and retries are rare outside reconnect storms. Looked
     * up together with the other retries found meanwhile: after a storm nearly every resent message is one.
     */
    private Future<Appended> original(String conversationId, Author author, String clientMsgId) {
        return originals.submit(new Retry(UUID.fromString(conversationId), UUID.fromString(author.id()), clientMsgId))
                .map(m -> new Appended(Objects.requireNonNull(m, "a duplicate's original"), true, null));
    }

    private Future<List<Message>> originalsAll(List<Retry> batch) {
        int n = batch.size();
        UUID[] conv = new UUID[n], author = new UUID[n];
        String[] clientMsgId = new String[n];
        for (int i = 0; i < n; i++) {
            conv[i] = batch.get(i).conversationId();
            author[i] = batch.get(i).authorId();
            clientMsgId[i] = batch.get(i).clientMsgId();
        }
        return pool.preparedQuery(ORIGINALS).execute(Tuple.tuple().addValue(conv).addValue(author).addValue(clientMsgId))
                .map(rs -> Rows.byOrd(rs, n, "q_ord", MessageRows::fromRow));
    }

    /**
     * A visitor's own message with this clientMsgId in any of its conversations (a retry that outlived
     * its conversation). Found through the visitor's conversations and the per-conversation clientMsgId
     * index, so that messages need no index of their own for it.
     */
    public Future<Optional<Message>> byVisitor(String visitorId, String clientMsgId) {
        return pool.preparedQuery("select " + MessageRows.COLUMNS + """
                         from messages m left join attachments att on att.id = m.attachment_id
                         where m.conversation_id in (select c.id from conversations c where c.visitor_id = $1)
                           and m.author_id = $1 and m.client_msg_id = $2
                         order by m.at desc limit 1""")
                .execute(Tuple.of(UUID.fromString(visitorId), clientMsgId))
                .map(rs -> Rows.first(rs, MessageRows::fromRow));
    }

    /** Messages with seq greater than {@code afterSeq}, in seq order. */
    public Future<List<Message>> after(String conversationId, long afterSeq, int limit) {
        return pool.preparedQuery("select " + MessageRows.COLUMNS + """
                         from messages m left join attachments att on att.id = m.attachment_id where m.conversation_id = $1 and m.seq > $2 order by m.seq limit $3""")
                .execute(Tuple.of(Ids.uuid(conversationId, "conversation"), afterSeq, limit))
                .map(rs -> Rows.all(rs, MessageRows::fromRow));
    }

    /**
     * What {@link #after} returns, for the visitor who owns the conversation only ({@code not_found}
     * otherwise, as for a conversation that does not exist). The owner is checked in the same read: a
     * customer asks for this after every reconnect, ten thousand at once after a storm.
     */
    public Future<List<Message>> afterForVisitor(String visitorId, String conversationId, long afterSeq, int limit) {
        return pages.submit(new Page(Ids.uuid(conversationId, "conversation"), afterSeq, limit, UUID.fromString(visitorId)))
                .map(page -> {
                    if (page == null) {
                        throw Failure.notFound("no such conversation");
                    }
                    return page;
                });
    }

    private record Page(UUID conversationId, long afterSeq, int limit, UUID visitorId) {
    }

    /**
     * $1..$4: each page's conversation, afterSeq, limit and visitor. A page has one row with no message
     * when the conversation has none after its afterSeq, and none when it is not the visitor's.
     */
    private static final String PAGES_FOR_VISITORS = """
            select q.ord as q_ord, x.*
              from unnest($1::uuid[], $2::bigint[], $3::int[], $4::uuid[]) with ordinality as q(conv, after_seq, lim, visitor, ord)
              join conversations c on c.id = q.conv and c.visitor_id = q.visitor
              left join lateral (""" + "select " + MessageRows.COLUMNS + """
                                   from messages m left join attachments att on att.id = m.attachment_id
                                  where m.conversation_id = c.id and m.seq > q.after_seq order by m.seq limit q.lim) x on true
             order by q.ord, x.m_seq""";

    /** Each page's messages, or null when its conversation is not its visitor's. */
    private Future<List<List<Message>>> pagesAll(List<Page> batch) {
        int n = batch.size();
        UUID[] conv = new UUID[n], visitor = new UUID[n];
        Long[] after = new Long[n];
        Integer[] limit = new Integer[n];
        for (int i = 0; i < n; i++) {
            Page p = batch.get(i);
            conv[i] = p.conversationId();
            after[i] = p.afterSeq();
            limit[i] = p.limit();
            visitor[i] = p.visitorId();
        }
        return pool.preparedQuery(PAGES_FOR_VISITORS)
                .execute(Tuple.tuple().addValue(conv).addValue(after).addValue(limit).addValue(visitor))
                .map(rs -> {
                    List<List<Message>> pages = new ArrayList<>(Collections.nCopies(n, null));
                    for (Row r : rs) {
                        int i = r.getLong("q_ord").intValue() - 1;
                        if (pages.get(i) == null) {
                            pages.set(i, new ArrayList<>());
                        }
                        Message m = MessageRows.fromRow(r);
                        if (m != null) {
                            pages.get(i).add(m);
                        }
                    }
                    return pages;
                });
    }

    /** The latest {@code limit} messages, in seq order. */
    public Future<List<Message>> latest(String conversationId, int limit) {
        return pool.preparedQuery("select * from (select " + MessageRows.COLUMNS + """
                         from messages m left join attachments att on att.id = m.attachment_id where m.conversation_id = $1 order by m.seq desc limit $2) x order by m_seq""")
                .execute(Tuple.of(Ids.uuid(conversationId, "conversation"), limit))
                .map(rs -> Rows.all(rs, MessageRows::fromRow));
    }
}
