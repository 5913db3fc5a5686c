package io.switchboard.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One ordered lane per key (a conversation): work submitted for a key runs after the previous work
 * for that key has finished, so that seq allocation, acks and deliveries of one conversation leave in
 * order, while different conversations run in parallel. A job's deliveries belong inside the job.
 *
 * <p>Thread-safe. An idle key holds no memory.
 */
public final class Lanes {
    private final ConcurrentHashMap<String, Future<Void>> tails = new ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Promise<Void>> idleWaiters = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public <T> Future<T> submit(String key, Supplier<Future<T>> job) {
        Promise<Void> done = Promise.promise();
        Future<Void> previous = tails.put(key, done.future());
        Future<T> result = (previous == null ? Future.<Void>succeededFuture() : previous)
                .transform(ignored -> {
                    try {
                        return job.get();
                    } catch (RuntimeException e) {
                        return Future.failedFuture(e);
                    }
                });
        result.onComplete(ar -> {
            tails.remove(key, done.future());
            done.complete();
            if (tails.isEmpty()) {
                wakeIdleWaiters();
            }
        });
        return result;
    }

    /** Completes once no lane has work: at once when idle, else when the last job ends (shutdown). */
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
