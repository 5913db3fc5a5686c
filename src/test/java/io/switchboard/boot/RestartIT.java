package io.switchboard.boot;

import io.switchboard.config.ConfigLoader;
import io.switchboard.testing.Http;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.TestServers;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** Stopping and starting again: nothing acknowledged is lost, and the embedded default keeps its data. */
class RestartIT {

    @Test
    void theEmbeddedDefaultKeepsEverythingAcrossARestartOnTheSameDataDir() {
        Path dataDir = Path.of("target", "restart-embedded");
        TestServers.deleteTree(dataDir);
        Map<String, String> env = Map.of(
                "SWITCHBOARD_DATA_DIR", dataDir.toString(),
                "SWITCHBOARD_HTTP_PORT", "0",
                "SWITCHBOARD_ADMIN_EMAIL", "owner@test.local",
                "SWITCHBOARD_ADMIN_PASSWORD", "owner-password",
                "SWITCHBOARD_WARMUP_S", "0");
        Switchboard first = Switchboard.start(ConfigLoader.load(null, env));
        String widgetKey = first.widgetKey();
        String token;
        String visitorToken;
        String conversation;
        try {
            assertThat(first.config().embeddedPostgres()).isFalse(); // it now points at the embedded server it started
            token = new Http("http://127.0.0.1:" + first.port()).login("owner@test.local", "owner-password").getString("token");
            try (Ws c = Ws.customer(first.port(), widgetKey, null)) {
                visitorToken = c.await("hello").getJsonObject("visitor").getString("token");
                conversation = c.ack(customerMessage("1", "before the restart")).getString("conversationId");
                c.ack(customerMessage("2", "also before"));
            }
        } finally {
            first.stop();
        }

        Switchboard second = Switchboard.start(ConfigLoader.load(null, env));
        try {
            assertThat(second.widgetKey()).as("seeded once").isEqualTo(widgetKey);
            Http http = new Http("http://127.0.0.1:" + second.port());
            assertThat(http.get("/api/me", token).status()).as("tokens outlive a restart").isEqualTo(200);
            try (Ws c = Ws.customer(second.port(), widgetKey, visitorToken)) {
                JsonObject hello = c.await("hello");
                assertThat(hello.getJsonObject("conversation").getString("id")).isEqualTo(conversation);
                assertThat(c.ack(new JsonObject().put("type", "history")).getJsonArray("messages"))
                        .extracting(m -> ((JsonObject) m).getString("text"))
                        .containsExactly("before the restart", "also before");
                assertThat(c.ack(customerMessage("3", "after")).getLong("seq")).isEqualTo(3);
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void stoppingClosesSocketsWith1001AndLosesNoAcknowledgedMessage() {
        TestNode node = TestNode.start();
        try {
            int n = 200;
            String visitorToken;
            List<Long> ackedSeqs = new ArrayList<>();
            try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
                 Ws agent = Ws.agent(node.port(), node.loginAdmin().getString("token"))) {
                visitorToken = c.await("hello").getJsonObject("visitor").getString("token");
                agent.await("hello");
                c.ack(customerMessage("first", "first"));
                for (int i = 0; i < n; i++) {
                    c.send(customerMessage("burst" + i, "burst " + i).put("ref", "b" + i));
                }
                node.stop();
                assertThat(c.awaitClose()).isEqualTo(1001);
                assertThat(agent.awaitClose()).isEqualTo(1001);
                for (JsonObject f : c.received()) {
                    if ("ack".equals(f.getString("type")) && f.getString("ref").startsWith("b")) {
                        ackedSeqs.add(f.getJsonObject("result").getLong("seq"));
                    }
                }
            }
            node.restart();
            try (Ws c = Ws.customer(node.port(), node.widgetKey(), visitorToken)) {
                c.await("hello");
                List<Long> stored = c.ack(new JsonObject().put("type", "history").put("limit", 500))
                        .getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
                assertThat(stored).containsAll(ackedSeqs);
                for (int i = 0; i < stored.size(); i++) {
                    assertThat(stored.get(i)).as("seq has no gaps").isEqualTo(i + 1L);
                }
            }
        } finally {
            node.close();
        }
    }
}
