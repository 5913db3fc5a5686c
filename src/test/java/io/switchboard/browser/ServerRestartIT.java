package io.switchboard.browser;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server goes away in the middle of a conversation and comes back: the widget and the console
 * reconnect by themselves; what the customer wrote while it was down is sent once it is back;
 * nothing is lost and nothing is shown twice on either side.
 */
class ServerRestartIT extends BrowserTestBase {

    @Test
    void widgetAndConsoleSurviveARestartWithoutLosingOrRepeatingAMessage() {
        ConsolePage agent = adminConsole("console");
        WidgetPage customer = customerWhoWrote("Is my parcel on its way?");
        String conversationId = agent.awaitRing();
        agent.answerRing(conversationId);
        agent.click("assign");
        agent.send("Yes, it left this morning.");
        customer.awaitMessage("Yes, it left this morning.");

        node.stop();
        customer.waitFor("widget offline", r -> customer.all("connection").stream()
                .anyMatch(e -> !"online".equals(e.getAttribute("data-state"))));
        customer.send("Can I change the address?");
        customer.waitFor("unsent while offline", r -> customer.messagesWith("Can I change the address?").stream()
                .anyMatch(m -> !"sent".equals(m.getAttribute("data-state"))));

        node.startAgain();
        customer.awaitOnline();
        customer.awaitSent("Can I change the address?");
        agent.awaitTimeline("message", "Can I change the address?");
        agent.send("Yes, tell me the new one.");
        customer.awaitMessage("Yes, tell me the new one.");

        List<String> said = List.of("Is my parcel on its way?", "Yes, it left this morning.",
                "Can I change the address?", "Yes, tell me the new one.");
        for (String text : said) {
            assertThat(customer.messagesWith(text)).as("widget: " + text).hasSize(1);
            assertThat(agent.timelineWith("message", text)).as("console: " + text).hasSize(1);
        }
        // The stored history is the same four messages, numbered without gaps.
        List<JsonObject> stored = node.http().get("/api/conversations/" + conversationId + "/messages", fx.adminToken())
                .body().getJsonArray("messages").stream().map(JsonObject.class::cast)
                .filter(m -> !"system".equals(m.getJsonObject("author").getString("type"))).toList();
        assertThat(stored).extracting(m -> m.getString("text")).containsExactlyElementsOf(said);
    }
}
