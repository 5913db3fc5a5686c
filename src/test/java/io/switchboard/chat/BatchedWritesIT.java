package io.switchboard.chat;

import io.switchboard.testing.Chat;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many customers writing at once, through one Postgres connection for writes, so their messages go
 * out in shared batches: each conversation still numbers its messages 1, 2, 3 … without gaps, each
 * sender gets its own answer, and a retried message inside a batch is a duplicate for its sender
 * only.
 */
class BatchedWritesIT extends NodeTestBase {
    private static final int CUSTOMERS = 12;
    private static final int MESSAGES = 6;

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_PG_POOL_SIZE", "2", "SWITCHBOARD_RATE_LIMIT_PER_S", "0");
    }

    @Test
    void messagesWrittenAtOnceAreStoredInOrderEachWithItsOwnAck() {
        List<Ws> customers = new ArrayList<>();
        try {
            for (int i = 0; i < CUSTOMERS; i++) {
                Ws c = Ws.customer(node.port(), node.widgetKey(), null);
                c.await("hello");
                c.ack(customerMessage("first", "opening " + i));
                customers.add(c);
            }
            // Everyone writes without waiting for acks; the last frame of each repeats an earlier clientMsgId.
            for (int m = 2; m <= MESSAGES; m++) {
                for (int i = 0; i < CUSTOMERS; i++) {
                    customers.get(i).send(customerMessage("m" + m, "message " + m + " of " + i).put("ref", "r" + m));
                }
            }
            for (Ws c : customers) {
                c.send(customerMessage("m3", "message 3 again").put("ref", "again"));
            }
            for (int i = 0; i < CUSTOMERS; i++) {
                Ws c = customers.get(i);
                String thirdId = null;
                for (int m = 2; m <= MESSAGES; m++) {
                    String ref = "r" + m;
                    JsonObject ack = c.await(f -> ref.equals(f.getString("ref")));
                    assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
                    assertThat(ack.getJsonObject("result").getLong("seq")).isEqualTo(m);
                    assertThat(ack.getJsonObject("result").getBoolean("duplicate")).isFalse();
                    if (m == 3) {
                        thirdId = ack.getJsonObject("result").getString("messageId");
                    }
                }
                // the retries' originals are looked up together: each sender gets its own back
                JsonObject again = c.await(f -> "again".equals(f.getString("ref"))).getJsonObject("result");
                assertThat(again.getBoolean("duplicate")).isTrue();
                assertThat(again.getLong("seq")).isEqualTo(3);
                assertThat(again.getString("messageId")).isEqualTo(thirdId);

                List<String> texts = c.ack(new JsonObject().put("type", "history").put("ref", "h"))
                        .getJsonArray("messages").stream().map(JsonObject.class::cast).map(x -> x.getString("text")).toList();
                List<String> expected = new ArrayList<>(List.of("opening " + i));
                for (int m = 2; m <= MESSAGES; m++) {
                    expected.add("message " + m + " of " + i);
                }
                assertThat(texts).containsExactlyElementsOf(expected);
            }
        } finally {
            customers.forEach(Ws::close);
        }
    }

    /**
     * Both sides of one conversation writing at once, without waiting for acks: a conversation's next
     * message joins the batches before the one before it is committed, and still every message gets
     * the next seq, its ack in the order it was sent, and each side sees the other's messages in seq
     * order, none missing.
     */
    @Test
    void bothSidesWritingAtOnceAreNumberedAndDeliveredInOrder() {
        int each = 40;
        try (Chat chat = Chat.assigned(node, fx.adminToken(), "opening")) {
            for (int m = 0; m < each; m++) {
                chat.customer().send(customerMessage("c" + m, "cust#" + m).put("ref", "cust#" + m));
                chat.agent().send(agentMessage(chat.conversationId(), "a" + m, "agt#" + m).put("ref", "agt#" + m));
            }
            Set<Long> seqs = new TreeSet<>();
            seqs.addAll(acksInOrder(chat.customer(), "cust#", each));
            seqs.addAll(acksInOrder(chat.agent(), "agt#", each));
            assertThat(seqs).as("seq 1 is the opening; then one seq per message, no gap")
                    .containsExactlyElementsOf(LongStream.rangeClosed(2, 1 + 2L * each).boxed().toList());
            assertThat(deliveredTexts(chat.agent(), "cust#", each)).containsExactlyElementsOf(texts("cust#", each));
            assertThat(deliveredTexts(chat.customer(), "agt#", each)).containsExactlyElementsOf(texts("agt#", each));
        }
    }

    /** The seqs of one side's acks, checked to rise in the order the messages were sent. */
    private static List<Long> acksInOrder(Ws side, String prefix, int count) {
        for (int m = 0; m < count; m++) {
            String ref = prefix + m;
            JsonObject reply = side.await(f -> ref.equals(f.getString("ref")));
            assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("ack");
        }
        List<JsonObject> acks = side.receivedOfType("ack").stream()
                .filter(f -> f.getString("ref", "").startsWith(prefix)).toList();
        List<String> refs = acks.stream().map(f -> f.getString("ref")).toList();
        List<Long> seqs = acks.stream().map(f -> f.getJsonObject("result").getLong("seq")).toList();
        assertThat(refs).as("acks leave in the order the messages were sent").containsExactlyElementsOf(texts(prefix, count));
        assertThat(seqs).as("and their seqs rise").isSorted().doesNotHaveDuplicates();
        return seqs;
    }

    /** The texts of the other side's messages as they reached this side, once all have; their seqs rise. */
    private static List<String> deliveredTexts(Ws side, String prefix, int count) {
        Ws.awaitAll(count + " messages reach the other side", () -> messagesFrom(side, prefix).size() >= count);
        List<JsonObject> got = messagesFrom(side, prefix);
        assertThat(got.stream().map(m -> m.getLong("seq")).toList()).isSorted().doesNotHaveDuplicates();
        return got.stream().map(m -> m.getString("text")).toList();
    }

    private static List<JsonObject> messagesFrom(Ws side, String prefix) {
        return side.receivedOfType("message").stream().map(f -> f.getJsonObject("message"))
                .filter(m -> m.getString("text", "").startsWith(prefix)).toList();
    }

    private static List<String> texts(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(m -> prefix + m).toList();
    }

    /**
     * Customers coming back at once (as after a reconnect storm) are looked up together, and ask for
     * their history together: each gets its own visitor, conversation and messages, an unknown token
     * is still refused, and a conversation that is not the asker's is still not found.
     */
    @Test
    void customersReturningAtOnceEachGetTheirOwnVisitorConversationAndHistory() throws Exception {
        List<String> tokens = new ArrayList<>();
        List<String> visitors = new ArrayList<>();
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
                JsonObject visitor = c.await("hello").getJsonObject("visitor");
                tokens.add(visitor.getString("token"));
                visitors.add(visitor.getString("id"));
                conversations.add(c.ack(customerMessage("hi", "hello from " + i)).getString("conversationId"));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(CUSTOMERS + 1);
        List<Ws> back = new ArrayList<>();
        try {
            List<Future<Ws>> connecting = new ArrayList<>();
            for (String token : tokens) {
                connecting.add(pool.submit(() -> Ws.customer(node.port(), node.widgetKey(), token)));
            }
            Future<Integer> stranger = pool.submit(() ->
                    Ws.refusedStatus(node.port(), "/ws/customer?widget=" + node.widgetKey() + "&token=vt_nobody"));
            for (Future<Ws> f : connecting) {
                back.add(f.get());
            }
            assertThat(stranger.get()).isEqualTo(401);
            for (int i = 0; i < CUSTOMERS; i++) {
                JsonObject hello = back.get(i).await("hello");
                assertThat(hello.getJsonObject("visitor").getString("id")).isEqualTo(visitors.get(i));
                assertThat(hello.getJsonObject("conversation").getString("id")).isEqualTo(conversations.get(i));
            }
            // every history request at once, and one customer asking for its neighbour's conversation
            for (int i = 0; i < CUSTOMERS; i++) {
                back.get(i).send(new JsonObject().put("type", "history").put("ref", "h"));
            }
            back.get(0).send(new JsonObject().put("type", "history").put("ref", "theirs").put("conversationId", conversations.get(1)));
            for (int i = 0; i < CUSTOMERS; i++) {
                JsonObject reply = back.get(i).await(f -> "h".equals(f.getString("ref")));
                assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("ack");
                List<String> texts = reply.getJsonObject("result").getJsonArray("messages").stream()
                        .map(JsonObject.class::cast).map(x -> x.getString("text")).toList();
                assertThat(texts).containsExactly("hello from " + i);
            }
            JsonObject theirs = back.get(0).await(f -> "theirs".equals(f.getString("ref")));
            assertThat(theirs.getString("type")).isEqualTo("error");
            assertThat(theirs.getString("code")).isEqualTo("not_found");
        } finally {
            back.forEach(Ws::close);
            pool.shutdownNow();
        }
    }
}
