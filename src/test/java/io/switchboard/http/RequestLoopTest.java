package io.switchboard.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's result that completes on another event loop is answered from the request's own loop, as
 * the HTTP server's strict thread mode requires. Answered from the other loop instead (RequestLoop.back
 * returning its argument), one of these 200 requests hung: its response was written and never
 * flushed.
 */
class RequestLoopTest {
    private static final int REQUESTS = 200;

    private Vertx vertx;
    private HttpServer server;
    /** The context of another event loop, where the route's work completes. */
    private Context elsewhere;
    /** Per request, the threads its work completed on, its answer was written on, and it arrived on. */
    private record Threads(String completed, String answered, String request) {
    }

    private final Set<Threads> seen = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        // Deployments take the event loops in turn: the server's is not this one's.
        Promise<Context> other = Promise.promise();
        await(vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                other.complete(context);
            }
        }));
        elsewhere = await(other.future());
        await(vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                Router router = Router.router(vertx);
                router.get("/forgotten").handler(ctx -> RequestLoop.back(ctx, Future.succeededFuture())
                        .onComplete(ar -> ctx.response().end("answered")));
                router.route().handler(RequestLoop::remember);
                router.get("/work").handler(ctx -> {
                    String requestThread = Thread.currentThread().getName();
                    Promise<String> work = Promise.promise();
                    elsewhere.runOnContext(v -> work.complete(Thread.currentThread().getName()));
                    RequestLoop.back(ctx, work.future()).onComplete(ar -> {
                        seen.add(new Threads(ar.result(), Thread.currentThread().getName(), requestThread));
                        ctx.response().end("ok");
                    });
                });
                return vertx.createHttpServer(new HttpServerOptions().setStrictThreadMode(true))
                        .requestHandler(router).listen(0, "127.0.0.1").onSuccess(s -> server = s);
            }
        }));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void aResultFromAnotherLoopIsAnsweredOnTheRequestsLoop() throws Exception {
        HttpClient client = vertx.createHttpClient();
        for (int i = 0; i < REQUESTS; i++) {
            String body = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/work")
                    .compose(req -> req.send().compose(HttpClientResponse::body))).toString();
            assertThat(body).isEqualTo("ok");
        }
        assertThat(seen).isNotEmpty().allSatisfy(t -> {
            assertThat(t.completed()).as("the work completed on another loop").isNotEqualTo(t.request());
            assertThat(t.answered()).as("the answer was written on the request's loop").isEqualTo(t.request());
        });
    }

    @Test
    void aRouteBeforeRememberFailsLoudlyInsteadOfAnsweringFromAnywhere() throws Exception {
        int status = await(vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/forgotten")
                .compose(req -> req.send().map(HttpClientResponse::statusCode)));
        assertThat(status).isEqualTo(500);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
