package io.switchboard.load.baselines;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw Vert.x 5 WebSocket relay baseline: the physical limit of this machine and stack for the
 * chat traffic. No persistence, no routing: parse, ack, forward. It speaks the subset of
 * Switchboard's protocol the harness uses, so the same client runs against it:
 * <ul>
 *   <li>{@code /ws/customer[?group=G]}: {@code hello} with a made-up visitor; the customer is bound,
 *       round-robin on connect, to an agent of its group. {@code message} is acked
 *       {@code {conversationId,messageId,seq,at,duplicate:false}}; the first one reaches the agent as
 *       {@code conversation.assigned} (with it as {@code lastMessage}) and the customer gets
 *       {@code agent.joined}; later ones reach the agent as {@code message}.</li>
 *   <li>{@code /ws/agent?token=T[&group=G]}: {@code hello} with agent id T; {@code message} with a
 *       conversationId is acked and forwarded to that customer.</li>
 *   <li>{@code ping} and {@code conversation.status} are acked {@code {}}; other types are {@code bad_request}.</li>
 * </ul>
 * Usage: {@code relay [port] [event loops]} (port 0: any free one; printed as {@code RELAY_PORT n}).
 */
public final class RelayServer {
    private RelayServer() {
    }

    static final class Agent {
        final String id;
        final ServerWebSocket ws;

        Agent(String id, ServerWebSocket ws) {
            this.id = id;
            this.ws = ws;
        }
    }

    static final class Conversation {
        final String id = UUID.randomUUID().toString();
        final ServerWebSocket customer;
        final String visitorId;
        volatile Agent agent;
        final AtomicInteger seq = new AtomicInteger();
        volatile boolean started;

        Conversation(ServerWebSocket customer, String visitorId) {
            this.customer = customer;
            this.visitorId = visitorId;
        }
    }

    static final Map<String, List<Agent>> AGENTS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> RR = new ConcurrentHashMap<>();
    static final Map<String, Conversation> CONVERSATIONS = new ConcurrentHashMap<>();
    static final AtomicLong IDS = new AtomicLong();

    public static void main(String[] argv) {
        int port = argv.length > 0 ? Integer.parseInt(argv[0]) : 0;
        int loops = argv.length > 1 ? Integer.parseInt(argv[1]) : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        AtomicInteger bound = new AtomicInteger(port);
        // the first instance binds (port 0 picks one); the others share that port
        vertx.deployVerticle(() -> new Node(bound), new DeploymentOptions().setInstances(1))
                .compose(id -> loops > 1 ? vertx.deployVerticle(() -> new Node(bound), new DeploymentOptions().setInstances(loops - 1)) : Future.succeededFuture(id))
                .onSuccess(x -> System.out.println("RELAY_PORT " + bound.get()))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }

    static final class Node extends VerticleBase {
        private final AtomicInteger port;

        Node(AtomicInteger port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            Promise<Void> p = Promise.promise();
            vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setPort(port.get()).setMaxWebSocketFrameSize(65536))
                    .webSocketHandler(this::onSocket)
                    .requestHandler(r -> r.response().setStatusCode(r.path().startsWith("/health") ? 200 : 404).end("{\"status\":\"up\"}"))
                    .listen()
                    .onSuccess(s -> {
                        port.set(s.actualPort());
                        p.complete();
                    })
                    .onFailure(p::fail);
            return p.future();
        }

