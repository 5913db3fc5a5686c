package io.switchboard.boot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's chat against a node that greets its agents late and at length, as a node of a
 * cluster does: an agent's hello waits for the other nodes to know of its socket, and lists up to
 * 200 unassigned conversations with their last messages (more than Vert.x' default 64 KiB frame).
 * Played here against a small stand-in for the node's sockets, so that only WarmupTraffic is tested.
 */
class WarmupTrafficTest {
    private static final int AGENTS = 4;
    private static final int CUSTOMERS = 12;
    private static final long HELLO_DELAY_MS = 300;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void customersComeOnlyOnceEveryAgentIsGreetedAndALongHelloKeepsTheAgentsSocketOpen() throws Exception {
        StandIn node = new StandIn();
        int port = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(1 << 20))
                .webSocketHandler(node::accept).listen(0).map(HttpServer::actualPort)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            tokens.add("agent-" + i);
        }

        WarmupTraffic.Played played = new WarmupTraffic(vertx, "127.0.0.1", port, 50, AGENTS + CUSTOMERS)
                .play(tokens, "widget", CUSTOMERS, Future::succeededFuture, Future.future(p -> { }))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

        assertThat(node.customersBeforeEveryAgentWasGreeted).as("customers connected before every hello").isZero();
        assertThat(played.errors()).as("refusals, closed sockets, unanswered customers").isEmpty();
        assertThat(played.customerMessages()).isGreaterThanOrEqualTo(CUSTOMERS);
        assertThat(played.agentMessages()).isGreaterThanOrEqualTo(CUSTOMERS);
    }

    /**
     * The node's side of the warm-up's chat, on one event loop: hellos (an agent's late, with a long
     * inbox), acks, each customer's conversation given to an agent on its first message, and the
     * messages relayed both ways.
     */
    private final class StandIn {
        private final List<ServerWebSocket> agents = new ArrayList<>();
        private final Map<String, ServerWebSocket> customerOf = new HashMap<>();
        private final Map<String, ServerWebSocket> agentOf = new HashMap<>();
        private final Map<ServerWebSocket, String> conversationOf = new HashMap<>();
        private int greeted;
        private int customersBeforeEveryAgentWasGreeted;

        void accept(ServerWebSocket ws) {
            if (ws.path().equals("/ws/agent")) {
                agents.add(ws);
                String id = ws.query().substring("token=".length());
                vertx.setTimer(HELLO_DELAY_MS, t -> {
                    ws.writeTextMessage(new JsonObject().put("type", "hello").put("role", "agent")
                            .put("agent", new JsonObject().put("id", id))
                            .put("inbox", new JsonObject().put("unassigned", longInbox()).put("mine", new JsonArray()))
                            .encode());
                    greeted++;
                });
                ws.textMessageHandler(text -> fromAgent(ws, id, new JsonObject(text)));
            } else {
                if (greeted < AGENTS) {
                    customersBeforeEveryAgentWasGreeted++;
                }
                ws.writeTextMessage(new JsonObject().put("type", "hello").put("role", "customer").encode());
                ws.textMessageHandler(text -> fromCustomer(ws, new JsonObject(text)));
            }
        }

        private void fromCustomer(ServerWebSocket ws, JsonObject frame) {
            ack(ws, frame);
            String conversation = conversationOf.get(ws);
            if (conversation == null) {
                conversation = "c-" + conversationOf.size();
                conversationOf.put(ws, conversation);
                customerOf.put(conversation, ws);
                ServerWebSocket agent = agents.get(conversationOf.size() % agents.size());
                agentOf.put(conversation, agent);
                agent.writeTextMessage(new JsonObject().put("type", "conversation.assigned")
                        .put("conversation", new JsonObject().put("id", conversation)
                                .put("assignee", new JsonObject().put("id", agent.query().substring("token=".length()))))
                        .encode());
            } else {
                agentOf.get(conversation).writeTextMessage(message(conversation, "customer").encode());
            }
        }

        private void fromAgent(ServerWebSocket ws, String id, JsonObject frame) {
            ack(ws, frame);
            if ("message".equals(frame.getString("type"))) {
                String conversation = frame.getString("conversationId");
                customerOf.get(conversation).writeTextMessage(message(conversation, "agent").encode());
            }
        }

        private void ack(ServerWebSocket ws, JsonObject frame) {
            ws.writeTextMessage(new JsonObject().put("type", "ack").put("ref", frame.getString("ref"))
                    .put("result", new JsonObject()).encode());
        }

        private JsonObject message(String conversation, String authorType) {
            return new JsonObject().put("type", "message").put("message", new JsonObject()
                    .put("conversationId", conversation).put("author", new JsonObject().put("type", authorType)));
        }

        /** 200 unassigned conversations with a last message each: ~110 KB. */
        private JsonArray longInbox() {
            JsonArray inbox = new JsonArray();
            for (int i = 0; i < 200; i++) {
                inbox.add(new JsonObject().put("id", "waiting-" + i).put("status", "open")
                        .put("lastMessage", new JsonObject().put("text", "x".repeat(500))));
            }
            return inbox;
        }
    }
}
