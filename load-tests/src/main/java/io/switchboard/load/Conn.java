package io.switchboard.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client WebSocket speaking Switchboard's frames: {@code {"type",...,"ref"?}} out, acks, errors and
 * events in. With {@code sio} the same frames are carried over Engine.IO v4 / Socket.IO (websocket
 * transport only): a frame {@code {"type":T,"ref":R,...}} goes out as {@code 42N["T",{...}]} and its
 * ack {@code 43N[result]} comes back as {@code {"type":"ack","ref":R,"result":result}} (an ack
 * {@code [{"error":{code,message}}]} as an {@code error} frame); events {@code 42["T",{...}]} come
 * in as {@code {"type":T,...}}; engine pings {@code 2} are answered {@code 3}.
 */
final class Conn {
    private static final AtomicLong REFS = new AtomicLong();
    /** The close code reported to the close handler when this side closed the socket. */
    static final int CLOSED_BY_US = -2;

    /** Whether a request failed because its socket closed (before it was sent, or with it unanswered). */
    static boolean closedUnder(Throwable t) {
        return t instanceof ErrorReply e && (e.code.startsWith("closed") || e.code.equals("not_connected"));
    }

    /** An error reply to a request. */
    static final class ErrorReply extends RuntimeException {
        final String code;

        ErrorReply(String code, String message) {
            super(code + ": " + message, null, false, false);
            this.code = code;
        }
    }

    final boolean sio;
    private volatile WebSocket ws;
    private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
    /** Messages sent and not yet answered, by ref: their acks are read without a JsonObject. */
    private final Map<String, Promise<MessageFrames.Ack>> pendingMessages = new ConcurrentHashMap<>();
    private final Map<Integer, String> sioRefs = new ConcurrentHashMap<>();
    private final AtomicInteger sioIds = new AtomicInteger();
    private volatile Consumer<JsonObject> onEvent = f -> { };
    private volatile Consumer<MessageFrames.Event> onMessage = e -> { };
    private volatile Consumer<Integer> onClose = c -> { };
    private volatile boolean closing;

    private Conn(boolean sio) {
        this.sio = sio;
    }

    /** Connects, for a socket that ignores message events. */
    static Future<Conn> open(WebSocketClient client, String host, int port, String uri, boolean sio,
                             long timeoutMs, Consumer<JsonObject> onEvent, Consumer<Integer> onClose) {
        return open(client, host, port, uri, sio, timeoutMs, onEvent, e -> { }, onClose);
    }

