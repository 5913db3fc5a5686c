package io.switchboard.testing;

import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a Vert.x future from a test's own thread. */
public final class Futures {
    private Futures() {
    }

    /** The future's result, within 10 s; its failure comes as the {@link ExecutionException}'s cause. */
    public static <T> T await(Future<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
