package io.switchboard.gateway;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol's frame limit (64 KiB) holds both ways: an event or reply longer than that (a page of
 * long messages, an agent's hello listing hundreds of conversations) goes out as one message of
 * several frames, which a client holding the server to the limit takes whole.
 */
class LongEventsIT extends NodeTestBase {

    @Test
    void aReplyLongerThanAFrameArrivesWholeAtAClientThatTakesNoFrameOverSixtyFourKibibytes() {
        try (Ws customer = Ws.connectStrict(node.port(), "/ws/customer?widget=" + node.widgetKey())) {
            customer.await("hello");
            // Three bytes a character: frames of 64 KiB end inside one, and the whole must still be text.
            for (int i = 0; i < 10; i++) {
                customer.ack(customerMessage("long-" + i, i + " " + "€".repeat(9_000)));
            }

            JsonObject page = customer.ack(new JsonObject().put("type", "history"));

            assertThat(page.encode().getBytes(StandardCharsets.UTF_8).length).as("longer than one frame may be")
                    .isGreaterThan(64 * 1024);
            assertThat(page.getJsonArray("messages")).hasSize(10);
            assertThat(page.getJsonArray("messages").getJsonObject(9).getString("text")).isEqualTo("9 " + "€".repeat(9_000));
            assertThat(customer.ack(new JsonObject().put("type", "ping"))).as("the socket is still open").isNotNull();
        }
    }
}
