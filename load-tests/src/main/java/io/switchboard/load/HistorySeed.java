package io.switchboard.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlClient;

import java.util.concurrent.TimeUnit;

/**
 * Gives the server's database a history before a run, as an install that has served for a while
 * has one: {@code count} earlier messages, 50 in each of {@code count / 50} conversations, spread
 * evenly over the 30 days before now. Only the messages: they are what every append's indexes grow
 * with (docs/benchmarks-log.md, "Time-ordered message ids"). Their ids are random (an install that
 * ran a build before time-ordered message ids) or time-ordered (one that ran this build). Ends with
 * {@code vacuum analyze} and a checkpoint, so the run starts with the table's statistics known and
 * its WAL written out.
 *
 * <p>Usage: {@code seed-history POSTGRES_URL COUNT random|ordered}
 */
final class HistorySeed {
    private static final long THIRTY_DAYS_MS = 30L * 24 * 3600 * 1000;
    private static final String RANDOM_ID = "gen_random_uuid()";
    /** The epoch milliseconds of the message's time, then random hex: as Ids.newOrderedId orders. */
    private static final String ORDERED_ID = "(lpad(to_hex(t.at), 12, '0') || substr(md5(random()::text), 1, 20))::uuid";
    /**
     * Message {@code (n - 1) * 50 + s} of the history is at {@code first + ((n - 1) * 50 + s) * step}
     * ms. (Postgres evaluates {@code c}'s random ids once per conversation: a subquery with volatile
     * columns is not merged into the query around it.)
     */
    private static final String INSERT = """
            insert into messages (id, conversation_id, seq, at, author_type, author_id, author_name, kind, text, client_msg_id)
            select %s, c.id, s, to_timestamp(t.at / 1000.0), 'customer', c.visitor, 'Visitor', 'text',
                   repeat('x', 120), md5(random()::text)
              from (select n, gen_random_uuid() as id, gen_random_uuid() as visitor from generate_series(1, %d) n) c
                   cross join generate_series(1, 50) s
                   cross join lateral (select %d + ((c.n - 1) * 50 + s)::bigint * %d as at) t""";

    private HistorySeed() {
    }

    static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[2].matches("random|ordered")) {
            System.err.println("usage: seed-history POSTGRES_URL COUNT random|ordered");
            System.exit(2);
        }
        long conversations = Math.max(1, Long.parseLong(args[1]) / 50);
        String id = args[2].equals("random") ? RANDOM_ID : ORDERED_ID;
        long first = System.currentTimeMillis() - THIRTY_DAYS_MS;
        long step = Math.max(1, THIRTY_DAYS_MS / (conversations * 50));
        PgConnectOptions options = PgConnectOptions.fromUri(args[0]);
        Vertx vertx = Vertx.vertx();
        long start = System.nanoTime();
        SqlClient pg = PgBuilder.client().connectingTo(options).using(vertx).build();
        try {
            Future<?> done = pg.query(INSERT.formatted(id, conversations, first, step)).execute()
                    .compose(r -> pg.query("vacuum analyze messages").execute())
                    .compose(r -> pg.query("checkpoint").execute())
                    .eventually(pg::close);
            done.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        } finally {
            vertx.close();
        }
        System.out.printf("history: %d earlier messages with %s ids in %d conversations, %.0f s%n",
                conversations * 50, args[2], conversations, (System.nanoTime() - start) / 1e9);
    }
}
