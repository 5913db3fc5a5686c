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
import java.util.List;
import java.util.function.Function;

/**
 * One statement run for many callers at once: what arrives while earlier batches are in flight goes
 * out together as one batch, in one round trip. For writes that is one transaction, so one commit
 * (one WAL flush) stores them all; for reads, one query instead of one per caller waiting in the
 * pool's queue (a reconnect storm asks the same few reads of 10,000 customers at once). With little
 * traffic every call goes out alone at once, so batching adds no wait; under load the batches grow
 * by themselves.
 *
 * <p>A batch is all or nothing: if it fails, each call is run again alone, so one caller's error (a
 * retry racing its original on another node, say) never becomes another's. Expected outcomes belong
 * in the batch's results instead: a rolled-back batch costs a commit per call.
 *
 * <p>Thread-safe; each caller's future completes on the caller's own context.
 *
 * @param <I> one caller's input
 * @param <O> one caller's result
 */
final class Batcher<I, O> {
    /** Calls in one batch unless a batcher says otherwise: a statement's arrays and result stay small. */
    private static final int MAX_BATCH = 128;

    private record Call<I, O>(I input, Promise<O> promise, Context context) {
    }

    private final Function<List<I>, Future<List<O>>> run;
    private final int maxInFlight;
    private final int maxBatch;
    private final ArrayDeque<Call<I, O>> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param run         runs a batch in one transaction; its results are in the order of its inputs
     * @param maxInFlight batches in flight at once (a share of the pool's connections)
     */
    Batcher(Function<List<I>, Future<List<O>>> run, int maxInFlight) {
        this(run, maxInFlight, MAX_BATCH);
    }

    /** @param maxBatch calls in one batch at most; the rest wait for the next */
    Batcher(Function<List<I>, Future<List<O>>> run, int maxInFlight, int maxBatch) {
        this.run = run;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
    }

    /** One statement for many callers: a batch goes out as one pipelined {@code executeBatch}. */
    static Batcher<Tuple, RowSet<Row>> statement(Pool pool, String sql, int maxInFlight) {
        return new Batcher<>(params -> params.size() == 1
                ? pool.preparedQuery(sql).execute(params.get(0)).map(List::of)
                : pool.preparedQuery(sql).executeBatch(params).map(rs -> {
                    List<RowSet<Row>> each = new ArrayList<>(params.size());
                    for (RowSet<Row> r = rs; r != null; r = r.next()) {
                        each.add(r);
                    }
                    return each;
                }), maxInFlight);
    }

    Future<O> submit(I input) {
        Promise<O> promise = Promise.promise();
        Call<I, O> call = new Call<>(input, promise, Vertx.currentContext());
        List<Call<I, O>> batch;
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
    private List<Call<I, O>> nextBatch() {
        if (waiting.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        inFlight++;
        List<Call<I, O>> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            batch.add(waiting.poll());
        }
        return batch;
    }

    private void run(List<Call<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(c -> inputs.add(c.input()));
        run.apply(inputs).onComplete(ar -> {
            if (ar.succeeded()) {
                // Answered, the batch is done with the database: the next one goes out before this one's
                // callers run, so that the database works on it while they do. Their work (fanning the
                // messages out to sockets) was a quarter of the one writer's cycle at 10,000 msg/s, time
                // in which the writer had nothing in Postgres (docs/benchmarks-log.md).
                finished();
                List<O> results = ar.result();
                for (int i = 0; i < batch.size(); i++) {
                    complete(batch.get(i), results.get(i), null);
                }
            } else if (batch.size() == 1) {
                finished();
                complete(batch.get(0), null, ar.cause());
            } else {
                // The whole batch was rolled back: each call again, alone, gets its own answer. One after
                // another, in arrival order, so that a failed batch holds no more connections than it did.
                Future<Void> alone = Future.succeededFuture();
                for (Call<I, O> c : batch) {
                    alone = alone.transform(x -> run.apply(List.of(c.input()))
                            .andThen(r -> complete(c, r.succeeded() ? r.result().get(0) : null, r.cause()))
                            .transform(r -> Future.<Void>succeededFuture()));
                }
                alone.onComplete(x -> finished());
            }
        });
    }

    /** A batch is done with the database: the calls that waited meanwhile go out. */
    private void finished() {
        List<Call<I, O>> next;
        synchronized (this) {
            inFlight--;
            next = nextBatch();
        }
        if (next != null) {
            run(next);
        }
    }

    private static <I, O> void complete(Call<I, O> c, O result, Throwable failure) {
        Runnable finish = () -> {
            if (failure != null) {
                c.promise().fail(failure);
            } else {
                c.promise().complete(result);
            }
        };
        if (c.context() == null || c.context() == Vertx.currentContext()) {
            finish.run();
        } else {
            c.context().runOnContext(v -> finish.run());
        }
    }
}
