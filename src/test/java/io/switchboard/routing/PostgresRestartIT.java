package io.switchboard.routing;

import io.switchboard.embedded.EmbeddedPostgresServer;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.TestServers;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An automatic assignment's commit does not wait for the disk (V9), so a crash of Postgres may lose
 * it while Redis still holds the conversation as taken. After Postgres restarts, routing state is
 * rebuilt from it and such a conversation is routed again.
 */
class PostgresRestartIT {

    @Test
    void aConversationWhoseAssignmentPostgresLostIsRoutedAgainOncePostgresHasRestarted() {
        Path dir = Path.of("target", "test-postgres-restart", String.valueOf(ProcessHandle.current().pid()));
        TestServers.deleteTree(dir);
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir, false);
        int port = pg.port();
        String url = pg.url("sb");
        TestServers.sql(pg.url("postgres"), "create database sb");
        TestNode node = TestNode.start(Map.of("SWITCHBOARD_PG_URL", url, "SWITCHBOARD_PRESENCE_HEARTBEAT_S", "1",
                "SWITCHBOARD_PRESENCE_GRACE_S", "30"));
        try {
            Fixtures fx = new Fixtures(node);
            Fixtures.SoloTeam solo = fx.soloAutoTeam("solo@test.local", 1);
            String widget = solo.widgetKey();
            String agentId = solo.agentId();
            try (Ws agent = Ws.agent(node.port(), fx.login(solo.agentEmail()));
                 Ws customer = Ws.customer(node.port(), widget, null)) {
                agent.await("hello");
                customer.await("hello");
                String conv = customer.ack(customerMessage("1", "hello")).getString("conversationId");
                customer.await("agent.joined");
                agent.await(f -> isAssigned(f, conv, agentId));

                // What a crash in the assignment's window leaves: Postgres has the conversation open and
                // unassigned, Redis has it taken and the agent's only slot used.
                TestServers.sql(url, "update conversations set assignee_id = null where id = '" + conv + "';"
                        + " delete from assignments where conversation_id = '" + conv + "'");
                pg.close();
                pg = EmbeddedPostgresServer.start(dir, false, port);

                // A heartbeat notices the restart and rebuilds: the conversation is assigned again.
                agent.await(f -> isAssigned(f, conv, agentId));
                customer.await("agent.joined");
                // Postgres holds the assignment again: the agent may answer.
                JsonObject ack = agent.ack(agentMessage(conv, "a1", "Sorry for the wait"));
                assertThat(ack.getLong("seq")).isEqualTo(2L);
                assertThat(customer.await("message").getJsonObject("message").getString("text")).isEqualTo("Sorry for the wait");
            }
        } finally {
            node.close();
            pg.close();
            TestServers.deleteTree(dir);
        }
    }

    private static boolean isAssigned(JsonObject f, String conversationId, String agentId) {
        if (!"conversation.assigned".equals(f.getString("type"))) {
            return false;
        }
        JsonObject c = f.getJsonObject("conversation");
        return conversationId.equals(c.getString("id")) && c.getJsonObject("assignee") != null
                && agentId.equals(c.getJsonObject("assignee").getString("id"));
    }
}
