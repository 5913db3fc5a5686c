package io.switchboard.cluster;

import io.switchboard.bus.Topics;
import io.switchboard.testing.Fixtures;
import io.switchboard.testing.Scrapes;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes in a cluster on loopback: a customer on one and agents on the other chat as if on one
 * node; a delivery goes to the nodes holding its recipients only, and a customer may come back on
 * either node.
 */
class ClusterIT {
    private static final String METRICS_TOKEN = "metrics-secret";
    private static final String ARRIVED = "switchboard_cluster_deliveries_arrived_total";
    private static final String FORWARDED = "switchboard_cluster_deliveries_forwarded_total";
    private static final String REMOTE_TOPICS = "switchboard_cluster_remote_topics";
    private static final String UNANSWERED = "switchboard_cluster_directory_unanswered_total";
    private static List<TestNode> nodes;

    @BeforeAll
    static void start() {
        // Answers wait as long as a slow test machine may need: a node that seems not to answer is not waited
        // for, which would let a test's socket be greeted before the other node knows it.
        nodes = TestNode.cluster(2, Map.of("SWITCHBOARD_METRICS_TOKEN", METRICS_TOKEN, "SWITCHBOARD_CLUSTER_ANSWER_MS", "60000"));
    }

    @AfterAll
    static void stop() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void aCustomerOnOneNodeAndAgentsOnTheOtherGoThroughAlertAssignmentMessagesAndATransfer() {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String support = fx.supportTeamId();
        String helperId = fx.createAgent("helper@test.local", "agent");
        List<String> members = new ArrayList<>(List.of(fx.adminId(), helperId));
        fx.setMembers(support, members);
        try (Ws admin = Ws.agent(b.port(), fx.adminToken());
             Ws helper = Ws.agent(b.port(), fx.login("helper@test.local"));
             Ws customer = Ws.customer(a.port(), a.widgetKey(), null)) {
            admin.await("hello");
            helper.await("hello");
            customer.await("hello");
            String conv = customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "hola"))
                    .getString("conversationId");
            assertThat(admin.await("conversation.new").getJsonObject("message").getString("text")).isEqualTo("hola");
            helper.await("conversation.new");
            assertThat(customer.await("queue.position").getInteger("position")).isEqualTo(1);

