package io.switchboard.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Builds the people of a test through the public HTTP API, as an admin would. */
public final class Fixtures {
    private final TestNode node;
    private final String adminToken;

    public Fixtures(TestNode node) {
        this.node = node;
        this.adminToken = node.loginAdmin().getString("token");
    }

    public String adminToken() {
        return adminToken;
    }

    public String adminId() {
        return node.http().get("/api/me", adminToken).body().getString("id");
    }

    /** The seeded "Support" team. */
    public String supportTeamId() {
        return node.http().get("/api/teams", adminToken).body().getJsonArray("teams").stream()
                .map(JsonObject.class::cast).filter(t -> "Support".equals(t.getString("name")))
                .findFirst().orElseThrow().getString("id");
    }

    public String createTeam(String name, String routing) {
        Http.Response r = node.http().post("/api/teams", new JsonObject().put("name", name).put("routing", routing), adminToken);
        check(r, 201);
        return r.body().getString("id");
    }

    /** Creates an agent and returns its id. */
    public String createAgent(String email, String role) {
        Http.Response r = node.http().post("/api/agents", new JsonObject()
                .put("email", email).put("name", email.substring(0, email.indexOf('@'))).put("password", "password-" + email)
                .put("role", role), adminToken);
        check(r, 201);
        return r.body().getString("id");
    }

    /** Logs an agent created by {@link #createAgent} in; returns its token. */
    public String login(String email) {
        return node.http().login(email, "password-" + email).getString("token");
    }

    public void setMaxChats(String agentId, int maxChats) {
        check(node.http().patch("/api/agents/" + agentId, new JsonObject().put("maxChats", maxChats), adminToken), 200);
    }

    public void setMembers(String teamId, List<String> agentIds) {
        check(node.http().put("/api/teams/" + teamId + "/members",
                new JsonObject().put("agentIds", new JsonArray(agentIds)), adminToken), 200);
    }

    public String createWidget(String name, String teamId) {
        Http.Response r = node.http().post("/api/widgets", new JsonObject().put("name", name).put("teamId", teamId), adminToken);
        check(r, 201);
        return r.body().getString("key");
    }

    /** A widget of a new team with automatic routing, and the team's only agent. */
    public record SoloTeam(String widgetKey, String agentId, String agentEmail) {
    }

    /** An {@code auto} team "Auto" whose only member is a new agent with this email and capacity, and a widget of it. */
    public SoloTeam soloAutoTeam(String email, int maxChats) {
        String team = createTeam("Auto", "auto");
        String widget = createWidget("Auto", team);
        String agentId = createAgent(email, "agent");
        setMaxChats(agentId, maxChats);
        setMembers(team, List.of(agentId));
        return new SoloTeam(widget, agentId, email);
    }

    private static void check(Http.Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + " but got " + r.status() + ": " + r.raw());
        }
    }
}
