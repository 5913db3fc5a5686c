package io.switchboard.chat;

import io.switchboard.testing.Chat;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** The agent socket end to end: alerts, "Assign to me", messages both ways, notes, statuses, typing. */
class AgentFlowIT extends NodeTestBase {

    private static boolean isNewFor(JsonObject f, String conversationId) {
        return "conversation.new".equals(f.getString("type"))
                && conversationId.equals(f.getJsonObject("conversation").getString("id"));
    }

    /** Support-team agents, connected and greeted. */
    private List<Ws> supportAgents(int n, List<String> names) {
        String team = fx.supportTeamId();
        List<String> ids = new ArrayList<>(List.of(fx.adminId()));
        for (int i = 0; i < n; i++) {
            String email = "agent" + i + "@test.local";
            ids.add(fx.createAgent(email, "agent"));
            names.add(email.substring(0, email.indexOf('@')));
        }
        fx.setMembers(team, ids);
        List<Ws> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Ws ws = Ws.agent(node.port(), fx.login("agent" + i + "@test.local"));
            ws.await("hello");
            sockets.add(ws);
        }
        return sockets;
    }

    @Test
    void helloCarriesTheInboxOfUnassignedAndOwnConversations() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            String conv = c.ack(customerMessage("a", "waiting")).getString("conversationId");
            try (Ws agent = Ws.agent(node.port(), fx.adminToken())) {
                JsonObject hello = agent.await("hello");
                assertThat(hello.getString("role")).isEqualTo("agent");
                assertThat(hello.getString("status")).isEqualTo("online");
                assertThat(hello.getJsonObject("agent").getString("email")).isEqualTo(TestNode.ADMIN_EMAIL);
                JsonObject unassigned = hello.getJsonObject("inbox").getJsonArray("unassigned").getJsonObject(0);
                assertThat(unassigned.getString("id")).isEqualTo(conv);
                assertThat(unassigned.getJsonObject("lastMessage").getString("text")).isEqualTo("waiting");
                assertThat(hello.getJsonObject("inbox").getJsonArray("mine")).isEmpty();
                agent.ack(frame("conversation.assign", conv));
            }
            try (Ws again = Ws.agent(node.port(), fx.adminToken())) {
                JsonObject inbox = again.await("hello").getJsonObject("inbox");
                assertThat(inbox.getJsonArray("unassigned")).isEmpty();
                assertThat(inbox.getJsonArray("mine").getJsonObject(0).getString("id")).isEqualTo(conv);
            }
        }
    }

    @Test
    void aNewConversationRingsOnlineTeamAgentsButNotAwayOnesOrOtherTeams() {
        List<String> names = new ArrayList<>();
        List<Ws> team = supportAgents(2, names);
        String outsiderId = fx.createAgent("outsider@test.local", "agent");
        fx.setMembers(fx.createTeam("Sales", "manual"), List.of(outsiderId));
        try (Ws online = team.get(0); Ws away = team.get(1);
             Ws outsider = Ws.agent(node.port(), fx.login("outsider@test.local"));
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            outsider.await("hello");
            assertThat(away.ack(new JsonObject().put("type", "status.set").put("status", "away")).getString("status"))
                    .isEqualTo("away");
            c.await("hello");
            String conv = c.ack(customerMessage("1", "first")).getString("conversationId");
            JsonObject alert = online.await(f -> isNewFor(f, conv));
            assertThat(alert.getJsonObject("message").getString("text")).isEqualTo("first");
            assertThat(alert.getJsonObject("conversation").getJsonObject("team").getString("name")).isEqualTo("Support");

            // A later message of the same conversation reaches every team member; the alert would have come before it.
            c.ack(customerMessage("2", "second"));
            away.await(f -> "message".equals(f.getString("type")) && "second".equals(f.getJsonObject("message").getString("text")));
            assertThat(away.received()).noneMatch(f -> isNewFor(f, conv));
            online.await(f -> "message".equals(f.getString("type")));
            outsider.ack(new JsonObject().put("type", "ping"));
            assertThat(outsider.received()).noneMatch(f -> isNewFor(f, conv));
            assertThat(outsider.receivedOfType("message")).isEmpty();
        }
    }

    @Test
    void whenSeveralAgentsClaimAtOnceExactlyOneWinsAndEveryoneLearnsWho() {
        List<String> names = new ArrayList<>();
        List<Ws> agents = supportAgents(6, names);
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            String conv = c.ack(customerMessage("1", "who takes me?")).getString("conversationId");
            for (Ws a : agents) {
                a.await(f -> isNewFor(f, conv));
            }
            for (int i = 0; i < agents.size(); i++) {
                agents.get(i).send(frame("conversation.assign", conv).put("ref", "claim"));
            }
            List<JsonObject> replies = new ArrayList<>();
            for (Ws a : agents) {
                replies.add(a.await(f -> "claim".equals(f.getString("ref"))));
            }
            assertThat(replies).filteredOn(r -> "ack".equals(r.getString("type"))).hasSize(1);
            assertThat(replies).filteredOn(r -> "error".equals(r.getString("type")))
                    .hasSize(agents.size() - 1)
                    .allSatisfy(r -> assertThat(r.getString("code")).isEqualTo("conflict"));
            int winner = 0;
            while (!"ack".equals(replies.get(winner).getString("type"))) {
                winner++;
            }
            String winnerName = names.get(winner);
            for (Ws a : agents) {
                JsonObject assigned = a.await(f -> "conversation.assigned".equals(f.getString("type"))
                        && conv.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(assigned.getJsonObject("conversation").getJsonObject("assignee").getString("name")).isEqualTo(winnerName);
            }
            assertThat(c.await("agent.joined").getJsonObject("agent").getString("name")).isEqualTo(winnerName);
            assertThat(agents.get(winner).ack(frame("conversation.assign", conv))
                    .getJsonObject("conversation").getJsonObject("assignee").getString("name"))
                    .as("claiming again is harmless").isEqualTo(winnerName);
        } finally {
            agents.forEach(Ws::close);
        }
    }

    @Test
    void messagesFlowBothWaysInSeqOrder() {
        try (Chat chat = Chat.assigned(node, fx.adminToken(), "start")) {
            Ws c = chat.customer();
            Ws agent = chat.agent();
            String conv = chat.conversationId();
            int n = 20;
            for (int i = 1; i <= n; i++) {
                c.send(customerMessage("c" + i, "customer " + i).put("ref", "c" + i));
            }
            for (int i = 1; i <= n; i++) {
                JsonObject m = agent.await("message").getJsonObject("message");
                assertThat(m.getString("text")).isEqualTo("customer " + i);
                assertThat(m.getLong("seq")).isEqualTo(i + 1);
                assertThat(m.getJsonObject("author").getString("type")).isEqualTo("customer");
            }
            for (int i = 1; i <= n; i++) {
                agent.send(agentMessage(conv, "a" + i, "agent " + i).put("ref", "a" + i));
            }
            for (int i = 1; i <= n; i++) {
                JsonObject m = c.await("message").getJsonObject("message");
                assertThat(m.getString("text")).isEqualTo("agent " + i);
                assertThat(m.getLong("seq")).isEqualTo(n + 1 + i);
                assertThat(m.getJsonObject("author").getString("name")).isEqualTo("Admin");
            }
            JsonObject opened = agent.ack(frame("conversation.open", conv));
            assertThat(opened.getJsonArray("messages")).hasSize(2 * n + 1);
            assertThat(opened.getJsonObject("conversation").getLong("lastSeq")).isEqualTo(2L * n + 1);
        }
    }

    @Test
    void onlyTheAssigneeOrAnAdminMayWriteToTheCustomer() {
        List<String> names = new ArrayList<>();
        List<Ws> agents = supportAgents(2, names);
        try (Ws holder = agents.get(0); Ws other = agents.get(1);
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            String conv = c.ack(customerMessage("1", "hi")).getString("conversationId");
            assertThat(holder.errorCode(agentMessage(conv, "early", "before assigning"))).isEqualTo("forbidden");
            holder.ack(frame("conversation.assign", conv));
            assertThat(other.errorCode(agentMessage(conv, "x", "not mine"))).isEqualTo("forbidden");
            assertThat(other.errorCode(frame("conversation.status", conv).put("status", "done"))).isEqualTo("forbidden");
            holder.ack(agentMessage(conv, "y", "mine"));
            assertThat(c.await("message").getJsonObject("message").getString("text")).isEqualTo("mine");
            JsonObject history = c.ack(new JsonObject().put("type", "history"));
            assertThat(history.getJsonArray("messages")).extracting(o -> ((JsonObject) o).getString("text"))
                    .containsExactly("hi", "mine");
        }
    }

    @Test
    void statusesFollowTheStateMachineAndResolvingTellsTheCustomer() {
        try (Chat chat = Chat.assigned(node, fx.adminToken(), "hi")) {
            Ws c = chat.customer();
            Ws agent = chat.agent();
            String conv = chat.conversationId();
            assertThat(agent.ack(frame("conversation.status", conv).put("status", "pending"))
                    .getJsonObject("conversation").getString("status")).isEqualTo("pending");
            assertThat(c.await("conversation.status").getString("status")).isEqualTo("pending");
            agent.ack(frame("conversation.status", conv).put("status", "done"));
            assertThat(c.await("conversation.status").getString("status")).isEqualTo("done");
            assertThat(agent.errorCode(frame("conversation.status", conv).put("status", "pending"))).isEqualTo("conflict");
            assertThat(agent.errorCode(frame("conversation.status", conv).put("status", "closed"))).isEqualTo("bad_request");
            assertThat(agent.errorCode(agentMessage(conv, "late", "after done"))).isEqualTo("conflict");
            JsonObject reopened = agent.ack(frame("conversation.status", conv).put("status", "open")).getJsonObject("conversation");
            assertThat(reopened.getString("status")).isEqualTo("open");
            assertThat(reopened.getJsonObject("assignee").getString("name")).as("reopening keeps the assignee").isEqualTo("Admin");
            var done = node.http().get("/api/conversations?status=done", fx.adminToken());
            assertThat(done.body().getJsonArray("conversations")).isEmpty();
        }
    }

    @Test
    void notesReachTheTeamAndNeverTheCustomer() {
        List<String> names = new ArrayList<>();
        List<Ws> agents = supportAgents(2, names);
        try (Ws holder = agents.get(0); Ws colleague = agents.get(1);
             Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            String token = c.await("hello").getJsonObject("visitor").getString("token");
            String conv = c.ack(customerMessage("1", "my order is late")).getString("conversationId");
            holder.ack(frame("conversation.assign", conv));
            String secret = "internal: customer is on the VIP list";
            JsonObject noteAck = holder.ack(frame("note", conv).put("clientMsgId", "n1").put("text", secret));
            String noteId = noteAck.getJsonObject("note").getString("id");
            assertThat(noteAck.getBoolean("duplicate")).isFalse();
            assertThat(holder.ack(frame("note", conv).put("clientMsgId", "n1").put("text", secret)).getBoolean("duplicate")).isTrue();
            JsonObject seen = colleague.await("note").getJsonObject("note");
            assertThat(seen.getString("text")).isEqualTo(secret);
            assertThat(colleague.ack(frame("note", conv).put("clientMsgId", "n2").put("text", "agreed"))
                    .getJsonObject("note").getJsonObject("author").getString("name")).isEqualTo(names.get(1));

            holder.ack(agentMessage(conv, "m", "we are on it"));
            c.await("message");
            JsonObject opened = holder.ack(frame("conversation.open", conv));
            assertThat(opened.getJsonArray("notes")).hasSize(2);
            assertThat(opened.getJsonArray("messages")).hasSize(2);

            String everythingTheCustomerSaw = c.received().toString()
                    + c.ack(new JsonObject().put("type", "history")).encode()
                    + node.http().get("/api/conversations/" + conv + "/messages?token=" + token, null).raw();
            assertThat(everythingTheCustomerSaw).doesNotContain(secret).doesNotContain(noteId).doesNotContain("agreed")
                    .doesNotContain("\"note\"");
        }
    }

    @Test
    void typingIsRelayedBothWays() {
        try (Chat chat = Chat.assigned(node, fx.adminToken(), "hi")) {
            Ws c = chat.customer();
            Ws agent = chat.agent();
            String conv = chat.conversationId();
            c.send(new JsonObject().put("type", "typing").put("on", true));
            JsonObject typing = agent.await("typing");
            assertThat(typing.getString("conversationId")).isEqualTo(conv);
            assertThat(typing.getBoolean("on")).isTrue();
            assertThat(typing.getJsonObject("who").getString("type")).isEqualTo("customer");
            agent.send(frame("typing", conv).put("on", true));
            JsonObject toCustomer = c.await("typing");
            assertThat(toCustomer.getBoolean("on")).isTrue();
            assertThat(toCustomer.getJsonObject("who").getString("name")).isEqualTo("Admin");
            assertThat(toCustomer.getJsonObject("who").containsKey("id")).isFalse();
        }
    }

    @Test
    void readReceiptsAreStoredOnlyForwardAndRelayedAsSeen() {
        try (Chat chat = Chat.assigned(node, fx.adminToken(), "hi")) {
            Ws c = chat.customer();
            Ws agent = chat.agent();
            String conv = chat.conversationId();
            agent.ack(agentMessage(conv, "a", "hello"));
            c.await("message");
            c.ack(new JsonObject().put("type", "read").put("seq", 2));
            JsonObject seen = agent.await("read");
            assertThat(seen.getString("conversationId")).isEqualTo(conv);
            assertThat(seen.getLong("seq")).isEqualTo(2);
            assertThat(seen.getJsonObject("who").getString("type")).isEqualTo("customer");
            agent.ack(frame("read", conv).put("seq", 99));
            assertThat(c.await("read").getLong("seq")).as("capped at the last seq").isEqualTo(2);
            c.ack(new JsonObject().put("type", "read").put("seq", 1));
            c.ack(customerMessage("2", "one more"));
            agent.await("message");
            c.ack(new JsonObject().put("type", "read").put("seq", 3));
            assertThat(agent.await("read").getLong("seq")).as("a read that goes back announces nothing").isEqualTo(3);
        }
    }

    @Test
    void presenceChangesReachTeammatesOnlyWhenTheStatusReallyChanges() {
        List<String> names = new ArrayList<>();
        List<Ws> agents = supportAgents(1, names);
        try (Ws admin = Ws.agent(node.port(), fx.adminToken()); Ws agent = agents.get(0)) {
            admin.await("hello");
            String agentId = agent.received().get(0).getJsonObject("agent").getString("id");
            agent.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            JsonObject p = admin.await(f -> "presence".equals(f.getString("type")) && agentId.equals(f.getString("agentId")));
            assertThat(p.getString("status")).isEqualTo("away");
            agent.ack(new JsonObject().put("type", "status.set").put("status", "away"));
            agent.ack(new JsonObject().put("type", "status.set").put("status", "online"));
            JsonObject back = admin.await(f -> "presence".equals(f.getString("type")) && agentId.equals(f.getString("agentId")));
            assertThat(back.getString("status")).as("setting away twice announces once").isEqualTo("online");
            agent.ack(new JsonObject().put("type", "status.set").put("status", "offline"));
            JsonObject off = admin.await(f -> "presence".equals(f.getString("type")) && agentId.equals(f.getString("agentId")));
            assertThat(off.getString("status")).isEqualTo("offline");
        }
    }
}
