package io.switchboard.gateway;

import io.switchboard.testing.NodeTestBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server pings a slice of its sockets each second rather than all of them at once: every
 * socket must still get its ping within the interval, whichever slice it fell in.
 */
class PingIT extends NodeTestBase {
    private static final int SOCKETS = 12;

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_PING_INTERVAL_S", "3");
    }

    @Test
    void everySocketIsPingedWhateverItsSlice() throws Exception {
        Vertx vertx = Vertx.vertx();
        WebSocketClient client = vertx.createWebSocketClient();
        List<WebSocket> sockets = new ArrayList<>();
        try {
            List<CountDownLatch> pinged = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                CountDownLatch latch = new CountDownLatch(1);
                ClientWebSocket ws = client.webSocket();
                ws.frameHandler(f -> { // before the connect, so that no frame comes before it
                    if (f.type() == WebSocketFrameType.PING) {
                        latch.countDown();
                    }
                });
                ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
                                .setURI("/ws/customer?widget=" + node.widgetKey()))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                sockets.add(ws);
                pinged.add(latch);
            }
            for (int i = 0; i < SOCKETS; i++) {
                // Three slices of one second each: every socket's turn comes within the interval.
                assertThat(pinged.get(i).await(10, TimeUnit.SECONDS)).as("socket %d pinged", i).isTrue();
            }
        } finally {
            sockets.forEach(WebSocket::close);
            vertx.close();
        }
    }
}
