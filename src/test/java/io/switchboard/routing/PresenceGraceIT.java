package io.switchboard.routing;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** A network blink changes nothing; an agent gone past the grace period gives its conversations back. */
class PresenceGraceIT extends NodeTestBase {
    private String teamId;
    private String widget;

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_PRESENCE_GRACE_S", "2", "SWITCHBOARD_PRESENCE_HEARTBEAT_S", "1");
    }

    @BeforeEach
    void start() {
        teamId = fx.createTeam("Auto", "auto");
        widget = fx.createWidget("Auto", teamId);
        String first = fx.createAgent("first@test.local", "agent");
        String second = fx.createAgent("second@test.local", "agent");
        fx.setMembers(teamId, List.of(first, second, fx.adminId()));
    }

    private static boolean presenceOf(JsonObject f, String agentId) {
        return "presence".equals(f.getString("type")) && agentId.equals(f.getString("agentId"));
    }

    @Test
    void aSocketThatDropsAndReturnsWithinTheGracePeriodChangesNothing() {
        try (Ws admin = Ws.agent(node.port(), fx.adminToken());
             Ws c = Ws.customer(node.port(), widget, null)) {
            admin.await("hello");
            admin.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            String conv;
            String agentId;
            try (Ws first = Ws.agent(node.port(), fx.login("first@test.local"))) {
                agentId = first.await("hello").getJsonObject("agent").getString("id");
                admin.await(f -> presenceOf(f, agentId));
                c.await("hello");
                conv = c.ack(customerMessage("1", "hi")).getString("conversationId");
                first.await("conversation.assigned");
            }
            try (Ws back = Ws.agent(node.port(), fx.login("first@test.local"))) {
                JsonObject hello = back.await("hello");
                assertThat(hello.getString("status")).isEqualTo("online");
                assertThat(hello.getJsonObject("inbox").getJsonArray("mine").getJsonObject(0).getString("id")).isEqualTo(conv);
                // A clock: "second" leaves after first's blink, for good. When second is declared gone, first's
                // blink is older than the grace period, and first, connected again, must still be present.
                String secondId;
                try (Ws second = Ws.agent(node.port(), fx.login("second@test.local"))) {
                    secondId = second.await("hello").getJsonObject("agent").getString("id");
                }
                admin.await(f -> presenceOf(f, secondId) && "offline".equals(f.getString("status")));
                back.ack(new JsonObject().put("type", "message").put("conversationId", conv).put("clientMsgId", "a").put("text", "still here"));
                c.await(f -> "message".equals(f.getString("type")) && "still here".equals(f.getJsonObject("message").getString("text")));
            }
            assertThat(admin.received().stream().filter(f -> presenceOf(f, agentId)).toList())
                    .as("one presence event: online, none for the blink").hasSize(1);
            assertThat(c.received().stream().filter(f -> "message".equals(f.getString("type"))
                    && "system".equals(f.getJsonObject("message").getString("kind"))).toList()).isEmpty();
        }
    }

    @Test
    void anAgentGonePastTheGracePeriodHasItsConversationsRequeuedAndRoutedToAnother() {
        try (Ws admin = Ws.agent(node.port(), fx.adminToken());
             Ws c = Ws.customer(node.port(), widget, null)) {
            admin.await("hello");
            admin.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            String conv;
            String agentId;
            try (Ws first = Ws.agent(node.port(), fx.login("first@test.local"))) {
                agentId = first.await("hello").getJsonObject("agent").getString("id");
                c.await("hello");
                conv = c.ack(customerMessage("1", "hi")).getString("conversationId");
                first.await("conversation.assigned");
                c.await("agent.joined");
            }
            JsonObject offline = admin.await(f -> presenceOf(f, agentId) && "offline".equals(f.getString("status")));
            assertThat(offline).isNotNull();
            JsonObject notice = c.await(f -> "message".equals(f.getString("type"))
                    && "system".equals(f.getJsonObject("message").getString("kind"))).getJsonObject("message");
            assertThat(notice.getString("text")).contains("first").contains("no longer available");
            try (Ws second = Ws.agent(node.port(), fx.login("second@test.local"))) {
                second.await("hello");
                JsonObject assigned = second.await(f -> "conversation.assigned".equals(f.getString("type"))
                        && conv.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(assigned.getJsonObject("conversation").getJsonObject("assignee").getString("name")).isEqualTo("second");
                c.await(f -> "agent.joined".equals(f.getString("type")) && "second".equals(f.getJsonObject("agent").getString("name")));
            }
        }
    }
}
