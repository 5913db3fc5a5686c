package io.switchboard.load;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connect-rate bench of the generator's WebSocket client alone: opens sockets at a series of rates
 * against a server speaking the protocol (the relay baseline, or Switchboard with a widget key) and
 * prints connect latency (intended time to hello) per step. Usage:
 * {@code connbench PORT URI RATE[,RATE...] SECONDS_PER_STEP [threads] [sources a,b] [mode sticky|spread]}.
 */
final class ConnBench {
    private ConnBench() {
    }

    static void main(String[] argv) throws Exception {
        int port = Integer.parseInt(argv[0]);
        String uri = argv[1];
        String[] rates = argv[2].split(",");
        double secs = Double.parseDouble(argv[3]);
        int threads = argv.length > 4 ? Integer.parseInt(argv[4]) : 2;
        String[] sources = argv.length > 5 ? argv[5].split(",") : new String[]{"127.0.0.1"};
        boolean spread = argv.length <= 6 || !argv[6].equals("sticky");
        Vertx vertx = System.getProperty("load.nio") != null ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads)) : ClientTransport.vertx(new VertxOptions().setEventLoopPoolSize(threads));
        System.out.println("transport " + ((io.vertx.core.internal.VertxInternal) vertx).transport().getClass().getSimpleName());
        List<WebSocketClient> clients = new ArrayList<>();
        for (String s : sources) {
            WebSocketClientOptions wo = new WebSocketClientOptions();
            if (!s.equals("none")) {
                wo.setLocalAddress(s);
            }
            clients.add(vertx.createWebSocketClient(wo.setMaxConnections(1_000_000)
                    .setConnectTimeout(15_000)));
        }
        Context[] ctxs = new Context[threads];
        for (int i = 0; i < threads; i++) {
            // one event-loop context per loop: connects are issued on the loops round-robin
            ctxs[i] = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
        }
        List<Conn> open = new ArrayList<>();
        int n = 0;
        for (String r : rates) {
            double rate = Double.parseDouble(r);
            int count = (int) (rate * secs);
            Histogram h = Hist.empty();
            CountDownLatch done = new CountDownLatch(count);
            AtomicInteger failed = new AtomicInteger();
            Pacer p = new Pacer();
            long t0 = System.nanoTime();
            final int base = n;
            p.run(rate, count, 0, (i, due) -> {
                int k = (int) (base + i);
                WebSocketClient c = clients.get(k % clients.size());
                Runnable go = () -> Conn.open(c, "127.0.0.1", port, uri, false, 15_000, f -> { }, code -> { })
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                synchronized (h) {
                                    h.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
                                    open.add(ar.result());
                                }
                            } else {
                                failed.incrementAndGet();
                            }
                            done.countDown();
                        });
                if (spread) {
                    ctxs[k % ctxs.length].runOnContext(v -> go.run());
                } else {
                    go.run();
                }
            });
            n += count;
            done.await(60, TimeUnit.SECONDS);
            long el = System.nanoTime() - t0;
            JsonObject pc = Hist.percentiles(h);
            System.out.printf("rate %6.0f/s: %d in %.2fs, failed %d, connect p50 %s p99 %s max %s ms%n", rate, count, el / 1e9,
                    failed.get(), pc.getValue("p50Ms"), pc.getValue("p99Ms"), pc.getValue("maxMs"));
        }
        System.out.println("open " + open.size());
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        System.exit(0);
    }
}