            admin.ack(frame("conversation.assign", conv));
            helper.await("conversation.assigned");
            assertThat(customer.await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo("Admin");

            admin.ack(frame("message", conv).put("clientMsgId", "r1").put("text", "¿en qué puedo ayudar?"));
            assertThat(customer.await("message").getJsonObject("message").getString("text")).isEqualTo("¿en qué puedo ayudar?");
            customer.ack(new JsonObject().put("type", "message").put("clientMsgId", "2").put("text", "mi pedido"));
            assertThat(admin.await("message").getJsonObject("message").getString("text")).isEqualTo("mi pedido");

            admin.ack(frame("conversation.transfer", conv).put("toAgentId", helperId).put("comment", "your turn"));
            assertThat(helper.await("conversation.transferred").getString("comment")).isEqualTo("your turn");
            customer.await(f -> "agent.joined".equals(f.getString("type")) && "helper".equals(f.getJsonObject("agent").getString("name")));
            helper.ack(frame("message", conv).put("clientMsgId", "h1").put("text", "hola, soy helper"));
            customer.await(f -> "message".equals(f.getString("type")) && "hola, soy helper".equals(f.getJsonObject("message").getString("text")));
            assertThat(customer.received().toString()).doesNotContain("your turn");

            // A login on one node is valid on the other (the nodes share the signing key).
            try (Ws sameAdminOnA = Ws.agent(a.port(), fx.adminToken())) {
                assertThat(sameAdminOnA.await("hello").getJsonObject("inbox").getJsonArray("mine")).isEmpty();
            }

            // Presence crosses nodes too.
            helper.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            admin.await(f -> "presence".equals(f.getString("type")) && helperId.equals(f.getString("agentId"))
                    && "away".equals(f.getString("status")));
        }
    }

    @Test
    void aTeamsRoutingChangedOnOneNodeTakesEffectAtOnceOnTheOther() {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String team = fx.createTeam("Flip", "manual");
        String widget = fx.createWidget("Flip widget", team);
        String agentId = fx.createAgent("flip@test.local", "agent");
        fx.setMembers(team, List.of(agentId));
        try (Ws agent = Ws.agent(a.port(), fx.login("flip@test.local"))) {
            agent.await("hello");
            // Manual: node A reads the policy (and keeps it) while it routes the first conversation.
            String first;
            try (Ws c1 = Ws.customer(a.port(), widget, null)) {
                c1.await("hello");
                first = c1.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "one"))
                        .getString("conversationId");
                agent.await(f -> "conversation.new".equals(f.getString("type"))
                        && first.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(c1.await("queue.position").getInteger("position")).isEqualTo(1);
            }

            // Turned auto on node B: the waiting one is assigned, and so is the next one opened on node A.
            assertThat(b.http().patch("/api/teams/" + team, new JsonObject().put("routing", "auto"), fx.adminToken())
                    .body().getString("routing")).isEqualTo("auto");
            agent.await(f -> "conversation.assigned".equals(f.getString("type"))
                    && first.equals(f.getJsonObject("conversation").getString("id")));
            try (Ws c2 = Ws.customer(a.port(), widget, null)) {
                c2.await("hello");
                c2.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "two"));
                assertThat(c2.await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo("flip");
                assertThat(c2.receivedOfType("queue.position")).isEmpty();
            }

            // Back to manual on node B: the next one on node A rings and waits.
            b.http().patch("/api/teams/" + team, new JsonObject().put("routing", "manual"), fx.adminToken());
            try (Ws c3 = Ws.customer(a.port(), widget, null)) {
                c3.await("hello");
                String third = c3.ack(new JsonObject().put("type", "message").put("clientMsgId", "1").put("text", "three"))
                        .getString("conversationId");
                agent.await(f -> "conversation.new".equals(f.getString("type"))
                        && third.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(c3.await("queue.position").getInteger("position")).isEqualTo(1);
                assertThat(c3.receivedOfType("agent.joined")).isEmpty();
            }
        }
    }

    @Test
    void aCustomerWhoComesBackOnTheOtherNodeChatsOnAndNoNodeSeesWhatNoneOfItsSocketsIsFor() {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String widget = soloAutoTeam(fx, "Hop", "hop@test.local");
        try (Ws agent = Ws.agent(b.port(), fx.login("hop@test.local"))) {
            agent.await("hello");
            String token;
            String conv;
            double arrivedOnA = metric(a, ARRIVED);
            try (Ws customer = Ws.customer(a.port(), widget, null)) {
                token = customer.await("hello").getJsonObject("visitor").getString("token");
                conv = customer.ack(customerMessage("1", "hola")).getString("conversationId");
                customer.await("agent.joined");
                agent.ack(frame("message", conv).put("clientMsgId", "a1").put("text", "hola, ¿qué tal?"));
                customer.await(message("hola, ¿qué tal?"));
            }
            assertThat(metric(a, ARRIVED)).as("the agent's words crossed to the customer's node").isGreaterThan(arrivedOnA);

            // The customer's socket on A is gone; once B has heard, A holds nothing that B knows of.
            awaitMetric(b, REMOTE_TOPICS, 0);
            try (Ws customer = Ws.customer(b.port(), widget, token)) {
                assertThat(customer.await("hello").getJsonObject("conversation").getString("id")).isEqualTo(conv);
                double arrived = metric(a, ARRIVED);
                double forwarded = metric(b, FORWARDED);
                for (int i = 0; i < 5; i++) {
                    agent.ack(frame("message", conv).put("clientMsgId", "b" + i).put("text", "agent " + i));
                    customer.await(message("agent " + i));
                    customer.ack(customerMessage("c" + i, "customer " + i));
                    agent.await(message("customer " + i));
                }
                assertThat(metric(a, ARRIVED)).as("node A holds none of the recipients: it saw none of it").isEqualTo(arrived);
                assertThat(metric(b, FORWARDED)).isEqualTo(forwarded);
            }

            // And back on A: the agent's next words reach it there.
            try (Ws customer = Ws.customer(a.port(), widget, token)) {
                customer.await("hello");
                agent.ack(frame("message", conv).put("clientMsgId", "a2").put("text", "¿sigues ahí?"));
                customer.await(message("¿sigues ahí?"));
            }
        }
    }

    @Test
    void aCustomerBackOnAnotherNodeIsGreetedOnlyOnceTheAgentsNodeKnowsAndGetsLiveAllThatFollows() throws Exception {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        // Each node waits for the other's answers (one that did not answer once would be sent syncs, not waited for).
        assertThat(metric(a, UNANSWERED)).isZero();
        assertThat(metric(b, UNANSWERED)).isZero();
        Fixtures fx = new Fixtures(b);
        String widget = soloAutoTeam(fx, "Busy", "busy@test.local");
        try (Ws agent = Ws.agent(b.port(), fx.login("busy@test.local"))) {
            agent.await("hello");
            JsonObject visitor;
            String conv;
            try (Ws customer = Ws.customer(b.port(), widget, null)) {
                visitor = customer.await("hello").getJsonObject("visitor");
                conv = customer.ack(customerMessage("1", "hola")).getString("conversationId");
                customer.await("agent.joined");
            }
            // B, the agent's node, holds back A's word that A now has a socket of this visitor, until the test lets it in.
            String join = "+" + Topics.visitor(visitor.getString("id"));
            try (HeldBack heldBack = new HeldBack(b, join::equals);
                 Ws customer = Ws.customer(a.port(), widget, visitor.getString("token"))) {
                Runnable letIn = heldBack.next();
                assertThat(letIn).as("A tells B of the socket").isNotNull();
                // Not sent to A (B does not know yet): the hello, which waits for B, must count these.
                long before = 0;
                for (int i = 0; i < 3; i++) {
                    before = agent.ack(frame("message", conv).put("clientMsgId", "x" + i).put("text", "before " + i)).getLong("seq");
                }
                assertThat(customer.receivedOfType("hello")).as("greeted before the agent's node knew").isEmpty();
                letIn.run();
                long from = customer.await("hello").getJsonObject("conversation").getLong("lastSeq");
                assertThat(from).isGreaterThanOrEqualTo(before);
                long last = 0;
                for (int i = 0; i < 3; i++) {
                    last = agent.ack(frame("message", conv).put("clientMsgId", "y" + i).put("text", "after " + i)).getLong("seq");
                }
                for (long seq = from + 1; seq <= last; seq++) {
                    long wanted = seq;
                    customer.await(f -> "message".equals(f.getString("type")) && f.getJsonObject("message").getLong("seq") == wanted);
                }
            }
        }
    }

    @Test
    void aNewVisitorsFirstTabGetsTheEchoOfASecondTabOnTheOtherNodeWhileItsJoinIsStillOnItsWay() throws Exception {
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String widget = soloAutoTeam(fx, "Tabs", "tabs@test.local");
        // B hears of A's socket of the new visitor only when the test lets it in (a slow round): the first
        // tab is greeted at once all the same, and its token opens a second tab on B meanwhile.
        String visitorJoin = "+" + Topics.visitor("");
        Runnable letIn = null;
        try (HeldBack heldBack = new HeldBack(b, change -> change.startsWith(visitorJoin));
             Ws first = Ws.customer(a.port(), widget, null)) {
            String token = first.await("hello").getJsonObject("visitor").getString("token");
            letIn = heldBack.next();
            assertThat(letIn).as("A tells B of the first tab").isNotNull();
            try (Ws second = Ws.customer(b.port(), widget, token)) {
                second.await("hello");
                second.ack(customerMessage("t1", "desde la otra pestaña"));
                first.await(message("desde la otra pestaña"));
            }
        } finally {
            if (letIn != null) {
                letIn.run();
            }
        }
    }

    @Test
    void aNodeThatJoinsLaterLearnsWhereTheSocketsAlreadyOpenAre() {
        TestNode b = nodes.get(1);
        Fixtures fx = new Fixtures(b);
        String widget = soloAutoTeam(fx, "Late", "late@test.local");
        try (Ws agent = Ws.agent(b.port(), fx.login("late@test.local"));
             TestNode c = TestNode.joining(b)) {
            agent.await("hello");
            try (Ws customer = Ws.customer(c.port(), widget, null)) {
                customer.await("hello");
                String conv = customer.ack(customerMessage("1", "¿hay alguien?")).getString("conversationId");
                agent.await(f -> "conversation.assigned".equals(f.getString("type"))
                        && conv.equals(f.getJsonObject("conversation").getString("id")));
                customer.await("agent.joined");
                customer.ack(customerMessage("2", "tengo una duda"));
                agent.await(message("tengo una duda"));
                agent.ack(frame("message", conv).put("clientMsgId", "l1").put("text", "dime"));
                customer.await(message("dime"));
            }
        }
    }

    /**
     * The cluster directory's changes that a node hears only when the test lets them in (a slow round):
     * those naming a change that {@code held} matches. Each held message is one {@link #next()}.
     */
    private static final class HeldBack implements AutoCloseable {
        private final TestNode node;
        private final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
        private final Handler<DeliveryContext<Object>> interceptor;

        HeldBack(TestNode node, Predicate<String> held) {
            this.node = node;
            this.interceptor = ctx -> {
                if (ctx.message().body() instanceof JsonObject body && body.getJsonArray("changes", new JsonArray()).stream()
                        .anyMatch(c -> held.test((String) c))) {
                    Context here = node.vertx().getOrCreateContext();
                    this.held.add(() -> here.runOnContext(v -> ctx.next()));
                } else {
                    ctx.next();
                }
            };
            node.vertx().eventBus().addInboundInterceptor(interceptor);
        }

        /** Lets the next held message in when run; null if none was held within 10 s. */
        Runnable next() throws InterruptedException {
            return held.poll(10, TimeUnit.SECONDS);
        }

        /** Holds back nothing more (what it holds stays held until let in). */
        @Override
        public void close() {
            node.vertx().eventBus().removeInboundInterceptor(interceptor);
        }
    }

    /** An {@code auto} team of one new agent, and a widget of it; returns the widget's key. */
    private static String soloAutoTeam(Fixtures fx, String name, String email) {
        String team = fx.createTeam(name, "auto");
        String agentId = fx.createAgent(email, "agent");
        fx.setMembers(team, List.of(agentId));
        return fx.createWidget(name, team);
    }

    private static JsonObject customerMessage(String clientMsgId, String text) {
        return new JsonObject().put("type", "message").put("clientMsgId", clientMsgId).put("text", text);
    }

    private static Predicate<JsonObject> message(String text) {
        return f -> "message".equals(f.getString("type")) && text.equals(f.getJsonObject("message").getString("text"));
    }

    private static double metric(TestNode node, String series) {
        return Scrapes.value(node.http().get("/metrics", METRICS_TOKEN).raw(), series);
    }

    /** Waits until a node's metric has the value: what the node hears from the others arrives when it arrives. */
    private static void awaitMetric(TestNode node, String series, double value) {
        Ws.awaitAll(series + " = " + value + " on a node", () -> metric(node, series) == value);
    }
}
