package io.switchboard.chat;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static org.assertj.core.api.Assertions.assertThat;

/** The customer socket end to end: hello, messages, acks, retries, history, resuming, a new conversation after done. */
class CustomerChatIT extends NodeTestBase {

    @Test
    void helloGivesANewVisitorATokenAndNoConversation() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            JsonObject hello = c.await("hello");
            assertThat(hello.getInteger("protocol")).isEqualTo(1);
            assertThat(hello.getString("role")).isEqualTo("customer");
            assertThat(hello.getJsonObject("visitor").getString("id")).isNotBlank();
            assertThat(hello.getJsonObject("visitor").getString("token")).isNotBlank();
            assertThat(hello.getValue("conversation")).isNull();
            assertThat(c.received().get(0).getString("type")).as("hello is the first frame").isEqualTo("hello");
        }
    }

    @Test
    void theFirstMessageOpensAConversationAndIsAckedWithSeqOne() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            JsonObject ack = c.ack(customerMessage("m1", "Hola, necesito ayuda"));
            assertThat(ack.getString("conversationId")).isNotBlank();
            assertThat(ack.getString("messageId")).isNotBlank();
            assertThat(ack.getLong("seq")).isEqualTo(1);
            assertThat(ack.getLong("at")).isPositive();
            assertThat(ack.getBoolean("duplicate")).isFalse();

            JsonObject second = c.ack(customerMessage("m2", "¿Hay alguien?"));
            assertThat(second.getString("conversationId")).isEqualTo(ack.getString("conversationId"));
            assertThat(second.getLong("seq")).isEqualTo(2);
            // Messages get time-ordered ids (cheap to index); a conversation's id stays random: it must be unguessable.
            assertThat(UUID.fromString(ack.getString("messageId")).version()).isEqualTo(7);
            assertThat(UUID.fromString(second.getString("messageId")).version()).isEqualTo(7);
            assertThat(UUID.fromString(ack.getString("conversationId")).version()).isEqualTo(4);

            List<JsonObject> history = c.ack(new JsonObject().put("type", "history")).getJsonArray("messages")
                    .stream().map(JsonObject.class::cast).toList();
            assertThat(history).extracting(m -> m.getString("text")).containsExactly("Hola, necesito ayuda", "¿Hay alguien?");
            assertThat(history).extracting(m -> m.getJsonObject("author").getString("type")).containsOnly("customer");
        }
    }

    @Test
    void aRetriedClientMsgIdStoresNothingNewAndAcksTheOriginal() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            JsonObject first = c.ack(customerMessage("same", "once"));
            JsonObject retry = c.ack(customerMessage("same", "once"));
            assertThat(retry.getBoolean("duplicate")).isTrue();
            assertThat(retry.getLong("seq")).isEqualTo(first.getLong("seq"));
            assertThat(retry.getString("messageId")).isEqualTo(first.getString("messageId"));
            JsonObject next = c.ack(customerMessage("other", "twice"));
            assertThat(next.getLong("seq")).as("no gap after a duplicate").isEqualTo(2);
            assertThat(c.ack(new JsonObject().put("type", "history")).getJsonArray("messages")).hasSize(2);
        }
    }

    @Test
    void aReconnectWithTheTokenResumesTheConversationAndHistoryReturnsExactlyTheGap() {
        String token;
        String conversationId;
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            token = c.await("hello").getJsonObject("visitor").getString("token");
            conversationId = c.ack(customerMessage("a", "one")).getString("conversationId");
            c.ack(customerMessage("b", "two"));
        }
        String agentToken = fx.adminToken();
        try (Ws agent = Ws.agent(node.port(), agentToken)) {
            agent.await("hello");
            agent.ack(new JsonObject().put("type", "conversation.assign").put("conversationId", conversationId));
            for (int i = 1; i <= 3; i++) {
                agent.ack(new JsonObject().put("type", "message").put("conversationId", conversationId)
                        .put("clientMsgId", "reply" + i).put("text", "reply " + i));
            }
        }
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), token)) {
            JsonObject hello = c.await("hello");
            assertThat(hello.getJsonObject("conversation").getString("id")).isEqualTo(conversationId);
            assertThat(hello.getJsonObject("conversation").getLong("lastSeq")).isEqualTo(5);
            List<JsonObject> gap = c.ack(new JsonObject().put("type", "history").put("afterSeq", 2))
                    .getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
            assertThat(gap).extracting(m -> m.getLong("seq")).containsExactly(3L, 4L, 5L);
            assertThat(gap).extracting(m -> m.getString("text")).containsExactly("reply 1", "reply 2", "reply 3");
            assertThat(gap).allSatisfy(m -> {
                assertThat(m.getJsonObject("author").getString("type")).isEqualTo("agent");
                assertThat(m.getJsonObject("author").containsKey("id")).as("a customer never sees agent ids").isFalse();
            });
            JsonObject more = c.ack(customerMessage("c", "three"));
            assertThat(more.getString("conversationId")).isEqualTo(conversationId);
            assertThat(more.getLong("seq")).isEqualTo(6);
        }
    }

    @Test
    void aMessageAfterDoneOpensANewConversationAndTheOldOneStaysDone() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            String first = firstConversationDone(c, agent, "a", "first");
            JsonObject status = c.await("conversation.status");
            assertThat(status.getString("conversationId")).isEqualTo(first);
            assertThat(status.getString("status")).isEqualTo("done");

            JsonObject again = c.ack(customerMessage("b", "again"));
            assertThat(again.getString("conversationId")).isNotEqualTo(first);
            assertThat(again.getLong("seq")).isEqualTo(1);
            JsonObject alert = agent.await(f -> "conversation.new".equals(f.getString("type"))
                    && again.getString("conversationId").equals(f.getJsonObject("conversation").getString("id")));
            assertThat(alert.getJsonObject("message").getString("text")).isEqualTo("again");
            JsonObject old = agent.ack(new JsonObject().put("type", "conversation.open").put("conversationId", first));
            assertThat(old.getJsonObject("conversation").getString("status")).isEqualTo("done");
        }
    }

    @Test
    void aRetryOfAMessageWhoseConversationWasResolvedDoesNotOpenANewOne() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            String conv = firstConversationDone(c, agent, "lost-ack", "hello?");
            JsonObject retry = c.ack(customerMessage("lost-ack", "hello?"));
            assertThat(retry.getBoolean("duplicate")).isTrue();
            assertThat(retry.getString("conversationId")).isEqualTo(conv);
            assertThat(retry.getLong("seq")).isEqualTo(1);
        }
    }

    @Test
    void aReusedClientMsgIdWithOtherWordsAfterDoneIsANewMessageInANewConversation() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            String conv = firstConversationDone(c, agent, "m1", "my order is late");
            // the widget was reloaded and counts from m1 again
            JsonObject next = c.ack(customerMessage("m1", "another question"));
            assertThat(next.getBoolean("duplicate")).isFalse();
            assertThat(next.getString("conversationId")).isNotEqualTo(conv);
            assertThat(next.getLong("seq")).isEqualTo(1);
        }
    }

    @Test
    void twoTabsSendingTheirFirstMessagesAtOnceShareOneNewConversation() {
        try (Ws a = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            String token = a.await("hello").getJsonObject("visitor").getString("token");
            agent.await("hello");
            try (Ws b = Ws.customer(node.port(), node.widgetKey(), token)) {
                b.await("hello");
                for (int round = 0; round < 5; round++) { // a fresh visitor's first messages each round
                    String ra = "ra" + round;
                    String rb = "rb" + round;
                    a.send(customerMessage("a" + round, "from tab A").put("ref", ra));
                    b.send(customerMessage("b" + round, "from tab B").put("ref", rb));
                    JsonObject ackA = a.await(f -> ra.equals(f.getString("ref"))).getJsonObject("result");
                    JsonObject ackB = b.await(f -> rb.equals(f.getString("ref"))).getJsonObject("result");
                    assertThat(ackA.getString("conversationId")).isEqualTo(ackB.getString("conversationId"));
                    assertThat(List.of(ackA.getLong("seq"), ackB.getLong("seq"))).containsExactlyInAnyOrder(1L, 2L);
                    // both tabs start over: resolved by an admin, the next first messages open a new one
                    takeAndResolve(agent, ackA.getString("conversationId"));
                    a.await("conversation.status");
                    b.await("conversation.status");
                }
            }
        }
    }

    @Test
    void aBurstSentWithoutWaitingForAcksIsStoredAndAckedInTheOrderSent() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            String conv = c.ack(customerMessage("b0", "opening")).getString("conversationId");
            List<String> sent = burst(c, "b", 20);
            List<JsonObject> acks = acksOf(c, sent);
            for (int i = 0; i < acks.size(); i++) {
                assertThat(acks.get(i).getString("conversationId")).isEqualTo(conv);
                assertThat(acks.get(i).getLong("seq")).isEqualTo(i + 2);
            }
            assertThat(texts(c.ack(new JsonObject().put("type", "history").put("conversationId", conv))))
                    .containsExactlyElementsOf(concat("opening", sent));
        }
    }

    @Test
    void aBurstIntoAConversationResolvedMeanwhileOpensOneNewConversationInTheOrderSent() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            String done = firstConversationDone(c, agent, "d0", "first");
            c.await("conversation.status");
            // The socket still writes to the resolved conversation: each message of the burst is refused
            // there, and the first opens the next conversation, which the others then join in order.
            List<String> sent = burst(c, "d", 8);
            List<JsonObject> acks = acksOf(c, sent);
            String next = acks.get(0).getString("conversationId");
            assertThat(next).isNotEqualTo(done);
            for (int i = 0; i < acks.size(); i++) {
                assertThat(acks.get(i).getString("conversationId")).isEqualTo(next);
                assertThat(acks.get(i).getLong("seq")).isEqualTo(i + 1);
            }
            assertThat(texts(c.ack(new JsonObject().put("type", "history").put("conversationId", next))))
                    .containsExactlyElementsOf(sent);
        }
    }

    /** Sends n messages back to back, each with its own ref and text, and returns their texts. */
    private static List<String> burst(Ws c, String prefix, int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String text = prefix + " message " + i;
            c.send(customerMessage(prefix + i, text).put("ref", text));
            texts.add(text);
        }
        return texts;
    }

    /** The results of the acks to {@link #burst}, checking that they arrived in the order sent. */
    private static List<JsonObject> acksOf(Ws c, List<String> refs) {
        for (String ref : refs) {
            JsonObject ack = c.await(f -> ref.equals(f.getString("ref")));
            assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
        }
        List<JsonObject> acks = c.received().stream()
                .filter(f -> "ack".equals(f.getString("type")) && refs.contains(f.getString("ref"))).toList();
        assertThat(acks.stream().map(f -> f.getString("ref")).toList()).containsExactlyElementsOf(refs);
        return acks.stream().map(f -> f.getJsonObject("result")).toList();
    }

    private static List<String> texts(JsonObject history) {
        return history.getJsonArray("messages").stream().map(JsonObject.class::cast).map(m -> m.getString("text")).toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    /** Both sockets greeted, the customer's first message opens a conversation, the agent takes it and marks it Done. */
    private static String firstConversationDone(Ws customer, Ws agent, String clientMsgId, String text) {
        customer.await("hello");
        agent.await("hello");
        String conversationId = customer.ack(customerMessage(clientMsgId, text)).getString("conversationId");
        takeAndResolve(agent, conversationId);
        return conversationId;
    }

    /** "Assign to me", then Done, by an agent socket. */
    private static void takeAndResolve(Ws agent, String conversationId) {
        agent.ack(new JsonObject().put("type", "conversation.assign").put("conversationId", conversationId));
        agent.ack(new JsonObject().put("type", "conversation.status").put("conversationId", conversationId).put("status", "done"));
    }

    @Test
    void theCustomersOwnMessageIsEchoedToItsOtherSocketsOnly() {
        try (Ws a = Ws.customer(node.port(), node.widgetKey(), null)) {
            String token = a.await("hello").getJsonObject("visitor").getString("token");
            try (Ws b = Ws.customer(node.port(), node.widgetKey(), token)) {
                b.await("hello");
                JsonObject ack = a.ack(customerMessage("x", "from tab A"));
                JsonObject echo = b.await("message").getJsonObject("message");
                assertThat(echo.getString("id")).isEqualTo(ack.getString("messageId"));
                assertThat(echo.getString("text")).isEqualTo("from tab A");
                a.ack(new JsonObject().put("type", "ping"));
                assertThat(a.receivedOfType("message")).as("the sender gets the ack, not an echo").isEmpty();
            }
        }
    }

    @Test
    void aCustomerCannotReadAnotherVisitorsConversation() {
        String othersConversation;
        try (Ws other = Ws.customer(node.port(), node.widgetKey(), null)) {
            other.await("hello");
            othersConversation = other.ack(customerMessage("p", "private")).getString("conversationId");
        }
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            String token = c.await("hello").getJsonObject("visitor").getString("token");
            assertThat(c.errorCode(new JsonObject().put("type", "history").put("conversationId", othersConversation)))
                    .isEqualTo("not_found");
            var http = node.http().get("/api/conversations/" + othersConversation + "/messages?token=" + token, null);
            assertThat(http.status()).isEqualTo(404);
            assertThat(http.errorCode()).isEqualTo("not_found");
            assertThat(http.raw()).doesNotContain("private");
        }
    }
}
