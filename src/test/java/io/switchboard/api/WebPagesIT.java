package io.switchboard.api;

import io.switchboard.testing.Http;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pages the server ships, the widget's public check and the directory a transfer dialog lists. */
class WebPagesIT extends NodeTestBase {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private HttpResponse<String> fetch(String method, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(node.httpBase() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoPageHostsTheWidgetWithTheSeededKeyAndEveryPageHasACsp() throws Exception {
        HttpResponse<String> demo = fetch("GET", "/");
        assertThat(demo.statusCode()).isEqualTo(200);
        assertThat(demo.body()).contains("src=\"/widget.js\"").contains("data-widget=\"" + node.widgetKey() + "\"");
        for (String path : List.of("/", "/console/", "/widget.js", "/widget.css", "/console/app.js")) {
            HttpResponse<String> r = fetch("GET", path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("content-security-policy")).as(path).isPresent();
            assertThat(r.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
        }
        assertThat(fetch("HEAD", "/console/").statusCode()).isEqualTo(200);
        assertThat(fetch("GET", "/console").statusCode()).isEqualTo(302);
        assertThat(fetch("GET", "/nothing-here.js").statusCode()).isEqualTo(404);
    }

    @Test
    void aKeyFromTheQueryIsEscapedIntoThePage() throws Exception {
        String body = fetch("GET", "/?widget=%22%3E%3Cscript%3Ealert(1)%3C/script%3E").body();
        assertThat(body).doesNotContain("<script>alert").contains("&quot;&gt;&lt;script&gt;");
    }

    @Test
    void theWidgetCheckNamesAnUnknownKeyAndAForgottenVisitor() {
        Http http = node.http();
        Http.Response known = http.get("/api/public/widgets/" + node.widgetKey(), null);
        assertThat(known.status()).isEqualTo(200);
        assertThat(known.body().getString("name")).isEqualTo("Website");
        assertThat(known.body().containsKey("visitorKnown")).isFalse();
        assertThat(http.get("/api/public/widgets/wk_unknown", null).errorCode()).isEqualTo("not_found");
        assertThat(http.get("/api/public/widgets/" + node.widgetKey() + "?token=forgotten", null)
                .body().getBoolean("visitorKnown")).isFalse();
        try (Ws customer = Ws.customer(node.port(), node.widgetKey(), null)) {
            String token = customer.await("hello").getJsonObject("visitor").getString("token");
            assertThat(http.get("/api/public/widgets/" + node.widgetKey() + "?token=" + token, null)
                    .body().getBoolean("visitorKnown")).isTrue();
        }
    }

    @Test
    void whatAWidgetOnAnotherSiteCallsAllowsAnyOrigin() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(node.httpBase() + "/api/public/widgets/"
                + node.widgetKey())).header("Origin", "https://shop.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        HttpResponse<String> agentApi = CLIENT.send(HttpRequest.newBuilder(URI.create(node.httpBase() + "/api/me"))
                .header("Origin", "https://shop.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(agentApi.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void anyAgentSeesColleaguesWithPresenceAndLoadAndTeamsWithWhoIsOnline() {
        String ada = fx.createAgent("ada@test.local", "agent");
        fx.setMembers(fx.supportTeamId(), List.of(fx.adminId(), ada));
        String adaToken = fx.login("ada@test.local");
        try (Ws adaSocket = Ws.agent(node.port(), adaToken);
             Ws customer = Ws.customer(node.port(), node.widgetKey(), null)) {
            adaSocket.await("hello");
            customer.await("hello");
            String conversationId = customer.ack(new JsonObject().put("type", "message").put("ref", "m")
                    .put("clientMsgId", "c1").put("text", "hi")).getString("conversationId");
            adaSocket.ack(new JsonObject().put("type", "conversation.assign").put("ref", "a").put("conversationId", conversationId));

            Http.Response r = node.http().get("/api/directory", adaToken);
            assertThat(r.status()).isEqualTo(200);
            JsonObject adaEntry = r.body().getJsonArray("agents").stream().map(JsonObject.class::cast)
                    .filter(a -> a.getString("id").equals(ada)).findFirst().orElseThrow();
            assertThat(adaEntry.getString("status")).isEqualTo("online");
            assertThat(adaEntry.getInteger("load")).isEqualTo(1);
            assertThat(adaEntry.containsKey("email")).isFalse();
            JsonObject adminEntry = r.body().getJsonArray("agents").stream().map(JsonObject.class::cast)
                    .filter(a -> a.getString("id").equals(fx.adminId())).findFirst().orElseThrow();
            assertThat(adminEntry.getString("status")).isEqualTo("offline");
            JsonObject support = r.body().getJsonArray("teams").getJsonObject(0);
            assertThat(support.getString("name")).isEqualTo("Support");
            assertThat(support.getInteger("online")).isEqualTo(1);
        }
        assertThat(node.http().get("/api/directory", null).status()).isEqualTo(401);
    }
}
