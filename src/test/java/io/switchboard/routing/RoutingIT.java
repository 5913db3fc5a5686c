package io.switchboard.routing;

import io.switchboard.testing.Fixtures;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Automatic and manual routing, capacity, queues and positions, re-alerts, transfers. */
class RoutingIT {
    private TestNode node;
    private Fixtures fx;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private void start(Map<String, String> env) {
        node = TestNode.start(env);
        fx = new Fixtures(node);
    }

    static Integer lastPosition(Ws customer) {
        List<JsonObject> positions = customer.receivedOfType("queue.position");
        return positions.isEmpty() ? null : positions.get(positions.size() - 1).getInteger("position");
    }

    /** Agents of a new team, with the given capacity, connected and greeted. Names are prefix0, prefix1 … */
    private List<Ws> team(String teamId, String prefix, int n, int maxChats, List<String> ids) {
        List<Ws> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = prefix + i + "@test.local";
            String id = fx.createAgent(email, "agent");
            fx.setMaxChats(id, maxChats);
            ids.add(id);
        }
        fx.setMembers(teamId, ids);
        for (int i = 0; i < n; i++) {
            Ws ws = Ws.agent(node.port(), fx.login(prefix + i + "@test.local"));
            ws.await("hello");
            sockets.add(ws);
        }
        return sockets;
    }

    /**
     * Customers who keep writing while their new conversations are being assigned. Every agent of the
     * team gets the team's messages live, before and after the assignment; {@code conversation.assigned}
     * takes its place in that stream: each message it shows as the last one came before it, each one
     * after that comes after it (a message stored just after an assignment could overtake it), in seq
     * order, none missing.
     */
    @Test
    void conversationAssignedTakesItsPlaceAmongTheConversationsMessages() {
        start(Map.of("SWITCHBOARD_RATE_LIMIT_PER_S", "0"));
        String teamId = fx.createTeam("Auto", "auto");
        String widget = fx.createWidget("Auto widget", teamId);
        List<Ws> agents = team(teamId, "eager", 4, 10, new ArrayList<>());
        List<Ws> customers = new ArrayList<>();
        int burst = 6;
        try {
            for (int i = 0; i < 24; i++) {
                customers.add(Ws.customer(node.port(), widget, null));
            }
            customers.forEach(c -> c.await("hello"));
            customers.forEach(c -> c.send(customerMessage("first", "first").put("ref", "first")));
            // Each writes on as soon as its first message is stored: while its conversation is being assigned.
            List<String> conversations = new ArrayList<>();
            for (Ws c : customers) {
                conversations.add(c.await(f -> "first".equals(f.getString("ref"))).getJsonObject("result").getString("conversationId"));
                for (int m = 1; m <= burst; m++) {
                    c.send(customerMessage("m" + m, "more " + m).put("ref", "m" + m));
                }
            }
            for (Ws c : customers) {
                for (int m = 1; m <= burst; m++) {
                    String ref = "m" + m;
                    assertThat(c.await(f -> ref.equals(f.getString("ref"))).getString("type")).isEqualTo("ack");
                }
            }
            for (Ws agent : agents) {
                Ws.awaitAll("every conversation assigned and all its messages with every agent of the team",
                        () -> conversations.stream().allMatch(conv -> streamOf(agent, conv).size() == 1 + burst));
                for (String conv : conversations) {
                    List<Long> stream = streamOf(agent, conv);
                    int assigned = stream.indexOf(-1L);
                    List<Long> live = new ArrayList<>(stream);
                    live.remove(assigned);
                    assertThat(live).as("live messages, in seq order, none missing").containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(2, 1 + burst).boxed().toList());
                    long shown = lastShown(agent, conv);
                    assertThat(stream.subList(0, assigned)).as("before conversation.assigned: up to the last one it shows")
                            .allSatisfy(seq -> assertThat(seq).isLessThanOrEqualTo(shown));
                    assertThat(stream.subList(assigned + 1, stream.size())).as("after it: the rest")
                            .allSatisfy(seq -> assertThat(seq).isGreaterThan(shown));
                }
            }
        } finally {
            customers.forEach(Ws::close);
            agents.forEach(Ws::close);
        }
    }

    /** What an agent got of one conversation, in order: each live message's seq, and -1 for conversation.assigned. */
    private static List<Long> streamOf(Ws agent, String conversationId) {
        List<Long> out = new ArrayList<>();
        for (JsonObject f : agent.received()) {
            if ("conversation.assigned".equals(f.getString("type")) && conversationId.equals(f.getJsonObject("conversation").getString("id"))) {
                out.add(-1L);
            } else if ("message".equals(f.getString("type")) && conversationId.equals(f.getJsonObject("message").getString("conversationId"))) {
                out.add(f.getJsonObject("message").getLong("seq"));
            }
        }
        return out;
    }

    /** The seq of the last message that conversation.assigned showed this agent. */
    private static long lastShown(Ws agent, String conversationId) {
        return agent.receivedOfType("conversation.assigned").stream().map(f -> f.getJsonObject("conversation"))
                .filter(c -> conversationId.equals(c.getString("id"))).findFirst().orElseThrow()
                .getJsonObject("lastMessage").getLong("seq");
    }

    @Test
    void aHundredConversationsForFiveAgentsOfCapacityThreeFifteenAssignedEvenlyTheRestQueuedOldestFirst() {
        start(Map.of());
        String teamId = fx.createTeam("Auto", "auto");
        String widget = fx.createWidget("Auto widget", teamId);
        List<String> agentIds = new ArrayList<>();
        List<Ws> agents = team(teamId, "auto", 5, 3, agentIds);
        List<Ws> customers = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Ws c = Ws.customer(node.port(), widget, null);
                customers.add(c);
            }
            customers.forEach(c -> c.await("hello"));
            // One after the other (each acked before the next writes), while routing works on the earlier ones:
            // a conversation joins its queue when it is stored, so "oldest first" is only defined between
            // conversations that were queued at the same time; customers writing at the very same moment may
            // be queued in either order.
            Map<Ws, String> conversationOf = new HashMap<>();
            for (int i = 0; i < customers.size(); i++) {
                Ws c = customers.get(i);
                c.send(customerMessage("first", "customer " + i).put("ref", "first"));
                conversationOf.put(c, c.await(f -> "first".equals(f.getString("ref"))).getJsonObject("result").getString("conversationId"));
            }

            // Exactly 15 assigned (each agent's console sees its team's assignments), 3 per agent.
            Ws watcher = agents.get(0);
            Ws.awaitAll("15 assignments", () -> watcher.receivedOfType("conversation.assigned").size() >= 15);
            Map<String, Integer> perAgent = new HashMap<>();
            for (JsonObject a : watcher.receivedOfType("conversation.assigned")) {
                perAgent.merge(a.getJsonObject("conversation").getJsonObject("assignee").getString("id"), 1, Integer::sum);
            }
            assertThat(perAgent).hasSize(5).allSatisfy((agent, n) -> assertThat(n).isEqualTo(3));

            // agent.joined reaches each customer on its own socket, not necessarily before the agents' frames.
            Ws.awaitAll("15 customers told", () -> customers.stream().filter(c -> !c.receivedOfType("agent.joined").isEmpty()).count() >= 15);
            List<Ws> joined = customers.stream().filter(c -> !c.receivedOfType("agent.joined").isEmpty()).toList();
            assertThat(joined).hasSize(15);
            List<Ws> waiting = customers.stream().filter(c -> c.receivedOfType("agent.joined").isEmpty()).toList();
            Ws.awaitAll("85 distinct queue positions 1..85", () -> waiting.stream().map(RoutingIT::lastPosition)
                    .filter(p -> p != null).distinct().count() == 85
                    && waiting.stream().allMatch(c -> lastPosition(c) != null && lastPosition(c) <= 85));

            // Queued oldest first: no waiting conversation is older than an assigned one, and positions follow age.
            // Conversations are ordered by the database's arrival sequence; the createdAt of two created at the
            // same moment on two threads may disagree with it by a few milliseconds.
            long skew = 50;
            Map<String, Long> createdAt = new HashMap<>();
            node.http().get("/api/conversations?limit=500", fx.adminToken()).body().getJsonArray("conversations")
                    .forEach(o -> createdAt.put(((JsonObject) o).getString("id"), ((JsonObject) o).getLong("createdAt")));
            long newestAssigned = joined.stream().mapToLong(c -> createdAt.get(conversationOf.get(c))).max().orElseThrow();
            long oldestWaiting = waiting.stream().mapToLong(c -> createdAt.get(conversationOf.get(c))).min().orElseThrow();
            assertThat(newestAssigned).isLessThanOrEqualTo(oldestWaiting + skew);
            List<Ws> byPosition = waiting.stream().sorted((a, b) -> lastPosition(a) - lastPosition(b)).toList();
            for (int i = 1; i < byPosition.size(); i++) {
                assertThat(createdAt.get(conversationOf.get(byPosition.get(i))))
                        .isGreaterThanOrEqualTo(createdAt.get(conversationOf.get(byPosition.get(i - 1))) - skew);
            }

            // An agent resolves one: the customer at position 1 is assigned next, everyone behind moves up.
            Ws next = byPosition.get(0);
            Ws second = byPosition.get(1);
            JsonObject mine = watcher.receivedOfType("conversation.assigned").stream()
                    .filter(a -> agentIds.get(0).equals(a.getJsonObject("conversation").getJsonObject("assignee").getString("id")))
                    .findFirst().orElseThrow();
            watcher.ack(frame("conversation.status", mine.getJsonObject("conversation").getString("id")).put("status", "done"));
            assertThat(next.await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo("auto0");
            second.await(f -> "queue.position".equals(f.getString("type")) && f.getInteger("position") == 1);
            Ws last = byPosition.get(84);
            last.await(f -> "queue.position".equals(f.getString("type")) && f.getInteger("position") == 84);
        } finally {
            customers.forEach(Ws::close);
            agents.forEach(Ws::close);
        }
    }

    @Test
    void anAutoPoolWithRoomAssignsEveryNewConversationAndTellsNoCustomerAQueuePosition() {
        start(Map.of());
        String teamId = fx.createTeam("Roomy", "auto");
        String widget = fx.createWidget("Roomy widget", teamId);
        List<Ws> agents = team(teamId, "roomy", 4, 10, new ArrayList<>());
        List<Ws> customers = new ArrayList<>();
        try {
            for (int i = 0; i < 24; i++) {
                customers.add(Ws.customer(node.port(), widget, null));
            }
            customers.forEach(c -> c.await("hello"));
            // All at once, so that conversations are queued while others of the pool are being assigned.
            customers.forEach(c -> c.send(customerMessage("first", "hi").put("ref", "first")));
            for (Ws c : customers) {
                c.await(f -> "first".equals(f.getString("ref")));
                c.await("agent.joined");
            }
            Ws.awaitAll("24 assignments", () -> agents.get(0).receivedOfType("conversation.assigned").size() >= 24);
            for (Ws c : customers) {
                assertThat(c.receivedOfType("queue.position")).as("a customer assigned at once").isEmpty();
            }
        } finally {
            customers.forEach(Ws::close);
            agents.forEach(Ws::close);
        }
    }

    @Test
    void concurrentAutomaticAssignmentsToOneAgentStopAtItsMaxChatsWhateverRedisThinks() throws Exception {
        start(Map.of());
        String support = fx.supportTeamId();
        String agentId = fx.createAgent("busy@test.local", "agent");
        fx.setMaxChats(agentId, 2);
        List<String> waiting = new ArrayList<>();
        List<Ws> customers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Ws c = Ws.customer(node.port(), node.widgetKey(), null);
                customers.add(c);
                c.await("hello");
                waiting.add(c.ack(customerMessage("1", "waiting " + i)).getString("conversationId"));
            }
            // Support routes by hand, so all eight wait. Postgres alone must refuse all but two, even when
            // every attempt holds a slot Redis reserved (as when Redis lost count), each on its own connection.
            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
            try {
                io.vertx.sqlclient.Pool pool = io.switchboard.store.pg.PgPools.create(vertx, node.env("SWITCHBOARD_PG_URL"), 8, "test");
                var store = new io.switchboard.store.pg.ConversationStore(pool);
                List<io.vertx.core.Future<io.switchboard.store.pg.ConversationStore.AutoAssigned>> all = new ArrayList<>();
                for (String conv : waiting) {
                    all.add(store.autoAssign(conv, agentId, support));
                }
                io.vertx.core.Future.join(all).toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
                Map<io.switchboard.store.pg.ConversationStore.AutoAssign, Integer> outcomes = new HashMap<>();
                all.forEach(f -> outcomes.merge(f.result().outcome(), 1, Integer::sum));
                assertThat(outcomes).isEqualTo(Map.of(io.switchboard.store.pg.ConversationStore.AutoAssign.ASSIGNED, 2,
                        io.switchboard.store.pg.ConversationStore.AutoAssign.AGENT_FULL, 6));
                var assigned = all.stream().map(io.vertx.core.Future::result).filter(r -> r.summary() != null).toList();
                assertThat(assigned).hasSize(2).allSatisfy(r -> {
                    assertThat(r.summary().assignee().id()).isEqualTo(agentId);
                    assertThat(r.summary().assignee().name()).isEqualTo("busy");
                    assertThat(r.summary().team().id()).isEqualTo(support);
                    assertThat(r.summary().lastMessage().text()).startsWith("waiting ");
                });
                // A conversation already held is gone for anyone else.
                String held = assigned.get(0).summary().id();
                String other = fx.createAgent("other@test.local", "agent");
                assertThat(store.autoAssign(held, other, support).toCompletionStage().toCompletableFuture()
                        .get(10, java.util.concurrent.TimeUnit.SECONDS).outcome())
                        .isEqualTo(io.switchboard.store.pg.ConversationStore.AutoAssign.CONVERSATION_GONE);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            customers.forEach(Ws::close);
        }
    }

    @Test
    void twentyAgentsClaimingOneConversationInManualModeHaveExactlyOneWinner() {
        start(Map.of());
        String teamId = fx.createTeam("Manual", "manual");
        String widget = fx.createWidget("Manual widget", teamId);
        List<Ws> agents = team(teamId, "m", 20, 5, new ArrayList<>());
        try (Ws c = Ws.customer(node.port(), widget, null)) {
            c.await("hello");
            String conv = c.ack(customerMessage("1", "anyone?")).getString("conversationId");
            agents.forEach(a -> a.await(f -> "conversation.new".equals(f.getString("type"))));
            agents.forEach(a -> a.send(frame("conversation.assign", conv).put("ref", "claim")));
            List<JsonObject> replies = agents.stream().map(a -> a.await(f -> "claim".equals(f.getString("ref")))).toList();
            assertThat(replies).filteredOn(r -> "ack".equals(r.getString("type"))).hasSize(1);
            assertThat(replies).filteredOn(r -> "conflict".equals(r.getString("code"))).hasSize(19);
            agents.forEach(a -> a.await("conversation.assigned"));
            c.await("agent.joined");
        } finally {
            agents.forEach(Ws::close);
        }
    }

    @Test
    void anUnclaimedManualConversationRingsAgainUntilSomeoneTakesIt() {
        start(Map.of("SWITCHBOARD_REALERT_S", "1"));
        try (Ws agent = Ws.agent(node.port(), fx.adminToken());
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            agent.await("hello");
            c.await("hello");
            String conv = c.ack(customerMessage("1", "hello?")).getString("conversationId");
            assertThat(c.await("queue.position").getInteger("position")).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                JsonObject ring = agent.await("conversation.new");
                assertThat(ring.getJsonObject("conversation").getString("id")).isEqualTo(conv);
            }
            agent.ack(frame("conversation.assign", conv));
            agent.await("conversation.assigned");
            // After the claim the conversation leaves the schedule; a later message is the barrier.
            agent.ack(new JsonObject().put("type", "message").put("conversationId", conv).put("clientMsgId", "a").put("text", "hi"));
            c.await("message");
            c.ack(customerMessage("2", "thanks"));
            agent.await("message");
            int rings = agent.receivedOfType("conversation.new").size();
            c.ack(customerMessage("3", "still there?"));
            agent.await("message");
            assertThat(agent.receivedOfType("conversation.new")).hasSize(rings);
        }
    }

    @Test
    void transferringToAnAgentHandsItOverWithTheCommentForAgentsOnly() {
        start(Map.of());
        String support = fx.supportTeamId();
        List<String> ids = new ArrayList<>(List.of(fx.adminId()));
        List<Ws> agents = team(support, "t", 2, 5, ids);
        try (Ws from = agents.get(0); Ws to = agents.get(1);
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            String conv = c.ack(customerMessage("1", "billing question")).getString("conversationId");
            from.ack(frame("conversation.assign", conv));
            String comment = "customer asks about invoice 42, over to you";
            JsonObject ack = from.ack(frame("conversation.transfer", conv).put("toAgentId", ids.get(2)).put("comment", comment));
            assertThat(ack.getJsonObject("conversation").getJsonObject("assignee").getString("id")).isEqualTo(ids.get(2));
            JsonObject transferred = to.await("conversation.transferred");
            assertThat(transferred.getString("comment")).isEqualTo(comment);
            assertThat(transferred.getJsonObject("from").getString("name")).isEqualTo("t0");
            JsonObject notice = c.await(f -> "message".equals(f.getString("type"))
                    && "system".equals(f.getJsonObject("message").getString("kind"))).getJsonObject("message");
            assertThat(notice.getString("text")).contains("t1");
            c.await(f -> "agent.joined".equals(f.getString("type")) && "t1".equals(f.getJsonObject("agent").getString("name")));
            assertThat(from.errorCode(new JsonObject().put("type", "message").put("conversationId", conv)
                    .put("clientMsgId", "x").put("text", "not mine any more"))).isEqualTo("forbidden");
            to.ack(new JsonObject().put("type", "message").put("conversationId", conv).put("clientMsgId", "y").put("text", "hello, t1 here"));
            c.await(f -> "message".equals(f.getString("type")) && "hello, t1 here".equals(f.getJsonObject("message").getString("text")));
            assertThat(c.received().toString()).doesNotContain(comment);

            // An agent who is not online is refused, unless forced; only the holder (or an admin) may transfer.
            from.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            assertThat(from.errorCode(frame("conversation.transfer", conv).put("toAgentId", ids.get(2)))).isEqualTo("forbidden");
            assertThat(to.errorCode(frame("conversation.transfer", conv).put("toAgentId", ids.get(1)))).isEqualTo("conflict");
            JsonObject forced = to.ack(frame("conversation.transfer", conv).put("toAgentId", ids.get(1)).put("force", true));
            assertThat(forced.getJsonObject("conversation").getJsonObject("assignee").getString("name")).isEqualTo("t0");
            assertThat(to.errorCode(frame("conversation.transfer", conv).put("toAgentId", ids.get(1)).put("toTeamId", support)))
                    .isEqualTo("bad_request");
            assertThat(from.errorCode(frame("conversation.transfer", conv).put("toAgentId", java.util.UUID.randomUUID().toString())))
                    .isEqualTo("not_found");
        }
    }

    @Test
    void conversationsWithNoTeamFollowTheWorkspacesDefaultAndTurningATeamAutoDrainsItsQueue() {
        start(Map.of());
        String noTeamWidget = fx.createWidget("No team", null);
        try (Ws admin = Ws.agent(node.port(), fx.adminToken());
             Ws c1 = Ws.customer(node.port(), noTeamWidget, null);
             Ws c2 = Ws.customer(node.port(), node.widgetKey(), null)) {
            admin.await("hello");
            c1.await("hello");
            c2.await("hello");
            assertThat(node.http().get("/api/workspace", fx.adminToken()).body().getString("defaultRouting")).isEqualTo("manual");
            String waitingNoTeam = c1.ack(customerMessage("1", "no team")).getString("conversationId");
            assertThat(admin.await("conversation.new").getJsonObject("conversation").getValue("team")).isNull();
            var patched = node.http().patch("/api/workspace", new JsonObject().put("defaultRouting", "auto"), fx.adminToken());
            assertThat(patched.body().getString("defaultRouting")).isEqualTo("auto");
            JsonObject assigned = admin.await(f -> "conversation.assigned".equals(f.getString("type"))
                    && waitingNoTeam.equals(f.getJsonObject("conversation").getString("id")));
            assertThat(assigned.getJsonObject("conversation").getJsonObject("assignee").getString("name")).isEqualTo("Admin");
            c1.await("agent.joined");

            String waitingSupport = c2.ack(customerMessage("1", "support")).getString("conversationId");
            admin.await(f -> "conversation.new".equals(f.getString("type"))
                    && waitingSupport.equals(f.getJsonObject("conversation").getString("id")));
            var team = node.http().patch("/api/teams/" + fx.supportTeamId(), new JsonObject().put("routing", "auto"), fx.adminToken());
            assertThat(team.body().getString("routing")).isEqualTo("auto");
            c2.await("agent.joined");
            assertThat(node.http().patch("/api/workspace", new JsonObject().put("defaultRouting", "fast"), fx.adminToken()).status())
                    .isEqualTo(400);
        }
    }

    @Test
    void transferringToATeamRingsThatTeamWithTheComment() {
        start(Map.of());
        String sales = fx.createTeam("Sales", "manual");
        List<String> salesIds = new ArrayList<>();
        List<Ws> salesAgents = team(sales, "s", 2, 5, salesIds);
        try (Ws admin = Ws.agent(node.port(), fx.adminToken());
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            admin.await("hello");
            c.await("hello");
            String conv = c.ack(customerMessage("1", "I want to buy")).getString("conversationId");
            admin.ack(frame("conversation.assign", conv));
            JsonObject ack = admin.ack(frame("conversation.transfer", conv).put("toTeamId", sales).put("comment", "a lead"));
            assertThat(ack.getJsonObject("conversation").getValue("assignee")).isNull();
            assertThat(ack.getJsonObject("conversation").getJsonObject("team").getString("name")).isEqualTo("Sales");
            for (Ws s : salesAgents) {
                JsonObject ring = s.await("conversation.new");
                assertThat(ring.getJsonObject("conversation").getString("id")).isEqualTo(conv);
                assertThat(ring.getJsonObject("transfer").getString("comment")).isEqualTo("a lead");
                assertThat(ring.getJsonObject("transfer").getJsonObject("from").getString("name")).isEqualTo("Admin");
            }
            JsonObject notice = c.await(f -> "message".equals(f.getString("type"))).getJsonObject("message");
            assertThat(notice.getString("kind")).isEqualTo("system");
            assertThat(notice.getString("text")).contains("Sales");
            salesAgents.get(1).ack(frame("conversation.assign", conv));
            c.await(f -> "agent.joined".equals(f.getString("type")) && "s1".equals(f.getJsonObject("agent").getString("name")));
            assertThat(c.received().toString()).doesNotContain("a lead");
        } finally {
            salesAgents.forEach(Ws::close);
        }
    }
}
