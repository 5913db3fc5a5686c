package io.switchboard.routing;

import io.switchboard.embedded.EmbeddedRedisServer;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Redis holds nothing that cannot be rebuilt: after a Redis restart, queues and loads come back from Postgres. */
class RedisRestartIT {

    @Test
    void queuesLoadsAndPresenceAreRebuiltAfterARedisRestartAndNothingIsLost() {
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        int port = redis.port();
        TestNode node = TestNode.start(Map.of("SWITCHBOARD_REDIS_URL", redis.url(), "SWITCHBOARD_PRESENCE_HEARTBEAT_S", "1",
                "SWITCHBOARD_PRESENCE_GRACE_S", "30"));
        try {
            Fixtures fx = new Fixtures(node);
            Fixtures.SoloTeam solo = fx.soloAutoTeam("solo@test.local", 1);
            String widget = solo.widgetKey();
            try (Ws agent = Ws.agent(node.port(), fx.login(solo.agentEmail()));
                 Ws c1 = Ws.customer(node.port(), widget, null);
                 Ws c2 = Ws.customer(node.port(), widget, null);
                 Ws c3 = Ws.customer(node.port(), widget, null)) {
                agent.await("hello");
                c1.await("hello");
                c2.await("hello");
                c3.await("hello");
                String first = c1.ack(customerMessage("1", "one")).getString("conversationId");
                c1.await("agent.joined");
                c2.ack(customerMessage("1", "two"));
                c2.await(f -> "queue.position".equals(f.getString("type")) && f.getInteger("position") == 1);
                c3.ack(customerMessage("1", "three"));
                c3.await(f -> "queue.position".equals(f.getString("type")) && f.getInteger("position") == 2);

                redis.close();
                redis = EmbeddedRedisServer.start(port);

                // Messages never depended on Redis.
                c2.ack(customerMessage("2", "still waiting"));
                JsonObject agentSide = agent.ack(frame("conversation.open", first));
                assertThat(agentSide.getJsonArray("messages")).hasSize(1);
                // The agent resolves: the rebuilt queue hands the oldest waiting conversation to it.
                agent.ack(frame("conversation.status", first).put("status", "done"));
                c2.await("agent.joined");
                c3.await(f -> "queue.position".equals(f.getString("type")) && f.getInteger("position") == 1);
                assertThat(c3.receivedOfType("agent.joined")).as("capacity 1 is respected after the rebuild").isEmpty();
                assertThat(c2.ack(new JsonObject().put("type", "history")).getJsonArray("messages")).hasSize(2);
            }
        } finally {
            node.close();
            redis.close();
        }
    }
}
