package io.switchboard.boot;

import io.switchboard.domain.Pools;
import io.switchboard.service.Passwords;
import io.switchboard.service.Tokens;
import io.switchboard.store.pg.WarmupStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's warm-up before it reports ready. A fresh JVM runs the message path interpreted until the
 * JIT has compiled it, and a cold node put under full load at once carried a fraction of its rate
 * for 12-15 s (at 6,000 msg/s it delivered 100-1,500 a second, p99 6 s: docs/benchmarks-log.md, "A cold
 * server at 6,000 msg/s"). So it first chats with itself, through its own port, routing, Redis and Postgres
 * ({@link WarmupTraffic}), until the JIT has compiled what the chat runs (on two cores that takes
 * about 30 s, the compiler busy all along) or for {@code warmup.seconds} at most, and then removes
 * every trace of the chat: its workspace, rows and Redis keys. {@code /health/ready} answers 503
 * meanwhile. A warm-up that fails is logged and the node is ready cold: it is an optimisation, not a
 * condition.
 */
final class Warmup {
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    static final int CUSTOMERS = 200;
    static final int AGENTS = 50;
    /** Room for a few more than their share, so that no customer waits in the queue. */
    private static final int MAX_CHATS = 5;
    private static final long MIN_INTERVAL_MS = 50;
    private static final long JIT_POLL_MS = 1000;
    /**
     * The JIT counts as settled when it compiled less than this, per poll, over the last
     * {@link #JIT_WINDOW} polls (a tenth of one compiler thread; it never stops altogether).
     */
    private static final long JIT_QUIET_MS_PER_POLL = 100;
    private static final int JIT_WINDOW = 3;

    private final Vertx vertx;
    private final Services services;
    private final Tokens tokens;
    private final int port;
    private final WarmupStore store;
    private final Promise<Void> cancelled = Promise.promise();
    private Future<Void> done;

    Warmup(Vertx vertx, Services services, Tokens tokens, int port) {
        this.vertx = vertx;
        this.services = services;
        this.tokens = tokens;
        this.port = port;
        this.store = new WarmupStore(services.pool());
    }

    /** How long a warm-up of {@code seconds} may take at most, cleaning up included. */
    static long limitMillis(int seconds) {
        return (3L * seconds + 90) * 1000;
    }

    /** Runs the warm-up (once); never fails (a failure is logged). */
    synchronized Future<Void> run() {
        if (done == null) {
            done = warmUp();
        }
        return done;
    }

    /**
     * Ends the warm-up early (the node is stopping): the chat winds down and its workspace is removed
     * as after a full warm-up. Returns when that is done.
     */
    Future<Void> cancel() {
        cancelled.tryComplete();
        return run();
    }

    private Future<Void> warmUp() {
        int seconds = services.config().warmupSeconds();
        if (seconds == 0) {
            return Future.succeededFuture();
        }
        long started = System.nanoTime();
        LOG.info("warming up: {} customers and {} agents chat over loopback until the JIT settles, {} s at most;"
                + " /health/ready says 503 until then", CUSTOMERS, AGENTS, seconds);
        return removeStale()
                .compose(n -> new Passwords(vertx).hash(Seeder.generatePassword()))
                .compose(hash -> cancelled.future().isComplete() ? Future.failedFuture("stopped before it began")
                        : store.create(services.nodeId(), AGENTS, MAX_CHATS, hash))
                .compose(space -> play(space, seconds).eventually(() -> remove(space)))
                .map(played -> {
                    LOG.info(cancelled.future().isComplete()
                                    ? "warm-up wound down early, the node is stopping: {} ms ({} customer and {} agent messages, refusals {})"
                                    : "ready: warmed up in {} ms ({} customer and {} agent messages, refusals {})",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), played.customerMessages(),
                            played.agentMessages(), played.errors());
                    return (Void) null;
                })
                .recover(t -> {
                    LOG.warn("ready, cold: the warm-up failed: {}", t.toString());
                    return Future.succeededFuture();
                });
    }

    private Future<WarmupTraffic.Played> play(WarmupStore.Space space, int seconds) {
        List<String> agentTokens = new ArrayList<>();
        space.agentIds().forEach(id -> agentTokens.add(tokens.issue(id)));
        String host = services.config().httpHost();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return new WarmupTraffic(vertx, host, port, interval(services.config().rateLimitPerSecond()), CUSTOMERS + AGENTS)
                .play(agentTokens, space.widgetKey(), CUSTOMERS, () -> jitSettled(seconds * 1000L), cancelled.future());
    }

    /**
     * A customer's least time between two messages: every socket, an agent's too (which answers up
     * to {@link #MAX_CHATS} customers), stays at half the configured rate limit or below.
     */
    static long interval(int rateLimitPerSecond) {
        if (rateLimitPerSecond <= 0) {
            return MIN_INTERVAL_MS;
        }
        return Math.max(MIN_INTERVAL_MS, (2000L * MAX_CHATS + rateLimitPerSecond - 1) / rateLimitPerSecond);
    }

    /**
     * Rows, then Redis keys (also when the rows could not be removed: the agents are offline and
     * routing state can be rebuilt); each failure is logged here, and the rows' one is returned. Every
     * request of the chat was answered before this, so nothing of it is still at work (a late append
     * waits for the removal's lock and is refused). An agent's lease that lands after its keys are
     * gone names an agent that no longer exists, which the presence sweep drops after the grace period.
     */
    private Future<Void> remove(WarmupStore.Space space) {
        List<String> pools = new ArrayList<>(List.of(Pools.of(space.workspaceId(), null)));
        if (space.teamId() != null) {
            pools.add(space.teamId());
        }
        return store.remove(space.workspaceId())
                .onFailure(t -> LOG.warn("could not remove warm-up workspace {}: {}", space.workspaceId(), t.toString()))
                .eventually(() -> services.presenceStore().forget(space.agentIds(), pools)
                        .onFailure(t -> LOG.warn("could not remove the warm-up's Redis keys: {}", t.toString())))
                .andThen(ar -> {
                    if (space.widgetKey() != null) {
                        services.auth().forgetWidget(space.widgetKey());
                    }
                });
    }

    /** Removes the warm-up workspaces that nodes stopped mid-warm-up left behind (an hour ago or more). */
    private Future<Void> removeStale() {
        return store.stale().compose(spaces -> {
            Future<Void> chain = Future.succeededFuture();
            for (WarmupStore.Space space : spaces) {
                chain = chain.compose(v -> remove(space));
            }
            return chain.onSuccess(v -> {
                if (!spaces.isEmpty()) {
                    LOG.info("removed {} warm-up workspace(s) left behind by nodes stopped while warming up", spaces.size());
                }
            });
        });
    }

    /**
     * Completes once the JIT compiles next to nothing while the chat goes on (it has compiled what the
     * chat runs), or after {@code maxMillis}.
     */
    private Future<Void> jitSettled(long maxMillis) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        Promise<Void> settled = Promise.promise();
        ArrayDeque<Long> compiled = new ArrayDeque<>(); // total compilation time at each poll, the last JIT_WINDOW + 1
        compiled.add(measurable ? jit.getTotalCompilationTime() : 0L);
        vertx.setPeriodic(JIT_POLL_MS, id -> {
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            compiled.add(measurable ? jit.getTotalCompilationTime() : 0L);
            if (compiled.size() > JIT_WINDOW + 1) {
                compiled.poll();
            }
            long recent = compiled.peekLast() - compiled.peekFirst();
            LOG.debug("warm-up {} ms: the JIT compiled {} ms in the last {} polls", waited, recent, compiled.size() - 1);
            boolean quiet = measurable && compiled.size() == JIT_WINDOW + 1 && recent < JIT_QUIET_MS_PER_POLL * JIT_WINDOW;
            if (quiet || waited >= maxMillis || cancelled.future().isComplete()) {
                vertx.cancelTimer(id);
                settled.tryComplete();
            }
        });
        return settled.future();
    }
}
