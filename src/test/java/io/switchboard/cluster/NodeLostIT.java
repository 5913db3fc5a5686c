package io.switchboard.cluster;

import io.switchboard.testing.Fixtures;
import io.switchboard.testing.Scrapes;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed after it stored and acked a message but before it passed the message's event on:
 * the sockets on the surviving node are told to read again ({@code resync}, with what their hello
 * would say now), and the read has the message. Without that, the customer would see the agent's
 * reply only when a later message showed the gap in seq, or never if it stayed the last.
 */
class NodeLostIT {
    private static final String METRICS_TOKEN = "metrics-secret";

    @Test
    void theSocketsOfASurvivingNodeAreToldToReadAgainAndFindTheMessageTheLostNodeNeverPassedOn() {
        List<TestNode> nodes = TestNode.cluster(2, Map.of("SWITCHBOARD_CLUSTER_ANSWER_MS", "60000", "SWITCHBOARD_METRICS_TOKEN", METRICS_TOKEN));
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        try {
            Fixtures fx = new Fixtures(b);
            String helperId = fx.createAgent("helper@test.local", "agent");
            fx.setMembers(fx.supportTeamId(), List.of(fx.adminId(), helperId));
            try (Ws admin = Ws.agent(a.port(), fx.adminToken());
                 Ws helper = Ws.agent(b.port(), fx.login("helper@test.local"));
                 Ws customer = Ws.customer(b.port(), b.widgetKey(), null);
                 Ws bystander = Ws.customer(b.port(), b.widgetKey(), null)) {
                admin.await("hello");
                helper.await("hello");
                customer.await("hello");
                bystander.await("hello");
                // A conversation that never touches node a.
                String other = bystander.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "hi"))
                        .getString("conversationId");
                helper.await(f -> "conversation.new".equals(f.getString("type"))
                        && other.equals(f.getJsonObject("conversation").getString("id")));
                helper.ack(frame("conversation.assign", other));
                bystander.await("agent.joined");

                String conv = customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "hola"))
                        .getString("conversationId");
                admin.await("conversation.new");
                admin.ack(frame("conversation.assign", conv));
                helper.await("conversation.assigned");
                customer.await("agent.joined");

                // Node a stores and acks the reply, then "dies" before its event leaves: deliveries to b are dropped.
                a.dropDeliveriesToOtherNodes();
                long seq = admin.ack(frame("message", conv).put("clientMsgId", "r1").put("text", "never passed on"))
                        .getLong("seq");
                a.killMembership();

                JsonObject resync = customer.await("resync");
                assertThat(resync.getString("reason")).isEqualTo("node_lost");
                assertThat(resync.getJsonObject("conversation").getString("id")).isEqualTo(conv);
                assertThat(resync.getJsonObject("conversation").getLong("lastSeq")).isEqualTo(seq);
                assertThat(customer.receivedOfType("message")).as("the event never came").isEmpty();
                JsonArray missed = customer.ack(new JsonObject().put("type", "history").put("afterSeq", seq - 1))
                        .getJsonArray("messages");
                assertThat(missed).hasSize(1);
                assertThat(missed.getJsonObject(0).getString("text")).isEqualTo("never passed on");

                JsonObject agentResync = helper.await("resync");
                assertThat(agentResync.getString("reason")).isEqualTo("node_lost");
                assertThat(agentResync.getJsonObject("inbox").getJsonArray("unassigned")).isEmpty();
                JsonObject opened = helper.ack(frame("conversation.open", conv).put("afterSeq", seq - 1));
                assertThat(opened.getJsonObject("conversation").getLong("lastSeq")).isEqualTo(seq);
                assertThat(opened.getJsonArray("messages").getJsonObject(0).getString("text")).isEqualTo("never passed on");
                assertThat(agentResync.getJsonObject("inbox").getJsonArray("mine").getJsonObject(0).getString("id")).isEqualTo(other);
                assertThat(helper.receivedOfType("resync")).as("once per lost node").hasSize(1);
                // A customer of a conversation that never touched node a is told too (its next event might
                // have been the lost one), and finds nothing missing.
                JsonObject untouched = bystander.await("resync").getJsonObject("conversation");
                assertThat(untouched.getString("id")).isEqualTo(other);
                assertThat(untouched.getLong("lastSeq")).isEqualTo(1L);
                assertThat(Scrapes.value(b.http().get("/metrics", METRICS_TOKEN).raw(), "switchboard_cluster_nodes_lost_total"))
                        .isEqualTo(1.0);
            }
        } finally {
            b.close();
            a.close();
        }
    }
}
