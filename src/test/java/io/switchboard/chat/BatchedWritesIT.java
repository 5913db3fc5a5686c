package io.switchboard.chat;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
                for (int m = 2; m <= MESSAGES; m++) {
                    String ref = "r" + m;
                    JsonObject ack = c.await(f -> ref.equals(f.getString("ref")));
                    assertThat(ack.getString("type")).as(ack.encode()).isEqualTo("ack");
                    assertThat(ack.getJsonObject("result").getLong("seq")).isEqualTo(m);
                    assertThat(ack.getJsonObject("result").getBoolean("duplicate")).isFalse();
                }
                JsonObject again = c.await(f -> "again".equals(f.getString("ref"))).getJsonObject("result");
                assertThat(again.getBoolean("duplicate")).isTrue();
                assertThat(again.getLong("seq")).isEqualTo(3);

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
}
