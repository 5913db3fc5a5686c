package io.switchboard.api;

import io.switchboard.testing.Fixtures;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Http;
import io.switchboard.testing.TestNode;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API end to end: login, profile, agents, teams, widgets, conversation lists and pages, health. */
class AdminApiIT extends NodeTestBase {
    private Http http;

    @BeforeEach
    void start() {
        http = node.http();
    }

    private static JsonObject credentials(String email, String password) {
        return new JsonObject().put("email", email).put("password", password);
    }

    private static void assertError(Http.Response r, int status, String code) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.raw()).isEqualTo(code);
        assertThat(r.body().getJsonObject("error").getString("message")).as(r.raw()).isNotNull();
    }

    private static List<String> ids(JsonArray items) {
        return items.stream().map(JsonObject.class::cast).map(o -> o.getString("id")).toList();
    }

    private List<String> conversationIds(String query, String bearer) {
        Http.Response r = http.get("/api/conversations" + query, bearer);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return ids(r.body().getJsonArray("conversations"));
    }

    /** A new visitor writes once through the widget; returns {conversationId, visitorToken}. */
    private String[] customerWrites(String widgetKey, String text) {
        try (Ws c = Ws.customer(node.port(), widgetKey, null)) {
            String token = c.await("hello").getJsonObject("visitor").getString("token");
            String conv = c.ack(customerMessage("m1", text)).getString("conversationId");
            return new String[]{conv, token};
        }
    }

    private JsonObject newAgentBody(String email) {
        return new JsonObject().put("email", email).put("name", "Newcomer").put("password", "long-enough-secret")
                .put("role", "agent").put("maxChats", 3);
    }

    // ---------------------------------------------------------------- login and profile

    @Test
    void loginWithTheRightPasswordGivesATokenAndTheAgentsProfile() {
        Http.Response r = http.post("/api/login", credentials(TestNode.ADMIN_EMAIL, TestNode.ADMIN_PASSWORD), null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().getString("token")).isNotBlank();
        JsonObject agent = r.body().getJsonObject("agent");
        assertThat(agent.getString("id")).isNotBlank();
        assertThat(agent.getString("name")).isEqualTo("Admin");
        assertThat(agent.getString("email")).isEqualTo(TestNode.ADMIN_EMAIL);
        assertThat(agent.getString("role")).isEqualTo("admin");
        assertThat(agent.getJsonArray("teams")).hasSize(1);
        assertThat(agent.getJsonArray("teams").getJsonObject(0).getString("name")).isEqualTo("Support");
        assertThat(agent.getJsonArray("teams").getJsonObject(0).getString("id")).isEqualTo(fx.supportTeamId());
        assertThat(r.raw()).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("hash");

        Http.Response me = http.get("/api/me", r.body().getString("token"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().getString("id")).isEqualTo(agent.getString("id"));
    }

    @Test
    void loginWithAWrongPasswordOrAnUnknownEmailIsUnauthorized() {
        assertError(http.post("/api/login", credentials(TestNode.ADMIN_EMAIL, "wrong-password"), null), 401, "unauthorized");
        assertError(http.post("/api/login", credentials("nobody@test.local", TestNode.ADMIN_PASSWORD), null), 401, "unauthorized");
    }

    @Test
    void loginWithMissingFieldsOrABodyThatIsNotJsonIsABadRequest() {
        assertError(http.post("/api/login", new JsonObject().put("email", TestNode.ADMIN_EMAIL), null), 400, "bad_request");
        assertError(http.post("/api/login", new JsonObject().put("password", TestNode.ADMIN_PASSWORD), null), 400, "bad_request");
        assertError(http.post("/api/login", new JsonObject(), null), 400, "bad_request");
        assertError(http.post("/api/login", credentials(TestNode.ADMIN_EMAIL, null).put("password", 12345678), null),
                400, "bad_request");
        assertError(http.postRaw("/api/login", "email=admin&password=x", null), 400, "bad_request");
        assertError(http.postRaw("/api/login", "{\"email\":", null), 400, "bad_request");
        assertError(http.postRaw("/api/login", "[\"" + TestNode.ADMIN_EMAIL + "\"]", null), 400, "bad_request");
        assertError(http.postRaw("/api/login", "", null), 400, "bad_request");
    }

    @Test
    void meAnswersTheTokensAgentAndRefusesMissingOrGarbageTokens() {
        Http.Response me = http.get("/api/me", fx.adminToken());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().getString("email")).isEqualTo(TestNode.ADMIN_EMAIL);
        assertThat(me.body().getString("role")).isEqualTo("admin");
        assertThat(me.raw()).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("hash");

        assertError(http.get("/api/me", null), 401, "unauthorized");
        assertError(http.get("/api/me", "garbage"), 401, "unauthorized");
        assertError(http.get("/api/me", "aaaa.bbbb.cccc"), 401, "unauthorized");
    }

    // ---------------------------------------------------------------- agents

    @Test
    void anAdminCreatesListsAndPatchesAgentsAndNoPasswordOrHashIsEverShown() {
        Http.Response created = http.post("/api/agents", newAgentBody("newcomer@test.local"), fx.adminToken());
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        JsonObject agent = created.body();
        String id = agent.getString("id");
        assertThat(id).isNotBlank();
        assertThat(agent.getString("email")).isEqualTo("newcomer@test.local");
        assertThat(agent.getString("name")).isEqualTo("Newcomer");
        assertThat(agent.getString("role")).isEqualTo("agent");
        assertThat(agent.getInteger("maxChats")).isEqualTo(3);
        assertThat(agent.containsKey("agent")).as("the created object is flat").isFalse();
        assertThat(created.raw()).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("hash")
                .doesNotContain("long-enough-secret");

        Http.Response list = http.get("/api/agents", fx.adminToken());
        assertThat(list.status()).isEqualTo(200);
        assertThat(ids(list.body().getJsonArray("agents"))).contains(id, fx.adminId());
        assertThat(list.raw()).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("hash");

        Http.Response patched = http.patch("/api/agents/" + id,
                new JsonObject().put("name", "Renamed").put("role", "admin").put("maxChats", 9), fx.adminToken());
        assertThat(patched.status()).as(patched.raw()).isEqualTo(200);
        assertThat(patched.body().getString("id")).isEqualTo(id);
        assertThat(patched.body().getString("name")).isEqualTo("Renamed");
        assertThat(patched.body().getString("role")).isEqualTo("admin");
        assertThat(patched.body().getInteger("maxChats")).isEqualTo(9);
        assertThat(patched.body().getString("email")).as("fields not given are kept").isEqualTo("newcomer@test.local");
        assertThat(patched.raw()).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("hash");

        JsonObject again = http.get("/api/agents", fx.adminToken()).body().getJsonArray("agents").stream()
                .map(JsonObject.class::cast).filter(a -> id.equals(a.getString("id"))).findFirst().orElseThrow();
        assertThat(again.getString("name")).isEqualTo("Renamed");
        assertThat(again.getString("role")).isEqualTo("admin");
        assertThat(again.getInteger("maxChats")).isEqualTo(9);

        // The new agent logs in with the password it was given, and is now an admin.
        JsonObject login = http.login("newcomer@test.local", "long-enough-secret");
        assertThat(login.getJsonObject("agent").getString("role")).isEqualTo("admin");
        assertThat(http.get("/api/agents", login.getString("token")).status()).isEqualTo(200);
    }

    @Test
    void aDuplicateEmailIsAConflict() {
        assertThat(http.post("/api/agents", newAgentBody("twice@test.local"), fx.adminToken()).status()).isEqualTo(201);
        assertError(http.post("/api/agents", newAgentBody("twice@test.local"), fx.adminToken()), 409, "conflict");
        assertError(http.post("/api/agents", newAgentBody("TWICE@test.local"), fx.adminToken()), 409, "conflict");
        assertError(http.post("/api/agents", newAgentBody(TestNode.ADMIN_EMAIL), fx.adminToken()), 409, "conflict");
        String other = fx.createAgent("other@test.local", "agent");
        assertError(http.patch("/api/agents/" + other, new JsonObject().put("email", "twice@test.local"), fx.adminToken()),
                409, "conflict");
        assertThat(http.get("/api/agents", fx.adminToken()).body().getJsonArray("agents").stream()
                .map(JsonObject.class::cast).filter(a -> a.getString("email").equalsIgnoreCase("twice@test.local")))
                .hasSize(1);
    }

    @Test
    void invalidAgentFieldsAreBadRequestsAndCreateNothing() {
        String admin = fx.adminToken();
        assertError(http.post("/api/agents", newAgentBody("not-an-email"), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("two@@test.local"), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("short@test.local").put("password", "short"), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("zero@test.local").put("maxChats", 0), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("neg@test.local").put("maxChats", -1), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("role@test.local").put("role", "superuser"), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("nopass@test.local").putNull("password"), admin), 400, "bad_request");
        assertError(http.post("/api/agents", newAgentBody("str@test.local").put("maxChats", "3"), admin), 400, "bad_request");
        assertThat(http.get("/api/agents", admin).body().getJsonArray("agents")).as("only the admin").hasSize(1);

        String id = fx.createAgent("valid@test.local", "agent");
        assertError(http.patch("/api/agents/" + id, new JsonObject().put("maxChats", 0), admin), 400, "bad_request");
        assertError(http.patch("/api/agents/" + id, new JsonObject().put("email", "nope"), admin), 400, "bad_request");
        assertError(http.patch("/api/agents/" + id, new JsonObject().put("password", "short"), admin), 400, "bad_request");
        assertError(http.patch("/api/agents/" + UUID.randomUUID(), new JsonObject().put("name", "Ghost"), admin), 404, "not_found");
        JsonObject unchanged = http.get("/api/agents", admin).body().getJsonArray("agents").stream()
                .map(JsonObject.class::cast).filter(a -> id.equals(a.getString("id"))).findFirst().orElseThrow();
        assertThat(unchanged.getInteger("maxChats")).isEqualTo(5);
        assertThat(unchanged.getString("email")).isEqualTo("valid@test.local");
    }

    @Test
    void aNonAdminAgentIsForbiddenFromTheAdminEndpoints() {
        fx.createAgent("plain@test.local", "agent");
        String token = fx.login("plain@test.local");
        assertThat(http.get("/api/me", token).status()).as("the token itself is good").isEqualTo(200);

        assertError(http.get("/api/agents", token), 403, "forbidden");
        assertError(http.post("/api/agents", newAgentBody("sneaky@test.local"), token), 403, "forbidden");
        assertError(http.get("/api/teams", token), 403, "forbidden");
        assertError(http.post("/api/teams", new JsonObject().put("name", "Mine").put("routing", "manual"), token),
                403, "forbidden");
        assertError(http.get("/api/widgets", token), 403, "forbidden");
        assertError(http.post("/api/widgets", new JsonObject().put("name", "Mine"), token), 403, "forbidden");
        String self = http.get("/api/me", token).body().getString("id");
        assertError(http.patch("/api/agents/" + self, new JsonObject().put("role", "admin"), token), 403, "forbidden");
        assertError(http.put("/api/teams/" + fx.supportTeamId() + "/members",
                new JsonObject().put("agentIds", new JsonArray().add(self)), token), 403, "forbidden");

        assertThat(http.get("/api/me", token).body().getString("role")).isEqualTo("agent");
        assertThat(http.get("/api/agents", fx.adminToken()).raw()).doesNotContain("sneaky@test.local");
        assertThat(http.get("/api/teams", fx.adminToken()).body().getJsonArray("teams")).hasSize(1);
        assertThat(http.get("/api/widgets", fx.adminToken()).body().getJsonArray("widgets")).hasSize(1);
    }

    // ---------------------------------------------------------------- teams

    @Test
    void teamsAreCreatedWithManualOrAutoRouting() {
        Http.Response manual = http.post("/api/teams", new JsonObject().put("name", "Sales").put("routing", "manual"),
                fx.adminToken());
        assertThat(manual.status()).as(manual.raw()).isEqualTo(201);
        assertThat(manual.body().getString("id")).isNotBlank();
        assertThat(manual.body().getString("name")).isEqualTo("Sales");
        assertThat(manual.body().getString("routing")).isEqualTo("manual");

        Http.Response auto = http.post("/api/teams", new JsonObject().put("name", "Billing").put("routing", "auto"),
                fx.adminToken());
        assertThat(auto.status()).as(auto.raw()).isEqualTo(201);
        assertThat(auto.body().getString("routing")).isEqualTo("auto");

        JsonArray teams = http.get("/api/teams", fx.adminToken()).body().getJsonArray("teams");
        assertThat(teams.stream().map(JsonObject.class::cast).map(t -> t.getString("name")))
                .containsExactlyInAnyOrder("Support", "Sales", "Billing");
        assertThat(ids(teams)).contains(manual.body().getString("id"), auto.body().getString("id"));
    }

    @Test
    void aBadRoutingIsABadRequestAndADuplicateNameIsAConflict() {
        assertError(http.post("/api/teams", new JsonObject().put("name", "Odd").put("routing", "round-robin"),
                fx.adminToken()), 400, "bad_request");
        assertError(http.post("/api/teams", new JsonObject().put("routing", "manual"), fx.adminToken()), 400, "bad_request");
        assertError(http.post("/api/teams", new JsonObject().put("name", "Support").put("routing", "manual"),
                fx.adminToken()), 409, "conflict");
        assertThat(http.get("/api/teams", fx.adminToken()).body().getJsonArray("teams")).hasSize(1);
    }

    @Test
    void putMembersSetsTheMembersAndAnUnknownAgentIdChangesNothing() {
        String team = fx.createTeam("Sales", "manual");
        String a = fx.createAgent("ann@test.local", "agent");
        String b = fx.createAgent("bob@test.local", "agent");

        Http.Response set = http.put("/api/teams/" + team + "/members",
                new JsonObject().put("agentIds", new JsonArray().add(a).add(b)), fx.adminToken());
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        assertThat(set.body().getString("id")).isEqualTo(team);
        assertThat(ids(set.body().getJsonArray("members"))).containsExactlyInAnyOrder(a, b);

        Http.Response replaced = http.put("/api/teams/" + team + "/members",
                new JsonObject().put("agentIds", new JsonArray().add(b)), fx.adminToken());
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(ids(replaced.body().getJsonArray("members"))).as("PUT replaces").containsExactly(b);

        assertError(http.put("/api/teams/" + team + "/members",
                new JsonObject().put("agentIds", new JsonArray().add(a).add(UUID.randomUUID().toString())), fx.adminToken()),
                400, "bad_request");
        assertError(http.put("/api/teams/" + team + "/members",
                new JsonObject().put("agentIds", new JsonArray().add(a).add("not-an-id")), fx.adminToken()),
                400, "bad_request");
        assertError(http.put("/api/teams/" + team + "/members",
                new JsonObject().put("agentIds", "everyone"), fx.adminToken()), 400, "bad_request");

        JsonObject now = http.get("/api/teams", fx.adminToken()).body().getJsonArray("teams").stream()
                .map(JsonObject.class::cast).filter(t -> team.equals(t.getString("id"))).findFirst().orElseThrow();
        assertThat(ids(now.getJsonArray("members"))).as("the refused changes changed nothing").containsExactly(b);
        assertThat(ids(http.get("/api/agents", fx.adminToken()).body().getJsonArray("agents").stream()
                .map(JsonObject.class::cast).filter(x -> a.equals(x.getString("id"))).findFirst().orElseThrow()
                .getJsonArray("teams"))).isEmpty();

        Http.Response emptied = http.put("/api/teams/" + team + "/members",
                new JsonObject().put("agentIds", new JsonArray()), fx.adminToken());
        assertThat(emptied.status()).isEqualTo(200);
        assertThat(emptied.body().getJsonArray("members")).isEmpty();
    }

    // ---------------------------------------------------------------- widgets

    @Test
    void widgetsAreCreatedBoundToATeamOrToNone() {
        String team = fx.createTeam("Sales", "manual");
        Http.Response bound = http.post("/api/widgets", new JsonObject().put("name", "Sales site").put("teamId", team),
                fx.adminToken());
        assertThat(bound.status()).as(bound.raw()).isEqualTo(201);
        assertThat(bound.body().getString("id")).isNotBlank();
        assertThat(bound.body().getString("key")).isNotBlank();
        assertThat(bound.body().getString("name")).isEqualTo("Sales site");
        assertThat(bound.body().getString("teamId")).isEqualTo(team);

        Http.Response free = http.post("/api/widgets", new JsonObject().put("name", "Everyone"), fx.adminToken());
        assertThat(free.status()).as(free.raw()).isEqualTo(201);
        assertThat(free.body().getString("key")).isNotBlank().isNotEqualTo(bound.body().getString("key"));
        assertThat(free.body().getValue("teamId")).isNull();

        JsonArray widgets = http.get("/api/widgets", fx.adminToken()).body().getJsonArray("widgets");
        assertThat(widgets.stream().map(JsonObject.class::cast).map(w -> w.getString("key")))
                .contains(node.widgetKey(), bound.body().getString("key"), free.body().getString("key"));

        // Both keys serve customers at once.
        try (Ws c = Ws.customer(node.port(), free.body().getString("key"), null)) {
            assertThat(c.await("hello").getString("role")).isEqualTo("customer");
        }
        try (Ws c = Ws.customer(node.port(), bound.body().getString("key"), null)) {
            assertThat(c.await("hello").getString("role")).isEqualTo("customer");
        }
    }

    @Test
    void aWidgetWithATeamIdNotOfThisWorkspaceIsABadRequest() {
        assertError(http.post("/api/widgets", new JsonObject().put("name", "Stray").put("teamId", UUID.randomUUID().toString()),
                fx.adminToken()), 400, "bad_request");
        assertError(http.post("/api/widgets", new JsonObject().put("teamId", fx.supportTeamId()), fx.adminToken()),
                400, "bad_request");
        assertThat(http.get("/api/widgets", fx.adminToken()).body().getJsonArray("widgets")).hasSize(1);
    }

    @Test
    void aWidgetWithATeamIdThatIsNotAnIdIsABadRequest() {
        assertError(http.post("/api/widgets", new JsonObject().put("name", "Stray").put("teamId", "not-a-team-id"),
                fx.adminToken()), 400, "bad_request");
        assertThat(http.get("/api/widgets", fx.adminToken()).body().getJsonArray("widgets")).hasSize(1);
    }

    // ---------------------------------------------------------------- membership reaches live sockets

    @Test
    void aTeamMembershipChangeAppliesAtOnceToAnOpenAgentSocket() {
        // Presence heartbeats far apart: the alert can come only from the change itself, not from a periodic refresh.
        node.close();
        node = TestNode.start(Map.of("SWITCHBOARD_PRESENCE_HEARTBEAT_S", "3600", "SWITCHBOARD_PRESENCE_GRACE_S", "3600"));
        fx = new Fixtures(node);
        http = node.http();
        String x = fx.createAgent("xavier@test.local", "agent");
        String team = fx.createTeam("Sales", "manual");
        String widget = fx.createWidget("Sales site", team);
        try (Ws agent = Ws.agent(node.port(), fx.login("xavier@test.local"))) {
            JsonObject hello = agent.await("hello");
            assertThat(hello.getJsonObject("agent").getJsonArray("teams")).isEmpty();

            fx.setMembers(team, List.of(x));
            try (Ws c = Ws.customer(node.port(), widget, null)) {
                c.await("hello");
                String conv = c.ack(customerMessage("1", "anyone in sales?")).getString("conversationId");
                JsonObject alert = agent.await(f -> "conversation.new".equals(f.getString("type"))
                        && conv.equals(f.getJsonObject("conversation").getString("id")));
                assertThat(alert.getJsonObject("conversation").getJsonObject("team").getString("id")).isEqualTo(team);
                assertThat(alert.getJsonObject("message").getString("text")).isEqualTo("anyone in sales?");
                // The new member may act on it on the same socket.
                JsonObject claimed = agent.ack(frame("conversation.assign", conv));
                assertThat(claimed.getJsonObject("conversation").getJsonObject("assignee").getString("id")).isEqualTo(x);
            }
        }
    }

    // ---------------------------------------------------------------- conversations

    @Test
    void theAdminListsConversationsAndStatusFilters() {
        String[] done = customerWrites(node.widgetKey(), "resolve me");
        String[] open = customerWrites(node.widgetKey(), "still waiting");
        try (Ws admin = Ws.agent(node.port(), fx.adminToken())) {
            admin.await("hello");
            admin.ack(frame("conversation.assign", done[0]));
            admin.ack(frame("conversation.status", done[0]).put("status", "done"));
        }
        assertThat(conversationIds("", fx.adminToken())).containsExactlyInAnyOrder(done[0], open[0]);
        assertThat(conversationIds("?status=done", fx.adminToken())).containsExactly(done[0]);
        assertThat(conversationIds("?status=open", fx.adminToken())).containsExactly(open[0]);

        JsonObject summary = http.get("/api/conversations?status=open", fx.adminToken()).body()
                .getJsonArray("conversations").getJsonObject(0);
        assertThat(summary.getString("status")).isEqualTo("open");
        assertThat(summary.getValue("assignee")).isNull();
        assertThat(summary.getJsonObject("team").getString("name")).isEqualTo("Support");
        assertThat(summary.getLong("lastSeq")).isEqualTo(1);
        assertThat(summary.getJsonObject("lastMessage").getString("text")).isEqualTo("still waiting");

        assertThat(conversationIds("?assignee=me", fx.adminToken())).containsExactly(done[0]);
        assertError(http.get("/api/conversations?status=closed", fx.adminToken()), 400, "bad_request");
        assertError(http.get("/api/conversations", null), 401, "unauthorized");
    }

    @Test
    void anAgentOfAnotherTeamDoesNotSeeATeamsConversationInItsList() {
        // Read before "Sales" exists: Fixtures.supportTeamId() takes the first team by name.
        String supportTeam = fx.supportTeamId();
        String sales = fx.createTeam("Sales", "manual");
        String seller = fx.createAgent("seller@test.local", "agent");
        String helper = fx.createAgent("helper@test.local", "agent");
        fx.setMembers(sales, List.of(seller));
        fx.setMembers(supportTeam, List.of(fx.adminId(), helper));
        String[] support = customerWrites(node.widgetKey(), "a support question");
        String[] salesConv = customerWrites(fx.createWidget("Sales site", sales), "a sales question");

        assertThat(conversationIds("", fx.login("seller@test.local"))).containsExactly(salesConv[0]);
        assertThat(conversationIds("", fx.login("helper@test.local"))).containsExactly(support[0]);
        assertThat(conversationIds("", fx.adminToken())).containsExactlyInAnyOrder(support[0], salesConv[0]);
        assertThat(conversationIds("?team=" + supportTeam, fx.login("seller@test.local")))
                .as("filtering by another team reveals nothing").isEmpty();
    }

    @Test
    void conversationMessagesShowNotesToAgentsOnlyAndNeedAuthentication() {
        String[] conv = customerWrites(node.widgetKey(), "my question");
        try (Ws admin = Ws.agent(node.port(), fx.adminToken())) {
            admin.await("hello");
            admin.ack(frame("conversation.assign", conv[0]));
            admin.ack(frame("message", conv[0]).put("clientMsgId", "r").put("kind", "text").put("text", "my answer"));
            admin.ack(frame("note", conv[0]).put("clientMsgId", "n").put("text", "internal remark"));
        }
        String path = "/api/conversations/" + conv[0] + "/messages";

        Http.Response asAgent = http.get(path, fx.adminToken());
        assertThat(asAgent.status()).as(asAgent.raw()).isEqualTo(200);
        assertThat(asAgent.body().getJsonArray("messages").stream().map(JsonObject.class::cast).map(m -> m.getString("text")))
                .containsExactly("my question", "my answer");
        assertThat(asAgent.body().getJsonArray("messages").stream().map(JsonObject.class::cast).map(m -> m.getLong("seq")))
                .containsExactly(1L, 2L);
        assertThat(asAgent.body().getJsonArray("notes")).hasSize(1);
        assertThat(asAgent.body().getJsonArray("notes").getJsonObject(0).getString("text")).isEqualTo("internal remark");

        Http.Response asVisitor = http.get(path + "?token=" + conv[1], null);
        assertThat(asVisitor.status()).as(asVisitor.raw()).isEqualTo(200);
        assertThat(asVisitor.body().getJsonArray("messages").stream().map(JsonObject.class::cast).map(m -> m.getString("text")))
                .containsExactly("my question", "my answer");
        assertThat(asVisitor.body().containsKey("notes")).isFalse();
        assertThat(asVisitor.raw()).doesNotContain("internal remark");

        Http.Response paged = http.get(path + "?token=" + conv[1] + "&afterSeq=1", null);
        assertThat(paged.body().getJsonArray("messages").stream().map(JsonObject.class::cast).map(m -> m.getLong("seq")))
                .containsExactly(2L);

        assertError(http.get(path, null), 401, "unauthorized");
        assertError(http.get(path + "?token=no-such-visitor", null), 401, "unauthorized");
        assertError(http.get(path, "garbage"), 401, "unauthorized");
    }

    // ---------------------------------------------------------------- health

    @Test
    void healthSaysLiveAndReadyWithPostgresAndRedisUp() {
        Http.Response live = http.get("/health/live", null);
        assertThat(live.status()).isEqualTo(200);

        Http.Response ready = http.get("/health/ready", null);
        assertThat(ready.status()).as(ready.raw()).isEqualTo(200);
        assertThat(ready.body().getString("postgres")).isEqualTo("up");
        assertThat(ready.body().getString("redis")).isEqualTo("up");
    }
}
