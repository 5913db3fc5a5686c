package io.switchboard.refusals;

import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A socket past its rate limit gets rate_limited; one that keeps on is closed with 1008. */
class RateLimitIT {

    @Test
    void framesPastTheLimitAreRefusedAndSustainedAbuseClosesTheSocket() {
        try (TestNode node = TestNode.start(Map.of("SWITCHBOARD_RATE_LIMIT_PER_S", "1", "SWITCHBOARD_RATE_LIMIT_BURST", "3"));
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            JsonObject ping = new JsonObject().put("type", "ping");
            for (int i = 0; i < 3; i++) {
                c.ack(ping);
            }
            assertThat(c.errorCode(ping)).isEqualTo("rate_limited");
            c.errorCode(ping);
            c.errorCode(ping);
            c.send(ping.copy().put("ref", "last"));
            assertThat(c.awaitClose()).isEqualTo(1008);
        }
    }
}
