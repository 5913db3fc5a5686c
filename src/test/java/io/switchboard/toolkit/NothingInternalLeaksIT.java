package io.switchboard.toolkit;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Http;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole conversation with notes, transfer comments, invites and attachments; then everything a
 * customer can obtain (every frame on its sockets, history, the HTTP API with its token, the files)
 * is searched for anything internal.
 */
class NothingInternalLeaksIT extends NodeTestBase {
    /** A 1×1 transparent PNG. */
    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    @Test
    void noFrameOrResponseACustomerCanObtainContainsANoteACommentOrAnAgentId() {
        String support = fx.supportTeamId();
        String secondId = fx.createAgent("second@test.local", "agent");
        fx.setMembers(support, List.of(fx.adminId(), secondId));
        String sales = fx.createTeam("Sales", "manual");
        List<String> secrets = new ArrayList<>();
        List<String> customerSees = new ArrayList<>();
        Http http = node.http();
        String token;
        String conv;
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws admin = Ws.agent(node.port(), fx.adminToken());
             Ws second = Ws.agent(node.port(), fx.login("second@test.local"))) {
            token = c.await("hello").getJsonObject("visitor").getString("token");
            admin.await("hello");
            second.await("hello");
            conv = c.ack(customerMessage("1", "my parcel never arrived")).getString("conversationId");
            admin.ack(frame("conversation.assign", conv));

            JsonObject n1 = admin.ack(frame("note", conv).put("clientMsgId", "n1").put("text", "NOTE-ONE customer called twice"));
            secrets.add("NOTE-ONE");
            secrets.add(n1.getJsonObject("note").getString("id"));
            admin.ack(agentMessage(conv, "m1", "Let me check that for you"));

            Http.Response upload = http.upload("/api/attachments", "label.png", "text/plain", PNG, fx.adminToken());
            assertThat(upload.status()).isEqualTo(201);
            assertThat(upload.body().getString("contentType")).isEqualTo("image/png");
            String fileId = upload.body().getString("id");
            admin.ack(frame("message", conv).put("clientMsgId", "m2").put("kind", "image").put("attachmentId", fileId));
            JsonObject image = c.await(f -> "message".equals(f.getString("type"))
                    && "image".equals(f.getJsonObject("message").getString("kind"))).getJsonObject("message");
            assertThat(image.getJsonObject("attachment").getString("url")).isEqualTo("/api/attachments/" + fileId);

            String invite = admin.ack(frame("invite", conv).put("kind", "cobrowse")).getJsonObject("invite").getString("id");
            c.await("invite");
            c.ack(new JsonObject().put("type", "invite.respond").put("inviteId", invite).put("accept", true));

            JsonObject n2 = admin.ack(frame("note", conv).put("clientMsgId", "n2").put("text", "NOTE-TWO refund approved internally"));
            secrets.add("NOTE-TWO");
            secrets.add(n2.getJsonObject("note").getString("id"));
            admin.ack(frame("conversation.transfer", conv).put("toAgentId", secondId).put("comment", "COMMENT-ONE handle gently"));
            secrets.add("COMMENT-ONE");
            second.await("conversation.transferred");
            JsonObject n3 = second.ack(frame("note", conv).put("clientMsgId", "n3").put("text", "NOTE-THREE vip"));
            secrets.add("NOTE-THREE");
            secrets.add(n3.getJsonObject("note").getString("id"));
            second.ack(agentMessage(conv, "m3", "Hi, I am taking over"));
            second.ack(frame("conversation.transfer", conv).put("toTeamId", sales).put("comment", "COMMENT-TWO upsell"));
            secrets.add("COMMENT-TWO");
            c.await(f -> "message".equals(f.getString("type")) && f.getJsonObject("message").getString("text") != null
                    && f.getJsonObject("message").getString("text").contains("Sales"));
            secrets.add(fx.adminId());
            secrets.add(secondId);

            // Everything the customer can ask for.
            customerSees.add(c.ack(new JsonObject().put("type", "history").put("limit", 500)).encode());
            customerSees.add(c.ack(new JsonObject().put("type", "history").put("conversationId", conv)).encode());
            customerSees.add(c.received().toString());
        }
        try (Ws again = Ws.customer(node.port(), node.widgetKey(), token)) {
            customerSees.add(again.await("hello").encode());
            customerSees.add(again.ack(new JsonObject().put("type", "history")).encode());
        }
        Http.Response messages = http.get("/api/conversations/" + conv + "/messages?token=" + token, null);
        assertThat(messages.status()).isEqualTo(200);
        assertThat(messages.body().containsKey("notes")).isFalse();
        customerSees.add(messages.raw());
        for (String agentOnly : List.of("/api/conversations?token=" + token, "/api/me?token=" + token,
                "/api/text-blocks?token=" + token, "/api/agents?token=" + token)) {
            Http.Response r = http.get(agentOnly, null);
            assertThat(r.status()).as(agentOnly).isEqualTo(401);
            customerSees.add(r.raw());
        }
        var file = http.getBytes("/api/attachments/" + messages.body().getJsonArray("messages").stream()
                .map(JsonObject.class::cast).filter(m -> m.getJsonObject("attachment") != null).findFirst().orElseThrow()
                .getJsonObject("attachment").getString("id") + "?token=" + token, null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(PNG);
        customerSees.add(new String(file.body(), StandardCharsets.ISO_8859_1));

        String all = String.join("\n", customerSees);
        assertThat(all).contains("my parcel never arrived").contains("Hi, I am taking over").contains("cobrowse");
        for (String secret : secrets) {
            assertThat(all).as("the customer must never see %s", secret).doesNotContain(secret);
        }
        assertThat(all).doesNotContain("\"note\"").doesNotContain("\"comment\"").doesNotContain("\"team\":{");
    }
}