        private static String param(ServerWebSocket ws, String name, String def) {
            String q = ws.query();
            if (q == null) {
                return def;
            }
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(name)) {
                    return kv.substring(eq + 1);
                }
            }
            return def;
        }

        private void onSocket(ServerWebSocket ws) {
            String group = param(ws, "group", "0");
            if (ws.path().equals("/ws/agent")) {
                String id = param(ws, "token", "agent-" + IDS.incrementAndGet());
                Agent a = new Agent(id, ws);
                List<Agent> list = AGENTS.computeIfAbsent(group, k -> new CopyOnWriteArrayList<>());
                list.add(a);
                ws.closeHandler(v -> list.remove(a));
                ws.writeTextMessage(new JsonObject().put("type", "hello").put("protocol", 1).put("role", "agent")
                        .put("agent", new JsonObject().put("id", id).put("name", id)).put("status", "online")
                        .put("inbox", new JsonObject().put("unassigned", List.of()).put("mine", List.of())).encode());
                ws.textMessageHandler(s -> onAgentFrame(a, s));
            } else if (ws.path().equals("/ws/customer")) {
                String visitorId = "v-" + IDS.incrementAndGet();
                Conversation c = new Conversation(ws, visitorId);
                c.agent = pick(group);
                ws.writeTextMessage(new JsonObject().put("type", "hello").put("protocol", 1).put("role", "customer")
                        .put("visitor", new JsonObject().put("id", visitorId).put("token", "vt-" + visitorId)).putNull("conversation").encode());
                ws.textMessageHandler(s -> onCustomerFrame(c, group, s));
                ws.closeHandler(v -> CONVERSATIONS.remove(c.id));
            } else {
                ws.close((short) 1008);
            }
        }

        private static Agent pick(String group) {
            List<Agent> list = AGENTS.get(group);
            if (list == null || list.isEmpty()) {
                return null;
            }
            long n = RR.computeIfAbsent(group, k -> new AtomicLong()).getAndIncrement();
            return list.get((int) (n % list.size()));
        }

        private static JsonObject message(Conversation c, int seq, long at, String clientMsgId, JsonObject author, String text) {
            return new JsonObject().put("id", "m-" + IDS.incrementAndGet()).put("conversationId", c.id).put("seq", seq).put("at", at)
                    .put("clientMsgId", clientMsgId).put("author", author).put("kind", "text").put("text", text);
        }

        private static void ack(ServerWebSocket ws, Object ref, JsonObject result) {
            if (ref != null) {
                ws.writeTextMessage(new JsonObject().put("type", "ack").put("ref", ref).put("result", result).encode());
            }
        }

        private static void error(ServerWebSocket ws, Object ref, String code, String message) {
            ws.writeTextMessage(new JsonObject().put("type", "error").put("ref", ref).put("code", code).put("message", message).encode());
        }

        private static JsonObject ackOf(JsonObject m) {
            return new JsonObject().put("conversationId", m.getString("conversationId")).put("messageId", m.getString("id"))
                    .put("seq", m.getInteger("seq")).put("at", m.getLong("at")).put("duplicate", false);
        }

        private void onCustomerFrame(Conversation c, String group, String s) {
            JsonObject f;
            try {
                f = new JsonObject(s);
            } catch (RuntimeException e) {
                error(c.customer, null, "bad_request", "not a JSON object");
                return;
            }
            Object ref = f.getValue("ref");
            switch (f.getString("type", "")) {
                case "message" -> {
                    if (c.agent == null) {
                        c.agent = pick(group);
                        if (c.agent == null) {
                            error(c.customer, ref, "unavailable", "no agent");
                            return;
                        }
                    }
                    JsonObject m = message(c, c.seq.incrementAndGet(), System.currentTimeMillis(), f.getString("clientMsgId"),
                            new JsonObject().put("type", "customer").put("id", c.visitorId), f.getString("text"));
                    ack(c.customer, ref, ackOf(m));
                    Agent a = c.agent;
                    if (!c.started) {
                        c.started = true;
                        CONVERSATIONS.put(c.id, c);
                        a.ws.writeTextMessage(new JsonObject().put("type", "conversation.assigned").put("conversation", new JsonObject()
                                .put("id", c.id).put("status", "open").put("assignee", new JsonObject().put("id", a.id).put("name", a.id))
                                .putNull("team").put("visitor", new JsonObject().put("id", c.visitorId)).put("lastSeq", m.getInteger("seq"))
                                .put("lastMessage", m)).encode());
                        c.customer.writeTextMessage(new JsonObject().put("type", "agent.joined")
                                .put("agent", new JsonObject().put("name", a.id)).encode());
                    } else {
                        a.ws.writeTextMessage(new JsonObject().put("type", "message").put("message", m).encode());
                    }
                }
                case "ping" -> ack(c.customer, ref, new JsonObject());
                default -> error(c.customer, ref, "bad_request", "unknown type");
            }
        }

        private void onAgentFrame(Agent a, String s) {
            JsonObject f;
            try {
                f = new JsonObject(s);
            } catch (RuntimeException e) {
                error(a.ws, null, "bad_request", "not a JSON object");
                return;
            }
            Object ref = f.getValue("ref");
            switch (f.getString("type", "")) {
                case "message" -> {
                    Conversation c = CONVERSATIONS.get(f.getString("conversationId", ""));
                    if (c == null) {
                        error(a.ws, ref, "not_found", "no such conversation");
                        return;
                    }
                    JsonObject m = message(c, c.seq.incrementAndGet(), System.currentTimeMillis(), f.getString("clientMsgId"),
                            new JsonObject().put("type", "agent").put("id", a.id).put("name", a.id), f.getString("text"));
                    ack(a.ws, ref, ackOf(m));
                    c.customer.writeTextMessage(new JsonObject().put("type", "message").put("message", m).encode());
                }
                case "ping", "conversation.status" -> ack(a.ws, ref, new JsonObject());
                default -> error(a.ws, ref, "bad_request", "unknown type");
            }
        }
    }
}
