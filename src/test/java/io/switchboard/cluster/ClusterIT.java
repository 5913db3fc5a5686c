package io.switchboard.cluster;

import io.switchboard.testing.Fixtures;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes in a cluster on loopback: a customer on one and agents on the other chat as if on one node. */
class ClusterIT {
    private static List<TestNode> nodes;

    @BeforeAll
    static void start() {
        nodes = TestNode.cluster(2, Map.of());
    }

    @AfterAll
    static void stop() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void aCustomerOnOneNodeAndAgentsOnTheOtherGoThroughAlertAssignmentMessagesAndATransfer() {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String support = fx.supportTeamId();
        String helperId = fx.createAgent("helper@test.local", "agent");
        List<String> members = new ArrayList<>(List.of(fx.adminId(), helperId));
        fx.setMembers(support, members);
        try (Ws admin = Ws.agent(b.port(), fx.adminToken());
             Ws helper = Ws.agent(b.port(), fx.login("helper@test.local"));
             Ws customer = Ws.customer(a.port(), a.widgetKey(), null)) {
            admin.await("hello");
            helper.await("hello");
            customer.await("hello");
            String conv = customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "hola"))
                    .getString("conversationId");
            assertThat(admin.await("conversation.new").getJsonObject("message").getString("text")).isEqualTo("hola");
            helper.await("conversation.new");
            assertThat(customer.await("queue.position").getInteger("position")).isEqualTo(1);

            admin.ack(frame("conversation.assign", conv));
            helper.await("conversation.assigned");
            assertThat(customer.await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo("Admin");

            admin.ack(frame("message", conv).put("clientMsgId", "r1").put("text", "¿en qué puedo ayudar?"));
            assertThat(customer.await("message").getJsonObject("message").getString("text")).isEqualTo("¿en qué puedo ayudar?");
            customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "2").put("text", "mi pedido"));
            assertThat(admin.await("message").getJsonObject("message").getString("text")).isEqualTo("mi pedido");

            admin.ack(frame("conversation.transfer", conv).put("toAgentId", helperId).put("comment", "your turn"));
            assertThat(helper.await("conversation.transferred").getString("comment")).isEqualTo("your turn");
            customer.await(f -> "agent.joined".equals(f.getString("type")) && "helper".equals(f.getJsonObject("agent").getString("name")));
            helper.ack(frame("message", conv).put("clientMsgId", "h1").put("text", "hola, soy helper"));
            customer.await(f -> "message".equals(f.getString("type")) && "hola, soy helper".equals(f.getJsonObject("message").getString("text")));
            assertThat(customer.received().toString()).doesNotContain("your turn");

            // A login on one node is valid on the other (the nodes share the signing key).
            try (Ws sameAdminOnA = Ws.agent(a.port(), fx.adminToken())) {
                assertThat(sameAdminOnA.await("hello").getJsonObject("inbox").getJsonArray("mine")).isEmpty();
            }

            // Presence crosses nodes too.
            helper.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            admin.await(f -> "presence".equals(f.getString("type")) && helperId.equals(f.getString("agentId"))
                    && "away".equals(f.getString("status")));
        }
    }

    @Test
    void aTeamsRoutingChangedOnOneNodeTakesEffectAtOnceOnTheOther() {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String team = fx.createTeam("Flip", "manual");
        String widget = fx.createWidget("Flip widget", team);
        String agentId = fx.createAgent("flip@test.local", "agent");
        fx.setMembers(team, List.of(agentId));
        try (Ws agent = Ws.agent(a.port(), fx.login("flip@test.local"))) {
            agent.await("hello");
            // Manual: node A reads the policy (and keeps it) while it routes the first conversation.
            String first;
            try (Ws c1 = Ws.customer(a.port(), widget, null)) {
                c1.await("hello");
                first = c1.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "one"))
                        .getString("conversationId");
                agent.await(f -> "conversation.new".equals(f.getString("type"))
                        && first.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(c1.await("queue.position").getInteger("position")).isEqualTo(1);
            }

            // Turned auto on node B: the waiting one is assigned, and so is the next one opened on node A.
            assertThat(b.http().patch("/api/teams/" + team, new JsonObject().put("routing", "auto"), fx.adminToken())
                    .body().getString("routing")).isEqualTo("auto");
            agent.await(f -> "conversation.assigned".equals(f.getString("type"))
                    && first.equals(f.getJsonObject("conversation").getString("id")));
            try (Ws c2 = Ws.customer(a.port(), widget, null)) {
                c2.await("hello");
                c2.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "two"));
                assertThat(c2.await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo("flip");
                assertThat(c2.receivedOfType("queue.position")).isEmpty();
            }

            // Back to manual on node B: the next one on node A rings and waits.
            b.http().patch("/api/teams/" + team, new JsonObject().put("routing", "manual"), fx.adminToken());
            try (Ws c3 = Ws.customer(a.port(), widget, null)) {
                c3.await("hello");
                String third = c3.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "three"))
                        .getString("conversationId");
                agent.await(f -> "conversation.new".equals(f.getString("type"))
                        && third.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(c3.await("queue.position").getInteger("position")).isEqualTo(1);
                assertThat(c3.receivedOfType("agent.joined")).isEmpty();
            }
        }
    }
}
