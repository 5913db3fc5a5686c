package io.switchboard.store.pg;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One write statement run for many callers at once: what arrives while earlier batches are in
 * flight goes out together as one batch, in one round trip and one transaction, so one commit (one
 * WAL flush) stores them all. With little traffic every call goes out alone at once, so batching
 * adds no wait; under load the batches grow by themselves.
 *
 * <p>A batch is all or nothing: if any of its statements fails, each is run again alone, so one
 * caller's error (a retried clientMsgId, say) never becomes another's. Statements of a batch run in
 * the order of their keys, so that two batches never lock the same rows in opposite orders.
 *
 * <p>Thread-safe; each caller's future completes on the caller's own context.
 */
final class BatchedStatement {
    private static final int MAX_BATCH = 128;

    private record Call(Tuple params, String key, Promise<RowSet<Row>> promise, Context context) {
    }

    private final Pool pool;
    private final String sql;
    private final int maxInFlight;
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private int inFlight;

    BatchedStatement(Pool pool, String sql, int maxInFlight) {
        this.pool = pool;
        this.sql = sql;
        this.maxInFlight = maxInFlight;
    }

    /** Runs the statement with these parameters; {@code key} orders statements within a batch (the row they lock). */
    Future<RowSet<Row>> execute(Tuple params, String key) {
        Promise<RowSet<Row>> promise = Promise.promise();
        Call call = new Call(params, key, promise, Vertx.currentContext());
        List<Call> batch;
        synchronized (this) {
            waiting.add(call);
            batch = nextBatch();
        }
        if (batch != null) {
            run(batch);
        }
        return promise.future();
    }

    /** The calls to send now, or null when enough batches are in flight (their completion sends the rest). */
    private List<Call> nextBatch() {
        if (waiting.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        inFlight++;
        List<Call> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
        while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    private void run(List<Call> batch) {
        Future<?> done;
        if (batch.size() == 1) {
            Call c = batch.get(0);
            done = pool.preparedQuery(sql).execute(c.params()).andThen(ar -> complete(c, ar.result(), ar.cause()));
        } else {
            batch.sort(Comparator.comparing(Call::key));
            List<Tuple> params = new ArrayList<>(batch.size());
            batch.forEach(c -> params.add(c.params()));
            done = pool.preparedQuery(sql).executeBatch(params).transform(ar -> {
                if (ar.succeeded()) {
                    RowSet<Row> rs = ar.result();
                    for (Call c : batch) {
                        complete(c, rs, null);
                        rs = rs.next();
                    }
                    return Future.succeededFuture();
                }
                // The whole batch was rolled back: each statement again, alone, gets its own answer.
                List<Future<RowSet<Row>>> alone = new ArrayList<>(batch.size());
                for (Call c : batch) {
                    alone.add(pool.preparedQuery(sql).execute(c.params()).andThen(r -> complete(c, r.result(), r.cause())));
                }
                return Future.join(alone);
            });
        }
        done.onComplete(ar -> {
            List<Call> next;
            synchronized (this) {
                inFlight--;
                next = nextBatch();
            }
            if (next != null) {
                run(next);
            }
        });
    }

    private static void complete(Call c, RowSet<Row> rows, Throwable failure) {
        Runnable finish = () -> {
            if (failure != null) {
                c.promise().fail(failure);
            } else {
                c.promise().complete(rows);
            }
        };
        if (c.context() == null || c.context() == Vertx.currentContext()) {
            finish.run();
        } else {
            c.context().runOnContext(v -> finish.run());
        }
    }
}
