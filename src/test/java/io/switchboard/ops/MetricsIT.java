package io.switchboard.ops;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Scrapes;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** After a scripted conversation, /metrics holds the series an operator needs, with the right counts. */
class MetricsIT extends NodeTestBase {
    private static final String TOKEN = "metrics-secret";

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_METRICS_TOKEN", TOKEN);
    }


    @Test
    void aScriptedConversationShowsUpInTheMetricsWithTheRightCounts() {
        assertThat(node.http().get("/metrics", null).status()).as("protected by its token").isEqualTo(401);
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            String conv = c.ack(customerMessage("1", "hello")).getString("conversationId");
            agent.ack(frame("conversation.assign", conv));
            c.ack(customerMessage("2", "are you there?"));
            agent.await("message");
            agent.ack(agentMessage(conv, "a1", "yes"));
            agent.ack(agentMessage(conv, "a2", "how can I help?"));
            c.await(f -> "message".equals(f.getString("type")) && "how can I help?".equals(f.getJsonObject("message").getString("text")));
            c.sendRaw("{not json");
            c.await("error");
            assertThat(c.errorCode(new JsonObject().put("type", "history").put("conversationId", "nope"))).isEqualTo("not_found");

            String s = node.http().get("/metrics", TOKEN).raw();
            assertThat(Scrapes.value(s, "switchboard_sockets{role=\"customer\"}")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_sockets{role=\"agent\"}")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_messages_received_total{direction=\"customer_to_agent\",kind=\"text\"}")).isEqualTo(2);
            assertThat(Scrapes.value(s, "switchboard_messages_received_total{direction=\"agent_to_customer\",kind=\"text\"}")).isEqualTo(2);
            assertThat(Scrapes.value(s, "switchboard_messages_delivered_total{direction=\"agent_to_customer\",kind=\"text\"}")).isEqualTo(2);
            assertThat(Scrapes.value(s, "switchboard_messages_delivered_total{direction=\"customer_to_agent\",kind=\"text\"}"))
                    .as("the first message rings as conversation.new; the second is delivered").isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_ack_latency_seconds_count")).isEqualTo(4);
            assertThat(Scrapes.value(s, "switchboard_delivery_latency_seconds_count{direction=\"agent_to_customer\"}")).isEqualTo(2);
            assertThat(Scrapes.value(s, "switchboard_routing_latency_seconds_count")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_frames_rejected_total{reason=\"malformed\"}")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_errors_total{code=\"bad_request\"}")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_errors_total{code=\"not_found\"}")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_conversations{status=\"open\"}")).isEqualTo(1);
            assertThat(Scrapes.value(s, "switchboard_queue_length{team=\"Support\"}")).isZero();
            assertThat(Scrapes.value(s, "switchboard_agents{status=\"online\"}")).isEqualTo(1);
            assertThat(s).contains("switchboard_event_loop_delay_seconds_count")
                    .contains("jvm_memory_used_bytes").contains("jvm_gc_")
                    .contains("vertx_pool_in_use").contains("vertx_pool_queue_pending")
                    .contains("pool_name=\"postgres\"")
                    .contains("# TYPE switchboard_ack_latency_seconds histogram");
            assertThat(s).as("no ids in labels").doesNotContain(conv);
        }
    }
}
