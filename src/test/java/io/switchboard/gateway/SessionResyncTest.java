package io.switchboard.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a resync reads a socket's state, its events wait, so that none reaches the client before the
 * state it may be newer than; and a resync never goes before hello.
 */
class SessionResyncTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eventsDuringTheReadGoAfterTheResync() throws Exception {
        List<String> got = framesOf(s -> {
            s.ready(frame("hello"));
            s.send(frame("before"));
            assertThat(s.hold()).isTrue();
            assertThat(s.hold()).as("one resync at a time").isFalse();
            s.send(frame("during"));
            assertThat(s.release(frame("resync"))).as("a hold refused meanwhile: read again").isTrue();
            s.send(frame("after"));
            assertThat(s.hold()).isTrue();
            assertThat(s.release(frame("resync"))).as("none refused this time").isFalse();
        }, 6);
        assertThat(got).containsExactly("hello", "before", "resync", "during", "after", "resync");
    }

    @Test
    void aResyncOfASocketNotGreetedYetGoesAfterItsHelloAndTheEventsBeforeIt() throws Exception {
        List<String> got = framesOf(s -> {
            s.send(frame("early"));
            s.hold();
            s.send(frame("during"));
            s.ready(frame("hello"));
            s.release(frame("resync"));
            s.send(frame("after"));
        }, 5);
        assertThat(got).containsExactly("hello", "early", "resync", "during", "after");
    }

    @Test
    void aResyncWhoseReadFailedLetsTheEventsGo() throws Exception {
        List<String> got = framesOf(s -> {
            s.ready(frame("hello"));
            s.hold();
            s.send(frame("during"));
            s.release(null);
            s.send(frame("after"));
        }, 3);
        assertThat(got).containsExactly("hello", "during", "after");
    }

    /** Runs {@code script} on the accepted socket's event loop, as the verticle does; the types of the first {@code n} frames the client got. */
    private List<String> framesOf(Consumer<Session> script, int n) throws Exception {
        int port = vertx.createHttpServer()
                .requestHandler(req -> req.toWebSocket().onSuccess(ws -> {
                    Session s = new StubSession(ws, () -> { });
                    s.attach(() -> { });
                    script.accept(s);
                }))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        List<String> got = new CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> all = new CompletableFuture<>();
        // Held in a variable: Vert.x closes an unreachable client's sockets.
        WebSocketClient wsClient = vertx.createWebSocketClient();
        ClientWebSocket client = wsClient.webSocket(); // handlers before the connect: hello may come with the 101
        client.textMessageHandler(text -> {
            got.add(new JsonObject(text).getString("type"));
            if (got.size() == n) {
                all.complete(got);
            }
        });
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/customer"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            return all.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("got only " + got, e);
        } finally {
            wsClient.close();
        }
    }

    private static Buffer frame(String type) {
        return new JsonObject().put("type", type).toBuffer();
    }
}
