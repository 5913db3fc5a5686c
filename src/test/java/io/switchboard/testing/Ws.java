package io.switchboard.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A blocking WebSocket test client speaking the wire protocol: every frame received is kept, and
 * the test waits (with a timeout, never a sleep) for the frame it expects.
 */
public final class Ws implements AutoCloseable {
    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20).setMaxConnections(10_000));
    /**
     * A client that holds the server to the protocol's frame limit as Vert.x' and Netty's clients do
     * by default: a frame over 64 KiB closes its socket; a message of several frames may be longer.
     */
    private static final WebSocketClient STRICT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxFrameSize(64 * 1024).setMaxMessageSize(1 << 20));
    private static final AtomicLong REFS = new AtomicLong();
    /** Notified whenever any test socket receives a frame, for conditions spanning many sockets. */
    private static final Object ANY = new Object();
    public static final long TIMEOUT_MS = 10_000;

    private final WebSocket ws;
    private final List<JsonObject> received = new ArrayList<>();
    private final List<Boolean> consumed = new ArrayList<>();
    private Short closeCode;

    private Ws(WebSocket ws) {
        this.ws = ws;
        ws.textMessageHandler(text -> {
            synchronized (this) {
                received.add(new JsonObject(text));
                consumed.add(false);
                notifyAll();
            }
            synchronized (ANY) {
                ANY.notifyAll();
            }
        });
        ws.closeHandler(v -> {
            synchronized (this) {
                closeCode = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode();
                notifyAll();
            }
        });
    }

    public static Ws connect(int port, String uri) {
        return connect(CLIENT, port, uri);
    }

    /** As {@link #connect(int, String)}, with a client that takes frames of at most 64 KiB. */
    public static Ws connectStrict(int port, String uri) {
        return connect(STRICT, port, uri);
    }

    private static Ws connect(WebSocketClient client, int port, String uri) {
        // Handlers are set before the connect: the server may send hello with its 101, and a handler
        // set once WebSocketClient.connect's future completed comes too late for it (the client has
        // resumed the socket by then and dropped the frame) whenever this thread was slower than the
        // handshake.
        ClientWebSocket socket = client.webSocket();
        Ws ws = new Ws(socket);
        try {
            socket.connect(options(port, uri)).toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return ws;
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new AssertionError("cannot connect to " + uri + ": " + e, e);
        }
    }

    /** Connects as a customer of the widget (and visitor token, if not null), and returns after hello. */
    public static Ws customer(int port, String widgetKey, String token) {
        return connect(port, "/ws/customer?widget=" + widgetKey + (token == null ? "" : "&token=" + token));
    }

    public static Ws agent(int port, String jwt) {
        return connect(port, "/ws/agent?token=" + jwt);
    }

    /** The HTTP status of a refused upgrade; fails if the upgrade succeeds. */
    public static int refusedStatus(int port, String uri) {
        try {
            WebSocket ws = CLIENT.connect(options(port, uri)).toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            ws.close();
            throw new AssertionError("the upgrade of " + uri + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException r) {
                return r.getStatus();
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static WebSocketConnectOptions options(int port, String uri) {
        return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    }

    public void send(JsonObject frame) {
        ws.writeTextMessage(frame.encode());
    }

    public void sendRaw(String text) {
        ws.writeTextMessage(text);
    }

    public void sendBinary(Buffer b) {
        ws.writeBinaryMessage(b);
    }

    /** Sends a frame with a fresh ref and returns the reply (ack or error) carrying that ref. */
    public JsonObject request(JsonObject frame) {
        String ref = "r" + REFS.incrementAndGet();
        send(frame.copy().put("ref", ref));
        return await(f -> ref.equals(f.getString("ref")) && ("ack".equals(f.getString("type")) || "error".equals(f.getString("type"))));
    }

    /** Sends a frame and returns the ack's result; fails on an error reply. */
    public JsonObject ack(JsonObject frame) {
        JsonObject reply = request(frame);
        if (!"ack".equals(reply.getString("type"))) {
            throw new AssertionError("expected an ack for " + frame.encode() + " but got " + reply.encode());
        }
        return reply.getJsonObject("result");
    }

    /** Sends a frame and returns the error code of its reply; fails on an ack. */
    public String errorCode(JsonObject frame) {
        JsonObject reply = request(frame);
        if (!"error".equals(reply.getString("type"))) {
            throw new AssertionError("expected an error for " + frame.encode() + " but got " + reply.encode());
        }
        return reply.getString("code");
    }

    /** Waits for the next not yet consumed frame of this type. */
    public JsonObject await(String type) {
        return await(f -> type.equals(f.getString("type")));
    }

    /** Waits for the next not yet consumed frame matching the predicate and marks it consumed. */
    public synchronized JsonObject await(Predicate<JsonObject> match) {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (true) {
            for (int i = 0; i < received.size(); i++) {
                if (!consumed.get(i) && match.test(received.get(i))) {
                    consumed.set(i, true);
                    return received.get(i);
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + TIMEOUT_MS + " ms; received: " + received);
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until a condition over many sockets holds, re-checking whenever any socket receives a frame. */
    public static void awaitAll(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 3 * TIMEOUT_MS;
        synchronized (ANY) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("not within " + 3 * TIMEOUT_MS + " ms: " + what);
                }
                try {
                    ANY.wait(Math.min(left, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Waits until the server closes the socket; returns the close code. */
    public synchronized int awaitClose() {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (closeCode == null) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("the socket was not closed within " + TIMEOUT_MS + " ms");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return closeCode;
    }

    /** Every frame received so far (for assertions about what a client could ever see). */
    public synchronized List<JsonObject> received() {
        return List.copyOf(received);
    }

    public synchronized List<JsonObject> receivedOfType(String type) {
        return received.stream().filter(f -> type.equals(f.getString("type"))).toList();
    }

    @Override
    public void close() {
        ws.close();
    }
}
