package io.switchboard.routing;

import io.switchboard.store.pg.Jdbc;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new conversation of an automatic pool with room is assigned by the commit that opens it (V11):
 * the node reserves the agent's slot in Redis first. What Postgres refuses is given back and routed
 * as any new conversation.
 */
class AssignedAtOpeningIT {
    private TestNode node;
    private Fixtures fx;
    private Vertx vertx;
    private Redis redis;

    @BeforeEach
    void start() {
        node = TestNode.start(Map.of());
        fx = new Fixtures(node);
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, node.env("SWITCHBOARD_REDIS_URL"));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        node.close();
    }

    /**
     * A solo auto team's agent and two customers; the first has opened the widget's first conversation
     * on this node (which teaches the node the widget's pool) and was assigned.
     */
    private record Scene(Fixtures.SoloTeam solo, Ws agent, Ws c1, Ws c2, String first) implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
            c1.close();
            c2.close();
        }
    }

    private Scene scene(int maxChats) {
        Fixtures.SoloTeam solo = fx.soloAutoTeam("solo@test.local", maxChats);
        Ws agent = Ws.agent(node.port(), fx.login(solo.agentEmail()));
        Ws c1 = Ws.customer(node.port(), solo.widgetKey(), null);
        Ws c2 = Ws.customer(node.port(), solo.widgetKey(), null);
        agent.await("hello");
        c1.await("hello");
        c2.await("hello");
        String first = c1.ack(customerMessage("1", "first customer")).getString("conversationId");
        c1.await("agent.joined");
        return new Scene(solo, agent, c1, c2, first);
    }

    @Test
    void aNewConversationIsStoredWithItsFirstMessageAndItsAgentInOneCommit() throws Exception {
        try (Scene s = scene(5)) {
            String second = s.c2().ack(customerMessage("1", "second customer")).getString("conversationId");
            assertThat(s.c2().await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo("solo");
            // The ack first: a widget learns its (new) conversation from it, and files what follows under it.
            assertThat(s.c2().received().stream().map(f -> f.getString("type")).filter(t -> !"hello".equals(t)).toList())
                    .startsWith("ack", "agent.joined");
            JsonObject assigned = s.agent().await(f -> "conversation.assigned".equals(f.getString("type"))
                    && second.equals(f.getJsonObject("conversation").getString("id"))).getJsonObject("conversation");
            assertThat(assigned.getJsonObject("assignee").getString("id")).isEqualTo(s.solo().agentId());
            assertThat(assigned.getJsonObject("team").getString("name")).isEqualTo("Auto");
            assertThat(assigned.getJsonObject("lastMessage").getString("text")).isEqualTo("second customer");

            assertThat(oneCommit(s.first())).as("the first: opened, then assigned by the drain").isFalse();
            assertThat(oneCommit(second)).as("the second: opened and assigned together").isTrue();
            assertThat(redis(Request.cmd(Command.HGET).arg(prefix() + "agent:" + s.solo().agentId()).arg("load")).toInteger())
                    .isEqualTo(2);
            assertThat(redis(Request.cmd(Command.ZCARD).arg(prefix() + "assigning")).toInteger())
                    .as("no reservation is left unconfirmed").isZero();
            // Its messages flow as any conversation's.
            s.agent().ack(agentMessage(second, "a1", "hello there"));
            assertThat(s.c2().await("message").getJsonObject("message").getString("text")).isEqualTo("hello there");
        }
    }

    @Test
    void aSlotPostgresRefusesIsGivenBackAndTheConversationWaitsItsTurn() throws Exception {
        try (Scene s = scene(1)) {
            // Redis loses count: it thinks the agent (capacity 1, holding one) has room.
            String agentKey = prefix() + "agent:" + s.solo().agentId();
            redis(Request.cmd(Command.HSET).arg(agentKey).arg("load").arg(0));

            String second = s.c2().ack(customerMessage("1", "second customer")).getString("conversationId");
            s.c2().await(f -> "queue.position".equals(f.getString("type")) && f.getInteger("position") == 1);
            assertThat(s.c2().receivedOfType("agent.joined")).isEmpty();
            assertThat(assignee(second)).as("Postgres counted the agent full").isNull();
            assertThat(redis(Request.cmd(Command.HGET).arg(agentKey).arg("load")).toInteger())
                    .as("the load as Postgres counts it").isEqualTo(1);
            assertThat(redis(Request.cmd(Command.ZCARD).arg(prefix() + "assigning")).toInteger()).isZero();

            // It waits its turn and is not lost: the agent's next free slot is its.
            s.agent().ack(frame("conversation.status", s.first()).put("status", "done"));
            s.c2().await("agent.joined");
            assertThat(assignee(second)).isEqualTo(s.solo().agentId());
        }
    }

    private String prefix() {
        return node.env("SWITCHBOARD_REDIS_PREFIX");
    }

    private Response redis(Request r) throws Exception {
        return redis.send(r).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Whether the conversation's current row, its first message and its assignment were written by one transaction. */
    private boolean oneCommit(String conversationId) throws Exception {
        return query("""
                select c.xmin::text = m.xmin::text and c.xmin::text = a.xmin::text
                  from conversations c
                  join messages m on m.conversation_id = c.id and m.seq = 1
                  join assignments a on a.conversation_id = c.id
                 where c.id = ?""", conversationId);
    }

    private String assignee(String conversationId) throws Exception {
        return query("select assignee_id::text from conversations where id = ?", conversationId);
    }

    @SuppressWarnings("unchecked")
    private <T> T query(String sql, String conversationId) throws Exception {
        try (Connection c = Jdbc.connect(node.env("SWITCHBOARD_PG_URL"));
             PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, UUID.fromString(conversationId));
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("a row for " + conversationId).isTrue();
                return (T) rs.getObject(1);
            }
        }
    }
}
