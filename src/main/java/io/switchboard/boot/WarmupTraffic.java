package io.switchboard.boot;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The warm-up's chat, played over the wire protocol through the node's own port, as its widgets
 * and consoles would: customers connect and write, the auto-routed team's agents are assigned and
 * answer each message, then resolve their conversations and go offline. Closed loop: a customer
 * writes again only once answered (and no sooner than its interval), so a cold node is pushed as
 * hard as it can go, never buried. Everything runs on one context; nothing here needs a lock.
 */
final class WarmupTraffic {
    private static final long REQUEST_TIMEOUT_MS = 10_000;
    private static final long DRAIN_MS = 5_000;
    /** A customer not answered within this writes again (counted as "unanswered"): the loop never stalls. */
    private static final long ANSWER_TIMEOUT_MS = 10_000;
    /**
     * The largest frame and message the warm-up's sockets take: the node's frame size may be
     * configured up to 16 MiB, and an agent's hello lists up to 400 conversations, each with its last
     * message. With Vert.x' defaults (frames of 64 KiB, messages of 256 KiB) a hello sent as one
     * frame of ~180 conversations closed the agent's socket (1006), and the warm-up went on without
     * its agents.
     */
    private static final int MAX_FRAME_BYTES = 16 << 20;
    private static final String TEXT = "Warm-up: hello, I have a question about my order and the delivery date, can you help me? #";

    /** What the warm-up did: messages acked each way, and the refusals it met (by code), none expected. */
    record Played(int customerMessages, int agentMessages, Map<String, Integer> errors) {
    }

    private final Vertx vertx;
    private final Context context;
    private final WebSocketClient client;
    private final String host;
    private final int port;
    private final long intervalMs;
    private final Map<String, Promise<JsonObject>> pending = new HashMap<>();
    private final Map<String, Integer> errors = new TreeMap<>();
    private final List<Customer> customers = new ArrayList<>();
    private final List<AgentSocket> agents = new ArrayList<>();
    private long refs;
    private int customerMessages;
    private int agentMessages;
    private boolean stopping;
    private boolean closing;
    private int answeredOnce;
    private final Promise<Void> firstRound = Promise.promise();
    private Promise<Void> drained;

