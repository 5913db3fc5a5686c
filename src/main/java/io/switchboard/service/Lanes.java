package io.switchboard.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One ordered lane per key (a conversation), so that seq allocation, acks and deliveries of one
 * conversation leave in order while different conversations run in parallel.
 *
 * <p>Work has two steps, each taken in the lane's order: {@code enter} starts the work (a message is
 * checked and queued for its batch of appends, which fixes its seq) and hands back the rest of it
 * under way; {@code finish} (the announcement) runs on its result once the previous work's finish has
 * run. So a conversation's next message joins the batches while the one before it is still being
 * committed: a lane that waited for each commit carried one message per commit (under load a
 * conversation's messages queued behind one another for a commit each, and after a stall of the
 * disk it drained one batch round per message). {@link #submit} is the strict form: the next work
 * enters only when this one has finished. The caller of a work hears of its outcome before the key's
 * next work finishes (strict: starts), so what the caller does with it (an ack) keeps the lane's order.
 *
 * <p>Thread-safe. An idle key holds no memory.
 */
public final class Lanes {
    /** The last work of a key: when it has entered, and when it has finished. */
    private record Tail(Future<Void> entered, Future<Void> finished) {
    }

    private static final Tail IDLE = new Tail(Future.succeededFuture(), Future.succeededFuture());

    private final ConcurrentHashMap<String, Tail> tails = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Promise<Void>> idleWaiters = new ConcurrentLinkedQueue<>();

    /** Strict: {@code job} starts after the previous work of {@code key} has finished. */
    public <T> Future<T> submit(String key, Supplier<Future<T>> job) {
        return enqueue(key, true, () -> job.get().map(Future::succeededFuture), Function.identity());
    }

    /**
     * Pipelined: {@code enter} starts after the previous work of {@code key} has entered, and its
     * future's value is the rest of the work, under way; {@code finish} runs on that work's result
     * after the previous work of {@code key} has finished. A failure anywhere fails this work only.
     */
    public <A, T> Future<T> pipeline(String key, Supplier<Future<Future<A>>> enter, Function<A, T> finish) {
        return enqueue(key, false, enter, finish);
    }

    private <A, T> Future<T> enqueue(String key, boolean strict, Supplier<Future<Future<A>>> enter, Function<A, T> finish) {
        Promise<Void> entered = Promise.promise();
        Promise<Void> finished = Promise.promise();
        Tail mine = new Tail(entered.future(), finished.future());
        Tail previous = tails.put(key, mine);
        Tail before = previous == null ? IDLE : previous;
        Future<Future<A>> started = (strict ? before.finished() : before.entered()).transform(ignored -> {
            try {
                return enter.get();
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
        started.onComplete(ar -> entered.complete());
        // The caller hears of this work (its ack is written) before the next work of the key may
        // finish: completing `finished` runs the next work's finish, and the one after it, at once and
        // from inside this listener when they waited for this one, so a listener of the caller's on
        // the same future would have heard after all of them, and the acks left in reverse.
        // (`finish` runs here too, so the caller's future takes the place of a map's: no extra future per work.)
        Promise<T> out = Promise.promise();
        before.finished().transform(ignored -> started.compose(rest -> rest)).onComplete(ar -> {
            T value = null;
            Throwable failure = ar.cause();
            if (ar.succeeded()) {
                try {
                    value = finish.apply(ar.result());
                } catch (Throwable e) { // as Future.map did: whatever it throws, the lane still finishes
                    failure = e;
                }
            }
            if (failure == null) {
                out.complete(value);
            } else {
                out.fail(failure);
            }
            tails.remove(key, mine);
            finished.complete();
            if (tails.isEmpty()) {
                wakeIdleWaiters();
            }
        });
        return out.future();
    }

    /** Completes once no lane has work: at once when idle, else when the last work ends (shutdown). */
    public Future<Void> idle() {
        Promise<Void> p = Promise.promise();
        idleWaiters.add(p);
        if (tails.isEmpty()) {
            wakeIdleWaiters();
        }
        return p.future();
    }

    private void wakeIdleWaiters() {
        Promise<Void> p;
        while ((p = idleWaiters.poll()) != null) {
            p.tryComplete();
        }
    }
}
