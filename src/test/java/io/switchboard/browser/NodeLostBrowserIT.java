package io.switchboard.browser;

import io.switchboard.embedded.FreePort;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes; the agent's console on the one that dies, the customer's widget and the agent's second
 * console on the one that lives. The dying node stores a reply and a note and never passes them on:
 * the widget and the second console show them once the living node's resync has told them to read.
 */
class NodeLostBrowserIT extends BrowserTestBase {
    private final int clusterPort = FreePort.find();

    @Override
    protected Map<String, String> env() {
        Map<String, String> env = new HashMap<>(super.env());
        env.put("SWITCHBOARD_CLUSTER", "true");
        env.put("SWITCHBOARD_CLUSTER_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_CLUSTER_PORT", String.valueOf(clusterPort));
        env.put("SWITCHBOARD_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
        env.put("SWITCHBOARD_CLUSTER_ANSWER_MS", "60000");
        return env;
    }

    @Test
    void theWidgetAndAConsoleShowWhatTheLostNodeStoredButNeverPassedOn() {
        TestNode doomed = TestNode.joining(node);
        try {
            ConsolePage agent = console("agent");
            agent.login(doomed.httpBase(), TestNode.ADMIN_EMAIL, TestNode.ADMIN_PASSWORD);
            WidgetPage customer = customerWhoWrote("¿Dónde está mi pedido?");
            String conversationId = agent.awaitRing();
            agent.answerRing(conversationId);
            agent.click("assign");
            agent.send("Lo miro ahora.");
            customer.awaitMessage("Lo miro ahora.");
            ConsolePage beside = adminConsole("beside");
            beside.tab("mine");
            beside.item(conversationId).click();
            beside.awaitTimeline("message", "Lo miro ahora.");

            // From here the doomed node stores and acks, but its events never leave it.
            doomed.dropDeliveriesToOtherNodes();
            agent.send("Salió esta mañana.");
            agent.notes(true);
            agent.send("Cliente preguntó dos veces");
            Ws.awaitAll("reply and note stored", () -> {
                JsonObject stored = node.http().get("/api/conversations/" + conversationId + "/messages", fx.adminToken()).body();
                return stored.encode().contains("Salió esta mañana.") && stored.encode().contains("Cliente preguntó dos veces");
            });
            assertThat(customer.messagesWith("Salió esta mañana.")).isEmpty();

            doomed.killMembership();

            customer.awaitMessage("Salió esta mañana.");
            beside.awaitTimeline("message", "Salió esta mañana.");
            beside.awaitTimeline("note", "Cliente preguntó dos veces");
            assertThat(customer.messagesWith("Salió esta mañana.")).hasSize(1);
            assertThat(customer.everything()).doesNotContain("Cliente preguntó dos veces");
        } finally {
            doomed.close();
        }
    }
}