    /**
     * Connects; the future completes once the server's {@code hello} arrived (returned as a frame).
     * Message events go to {@code onMessage}, every other event to {@code onEvent}.
     */
    static Future<Conn> open(WebSocketClient client, String host, int port, String uri, boolean sio, long timeoutMs,
                             Consumer<JsonObject> onEvent, Consumer<MessageFrames.Event> onMessage,
                             Consumer<Integer> onClose) {
        Conn c = new Conn(sio);
        Promise<Conn> hello = Promise.promise();
        // Handlers before the connect: Switchboard may send hello with its 101, and a handler set once
        // WebSocketClient.connect's future completed may come after the client resumed the socket and
        // dropped that frame. For the same reason hello, not the connect's future, is what makes the
        // socket usable and hands its close to the caller: it may come before that future's callbacks.
        ClientWebSocket ws = client.webSocket();
        c.onEvent = f -> {
            if ("hello".equals(f.getString("type"))) {
                c.hello = f;
                c.ws = ws;
                c.onEvent = onEvent;
                c.onMessage = onMessage;
                c.onClose = onClose;
                hello.tryComplete(c);
            }
        };
        c.onClose = code -> hello.tryFail("closed before hello (" + code + ")");
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri)
                .setTimeout(timeoutMs);
        ws.textMessageHandler(text -> c.onText(ws, text));
        ws.exceptionHandler(t -> { });
        ws.closeHandler(v -> {
            Short sc = ws.closeStatusCode();
            c.failPending(sc == null ? "closed" : "closed_" + sc);
            c.onClose.accept(c.closing ? CLOSED_BY_US : sc == null ? -1 : (int) sc);
        });
        ws.connect(o).onFailure(hello::tryFail);
        return hello.future();
    }

    volatile JsonObject hello;

    /** Sends a frame that expects a reply; a ref is added. */
    Future<JsonObject> request(JsonObject frame) {
        String ref = Long.toString(REFS.incrementAndGet(), 36);
        Promise<JsonObject> p = Promise.promise();
        pending.put(ref, p);
        frame.put("ref", ref);
        if (!send(frame)) {
            pending.remove(ref);
            p.tryFail(new ErrorReply("not_connected", "socket closed"));
        }
        return p.future();
    }

    /**
     * Sends a {@code message} frame (an agent's when {@code conversationId} is set); the future has
     * its ack. See {@link MessageFrames#messageFields} for what the arguments may hold.
     */
    Future<MessageFrames.Ack> sendMessage(String conversationId, String clientMsgId, String quotedText) {
        String ref = Long.toString(REFS.incrementAndGet(), 36);
        Promise<MessageFrames.Ack> p = Promise.promise();
        pendingMessages.put(ref, p);
        WebSocket w = ws;
        if (w == null || w.isClosed() || closing) {
            pendingMessages.remove(ref);
            p.tryFail(new ErrorReply("not_connected", "socket closed"));
            return p.future();
        }
        StringBuilder sb = new StringBuilder(96 + quotedText.length());
        if (!sio) {
            sb.append("{\"type\":\"message\",");
            MessageFrames.messageFields(sb, conversationId, clientMsgId, quotedText).append(",\"ref\":\"").append(ref).append("\"}");
        } else {
            int id = sioIds.incrementAndGet();
            sioRefs.put(id, ref);
            sb.append("42").append(id).append("[\"message\",{");
            MessageFrames.messageFields(sb, conversationId, clientMsgId, quotedText).append("}]");
        }
        w.writeTextMessage(sb.toString());
        return p.future();
    }

    int pendingCount() {
        return pending.size() + pendingMessages.size();
    }

    boolean send(JsonObject frame) {
        WebSocket w = ws;
        if (w == null || w.isClosed() || closing) {
            return false;
        }
        if (!sio) {
            w.writeTextMessage(frame.encode());
            return true;
        }
        String type = (String) frame.remove("type");
        String ref = (String) frame.remove("ref");
        StringBuilder sb = new StringBuilder(64).append("42");
        if (ref != null) {
            int id = sioIds.incrementAndGet();
            sioRefs.put(id, ref);
            sb.append(id);
        }
        sb.append("[\"").append(type).append("\",").append(frame.encode()).append(']');
        w.writeTextMessage(sb.toString());
        return true;
    }

    /** A frame from {@code from} (connected; {@link #ws} is set once hello came). */
    private void onText(WebSocket from, String s) {
        JsonObject f;
        if (!sio) {
            MessageFrames.Read r = MessageFrames.read(s);
            if (r instanceof MessageFrames.Ack a) {
                Promise<MessageFrames.Ack> p = pendingMessages.remove(a.ref());
                if (p != null) {
                    p.tryComplete(a);
                    return;
                }
            } else if (r instanceof MessageFrames.Event e) {
                onMessage.accept(e);
                return;
            }
            f = new JsonObject(s); // any other frame, or an ack to a request that is not a message
        } else {
            f = decodeSio(from, s);
            if (f == null) {
                return;
            }
        }
        String type = f.getString("type");
        if ("ack".equals(type) || ("error".equals(type) && f.getValue("ref") != null)) {
            Promise<MessageFrames.Ack> m = pendingMessages.remove(f.getString("ref"));
            if (m != null) { // Socket.IO's, or an error
                if ("ack".equals(type)) {
                    m.tryComplete(MessageFrames.Ack.of(f.getString("ref"), f.getJsonObject("result")));
                } else {
                    m.tryFail(new ErrorReply(f.getString("code"), f.getString("message")));
                }
                return;
            }
            Promise<JsonObject> p = pending.remove(f.getString("ref"));
            if (p != null) {
                if ("ack".equals(type)) {
                    p.tryComplete(f.getJsonObject("result"));
                } else {
                    p.tryFail(new ErrorReply(f.getString("code"), f.getString("message")));
                }
                return;
            }
        }
        if ("message".equals(type) && f.getValue("message") instanceof JsonObject m) { // Socket.IO's
            onMessage.accept(MessageFrames.Event.of(m));
            return;
        }
        onEvent.accept(f);
    }

    private JsonObject decodeSio(WebSocket ws, String s) {
        if (s.isEmpty()) {
            return null;
        }
        char eio = s.charAt(0);
        if (eio == '2') { // engine ping
            ws.writeTextMessage("3");
            return null;
        }
        if (eio == '0') { // engine open: connect to the main namespace
            ws.writeTextMessage("40");
            return null;
        }
        if (eio != '4' || s.length() < 2) {
            return null;
        }
        char kind = s.charAt(1);
        int i = 2;
        int id = -1;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            id = (id < 0 ? 0 : id * 10) + (s.charAt(i) - '0');
            i++;
        }
        switch (kind) {
            case '2': { // event
                JsonArray a = new JsonArray(s.substring(i));
                JsonObject body = a.size() > 1 && a.getValue(1) instanceof JsonObject o ? o : new JsonObject();
                return body.put("type", a.getString(0));
            }
            case '3': { // ack
                String ref = sioRefs.remove(id);
                JsonArray a = new JsonArray(s.substring(i));
                JsonObject r = a.size() > 0 && a.getValue(0) instanceof JsonObject o ? o : new JsonObject();
                if (r.containsKey("error")) {
                    JsonObject e = r.getJsonObject("error");
                    return new JsonObject().put("type", "error").put("ref", ref).put("code", e.getString("code"))
                            .put("message", e.getString("message"));
                }
                return new JsonObject().put("type", "ack").put("ref", ref).put("result", r);
            }
            case '4': // connect error
                return new JsonObject().put("type", "error").putNull("ref").put("code", "connect_error")
                        .put("message", s.substring(i));
            default:
                return null; // 40 connected, 41 disconnect
        }
    }

    private void failPending(String why) {
        failAll(pending, why);
        failAll(pendingMessages, why);
    }

    private static <T> void failAll(Map<String, Promise<T>> waiting, String why) {
        for (String ref : waiting.keySet()) {
            Promise<T> p = waiting.remove(ref);
            if (p != null) {
                p.tryFail(new ErrorReply(why, "socket closed with the request unanswered"));
            }
        }
    }

    boolean isOpen() {
        WebSocket w = ws;
        return w != null && !w.isClosed() && !closing;
    }

    Future<Void> close() {
        closing = true;
        WebSocket w = ws;
        return w == null ? Future.succeededFuture() : w.close();
    }
}
