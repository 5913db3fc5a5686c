package io.switchboard.gateway;

import io.switchboard.protocol.CloseCodes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that stops pauses its sockets (no new commands), then closes them with 1001. The close
 * handshake must end the connection at once, even with the client's frames still unread; both sides'
 * closing timeouts here are a minute, so only a completed handshake closes the socket in time.
 */
class SessionCloseTest {
    private static final int CLOSING_TIMEOUT_S = 60;

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger handled = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void aPausedSocketClosesAtOnceAndItsUnreadFramesAreNotHandled() throws Exception {
        CompletableFuture<Session> opened = new CompletableFuture<>();
        CompletableFuture<Context> loop = new CompletableFuture<>();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setWebSocketClosingTimeout(CLOSING_TIMEOUT_S))
                .requestHandler(req -> req.toWebSocket().onSuccess(ws -> { // as the gateway accepts
                    Session s = new StubSession(ws, handled::incrementAndGet);
                    s.attach(() -> { });
                    s.ready(Buffer.buffer("{\"type\":\"hello\"}"));
                    loop.complete(Vertx.currentContext());
                    opened.complete(s);
                }).onFailure(opened::completeExceptionally));
        int port = await(server.listen(0, "127.0.0.1")).actualPort();

        CompletableFuture<Short> closed = new CompletableFuture<>();
        CompletableFuture<Void> greeted = new CompletableFuture<>();
        // Held in a variable: Vert.x closes an unreachable client's sockets.
        WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setClosingTimeout(CLOSING_TIMEOUT_S));
        ClientWebSocket client = wsClient.webSocket(); // handlers before the connect: hello may come with the 101
        client.textMessageHandler(text -> greeted.complete(null));
        client.closeHandler(v -> closed.complete(client.closeStatusCode()));
        await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/customer")));
        Session session = opened.get(10, TimeUnit.SECONDS);
        greeted.get(10, TimeUnit.SECONDS);

        await(onLoop(loop.get(), () -> session.ws.pause())); // as GatewayVerticle.quiesce does
        for (int i = 0; i < 200; i++) {
            client.writeTextMessage(customerMessage("m" + i, "unread " + i).encode());
        }
        await(onLoop(loop.get(), () -> session.close(CloseCodes.GOING_AWAY, "server shutting down")));

        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(handled).as("frames of a closing socket are dropped, not handled").hasValue(0);
        await(wsClient.close());
    }

    /** Runs on the socket's event loop, as the verticle does. */
    private static Future<Void> onLoop(Context loop, Runnable action) {
        Promise<Void> done = Promise.promise();
        loop.runOnContext(v -> {
            action.run();
            done.complete();
        });
        return done.future();
    }
}