    /**
     * @param intervalMs the least time between two messages of one customer (the rate limit's share)
     */
    WarmupTraffic(Vertx vertx, String host, int port, long intervalMs, int sockets) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(sockets + 16)
                .setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(MAX_FRAME_BYTES)
                .setConnectTimeout((int) REQUEST_TIMEOUT_MS));
        this.host = host;
        this.port = port;
        this.intervalMs = intervalMs;
    }

    /**
     * Agents connect (with their tokens), then customers of the widget; they chat until the future
     * {@code enough} gives (asked once the chat has started) completes and every customer has had
     * an answer, or until {@code stopNow} completes; then they wind down.
     */
    Future<Played> play(List<String> agentTokens, String widgetKey, int customerCount, Supplier<Future<?>> enough,
                        Future<?> stopNow) {
        Promise<Played> done = Promise.promise();
        context.runOnContext(v -> {
            List<Future<?>> agentsUp = new ArrayList<>();
            for (String token : agentTokens) {
                AgentSocket a = new AgentSocket();
                // Greeted, not only connected: in a cluster an agent's hello waits for the other nodes to
                // know of its socket, and customers who came meanwhile queued unassigned (all 200, in the
                // hello of every agent) instead of being routed as they arrive. Listed once connected,
                // greeted or not, so that the wind-down closes it either way.
                agentsUp.add(connect(a.ws, "/ws/agent?token=" + token)
                        .compose(ws -> {
                            agents.add(a);
                            return within(a.greeted.future(), REQUEST_TIMEOUT_MS).onFailure(t -> error("no hello"));
                        }));
            }
            // join, not all: on a failure the wind-down must not begin while other agents still connect.
            Future.join(agentsUp).compose(x -> {
                List<Future<?>> customersUp = new ArrayList<>();
                for (int i = 0; i < customerCount; i++) {
                    String uri = "/ws/customer?widget=" + URLEncoder.encode(widgetKey, StandardCharsets.UTF_8)
                            + "&name=" + URLEncoder.encode("Warm-up customer " + i, StandardCharsets.UTF_8);
                    Customer c = new Customer();
                    customersUp.add(connect(c.ws, uri).map(ws -> customers.add(c)));
                }
                return Future.all(customersUp);
            }).compose(x -> {
                customers.forEach(Customer::write);
                // However soon the JIT settles, every customer has had one round trip (or gave up on it),
                // unless the node is stopping.
                return here(Future.any(Future.all(enough.get(), firstRound.future()), stopNow));
            }).compose(x -> windDown()).transform(ar -> closeAll().transform(closed -> ar.succeeded()
                    ? Future.succeededFuture(new Played(customerMessages, agentMessages, Map.copyOf(errors)))
                    : Future.<Played>failedFuture(ar.cause()))).onComplete(done);
        });
        return done.future();
    }

    /** No new messages; the last ones answered; every conversation resolved; every agent offline. */
    private Future<Void> windDown() {
        stopping = true;
        drained = Promise.promise();
        if (noneWaiting()) {
            drained.tryComplete();
        }
        return within(drained.future(), DRAIN_MS).recover(t -> Future.succeededFuture())
                .compose(v -> {
                    List<Future<?>> resolved = new ArrayList<>();
                    for (AgentSocket a : agents) {
                        for (String conv : a.conversations) {
                            resolved.add(request(a.ws, new JsonObject().put("type", "conversation.status")
                                    .put("conversationId", conv).put("status", "done")));
                        }
                    }
                    return Future.join(resolved);
                })
                .compose(v -> {
                    List<Future<?>> offline = new ArrayList<>();
                    for (AgentSocket a : agents) {
                        offline.add(request(a.ws, new JsonObject().put("type", "status.set").put("status", "offline")));
                    }
                    return Future.join(offline);
                })
                .transform(ar -> Future.succeededFuture());
    }

    /**
     * Closes every socket and waits for the server's side of each close handshake, so that the node
     * has let go of the sessions (and their agents' presence) before the warm-up removes its agents.
     */
    private Future<Void> closeAll() {
        closing = true;
        List<Future<Void>> closed = new ArrayList<>();
        customers.forEach(c -> closed.add(c.ws.close()));
        agents.forEach(a -> closed.add(a.ws.close()));
        List<Promise<JsonObject>> unanswered = new ArrayList<>(pending.values());
        pending.clear();
        unanswered.forEach(p -> p.tryFail("the warm-up ended"));
        return within(Future.join(closed), REQUEST_TIMEOUT_MS).transform(ar -> client.close());
    }

    /**
     * {@code f}, or a failure after {@code ms}, completed on this context. (A Future's own
     * {@code timeout} fires on a Netty timer thread, and everything here must stay on one thread.)
     */
    private <T> Future<T> within(Future<T> f, long ms) {
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(ms, t -> p.tryFail("no answer within " + ms + " ms"));
        f.onComplete(ar -> context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.cause());
            }
        }));
        return p.future();
    }

    /** {@code f}'s outcome, back on this context (it may come from another thread). */
    private <T> Future<T> here(Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
        return p.future();
    }

    /**
     * Connects {@code ws}, whose handlers are already set: the server may send {@code hello} with
     * its 101, and a handler set once {@code WebSocketClient.connect}'s future completed can come
     * after the client resumed the socket and dropped that frame.
     */
    private Future<WebSocket> connect(ClientWebSocket ws, String uri) {
        ws.closeHandler(v -> {
            if (!closing) {
                error("closed " + ws.closeStatusCode()); // by the server, before the end
            }
        });
        return ws.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri))
                .onFailure(t -> error("connect"));
    }

    /** Sends a frame with a fresh ref; completes, on this context, with the ack's result. */
    private Future<JsonObject> request(WebSocket ws, JsonObject frame) {
        String ref = "w" + (++refs);
        Promise<JsonObject> p = Promise.promise();
        pending.put(ref, p);
        ws.writeTextMessage(frame.put("ref", ref).encode());
        return within(p.future(), REQUEST_TIMEOUT_MS).onFailure(t -> {
            if (pending.remove(ref) != null) { // no ack, no error: it timed out
                error("timeout");
            }
        });
    }

    private boolean noneWaiting() {
        for (Customer c : customers) {
            if (c.waiting) {
                return false;
            }
        }
        return true;
    }

    /** Acks and errors answer requests; returns the frame when it is an event. */
    private JsonObject received(String text) {
        JsonObject f = new JsonObject(text);
        String type = f.getString("type");
        if ("ack".equals(type) || "error".equals(type)) {
            Promise<JsonObject> p = f.getString("ref") == null ? null : pending.remove(f.getString("ref"));
            if ("error".equals(type)) {
                error(f.getString("code"));
                if (p != null) {
                    p.tryFail(f.getString("code") + ": " + f.getString("message"));
                }
            } else if (p != null) {
                p.tryComplete(f.getJsonObject("result", new JsonObject()));
            }
            return null;
        }
        return f;
    }

    private void error(String code) {
        errors.merge(code == null ? "unknown" : code, 1, Integer::sum);
    }

    private static String authorType(JsonObject messageEvent) {
        JsonObject m = messageEvent.getJsonObject("message");
        JsonObject author = m == null ? null : m.getJsonObject("author");
        return author == null ? null : author.getString("type");
    }

    /** A customer: writes, waits for the agent's answer, writes again after its interval. */
    private final class Customer {
        private final ClientWebSocket ws = client.webSocket();
        private boolean waiting;
        private long lastWrite;
        private long answerTimer;
        private int n;

        Customer() {
            ws.textMessageHandler(text -> {
                JsonObject event = received(text);
                if (event != null && "message".equals(event.getString("type")) && "agent".equals(authorType(event))) {
                    answered();
                }
            });
        }

        void write() {
            if (stopping) {
                return;
            }
            waiting = true;
            lastWrite = System.currentTimeMillis();
            answerTimer = vertx.setTimer(ANSWER_TIMEOUT_MS, t -> {
                error("unanswered");
                answered();
            });
            request(ws, new JsonObject().put("type", "message").put("clientMsgId", UUID.randomUUID().toString())
                    .put("text", TEXT + (++n)))
                    .onSuccess(r -> customerMessages++)
                    .onFailure(t -> answered()); // refused or lost: the loop goes on rather than stall
        }

        private void answered() {
            if (!waiting) {
                return;
            }
            waiting = false;
            vertx.cancelTimer(answerTimer);
            if (n == 1 && ++answeredOnce == customers.size()) {
                firstRound.tryComplete();
            }
            if (stopping && noneWaiting()) {
                drained.tryComplete();
            }
            long wait = lastWrite + intervalMs - System.currentTimeMillis();
            if (wait > 0) {
                vertx.setTimer(wait, t -> write());
            } else {
                write();
            }
        }
    }

    /** An agent: answers every customer message of the conversations it was assigned, and resolves them at the end. */
    private final class AgentSocket {
        private final ClientWebSocket ws = client.webSocket();
        private final Set<String> conversations = new LinkedHashSet<>();
        private final Promise<Void> greeted = Promise.promise();
        private String agentId;

        AgentSocket() {
            ws.textMessageHandler(text -> {
                JsonObject event = received(text);
                if (event != null) {
                    on(event);
                }
            });
        }

        private void on(JsonObject event) {
            switch (event.getString("type", "")) {
                case "hello" -> {
                    agentId = event.getJsonObject("agent").getString("id");
                    greeted.tryComplete();
                }
                case "conversation.assigned" -> {
                    JsonObject c = event.getJsonObject("conversation");
                    JsonObject assignee = c.getJsonObject("assignee");
                    // The first message came before the assignment: it is answered now.
                    if (assignee != null && assignee.getString("id").equals(agentId) && conversations.add(c.getString("id"))) {
                        answer(c.getString("id"));
                    }
                }
                case "message" -> {
                    String conv = event.getJsonObject("message").getString("conversationId");
                    if ("customer".equals(authorType(event)) && conversations.contains(conv)) {
                        answer(conv);
                    }
                }
                default -> {
                }
            }
        }

        /** Also while winding down: the customers' last messages are answered, only they stop writing. */
        private void answer(String conversationId) {
            request(ws, new JsonObject().put("type", "message").put("conversationId", conversationId)
                    .put("clientMsgId", UUID.randomUUID().toString()).put("kind", "text")
                    .put("text", "Warm-up: of course, let me check that for you right away."))
                    .onSuccess(r -> agentMessages++);
        }
    }
}
