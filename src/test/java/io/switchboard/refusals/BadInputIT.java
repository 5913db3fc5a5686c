package io.switchboard.refusals;

import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.testing.ClientFrames.agentMessage;
import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the sockets and before the upgrade: every bad frame is answered with {@code bad_request}
 * and leaves the socket usable, oversized frames close it with 1009, refused upgrades are plain HTTP
 * statuses, and agents who may not act on a conversation are refused without anything being stored.
 */
class BadInputIT extends NodeTestBase {
    /** The node signs agent tokens with this key, so that tests can forge valid, expired and foreign tokens. */
    private static final String JWT_SECRET = "bad-input-it-signing-key-0123456789abcdef";

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_JWT_SECRET", JWT_SECRET);
    }

    private static JsonObject ping() {
        return new JsonObject().put("type", "ping");
    }

    /** The next error frame without a ref (the reply to a frame whose ref could not be read, or had none). */
    private static JsonObject awaitUnreferencedError(Ws ws) {
        JsonObject e = ws.await(f -> "error".equals(f.getString("type")) && f.getValue("ref") == null);
        assertThat(e.containsKey("ref")).as("the error names \"ref\":null explicitly: " + e.encode()).isTrue();
        return e;
    }

    private static void assertBadRequest(JsonObject reply, String ref) {
        assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
        assertThat(reply.getString("code")).as(reply.encode()).isEqualTo("bad_request");
        assertThat(reply.getValue("ref")).as(reply.encode()).isEqualTo(ref);
    }

    private static List<String> historyTexts(Ws customer) {
        return customer.ack(new JsonObject().put("type", "history")).getJsonArray("messages").stream()
                .map(JsonObject.class::cast).map(m -> m.getString("text")).toList();
    }

    private static String jwt(String secret, JsonObject claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode()
                .getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + b64.encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject claims(String agentId, long expiresAtSeconds) {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("sub", agentId).put("iat", Math.min(now, expiresAtSeconds - 60)).put("exp", expiresAtSeconds);
    }

    // ---------------------------------------------------------------- frames on an open socket

    @Test
    void malformedJsonIsABadRequestWithANullRefAndTheSocketStaysUsable() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            c.sendRaw("{\"type\":\"message\",\"ref\":\"r\",");
            JsonObject error = awaitUnreferencedError(c);
            assertThat(error.getString("code")).isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();

            c.sendRaw("not json at all");
            assertThat(awaitUnreferencedError(c).getString("code")).isEqualTo("bad_request");
            c.sendRaw("[1,2,3]");
            assertThat(awaitUnreferencedError(c).getString("code")).as("a JSON array is not a frame").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
        }
        try (Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            agent.await("hello");
            agent.sendRaw("}{");
            assertThat(awaitUnreferencedError(agent).getString("code")).isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
        }
    }

    @Test
    void anUnknownOrMissingTypeIsABadRequestCarryingTheFramesRef() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            c.send(new JsonObject().put("type", "frobnicate").put("ref", "unknown-1"));
            assertBadRequest(c.await(f -> "unknown-1".equals(f.getString("ref"))), "unknown-1");
            assertThat(c.ack(ping())).isEmpty();

            c.send(new JsonObject().put("ref", "no-type").put("text", "hi"));
            assertBadRequest(c.await(f -> "no-type".equals(f.getString("ref"))), "no-type");
            assertThat(c.ack(ping())).isEmpty();

            c.send(new JsonObject().put("type", 42).put("ref", "numeric-type"));
            assertBadRequest(c.await(f -> "numeric-type".equals(f.getString("ref"))), "numeric-type");
            assertThat(c.ack(ping())).isEmpty();

            // An agent command is an unknown type on the customer socket.
            c.send(frame("conversation.assign", UUID.randomUUID().toString()).put("ref", "agents-only"));
            assertBadRequest(c.await(f -> "agents-only".equals(f.getString("ref"))), "agents-only");
            assertThat(c.ack(ping())).isEmpty();

            agent.send(new JsonObject().put("type", "frobnicate").put("ref", "unknown-2"));
            assertBadRequest(agent.await(f -> "unknown-2".equals(f.getString("ref"))), "unknown-2");
            assertThat(agent.ack(ping())).isEmpty();

            // Without a ref, the failure still gets an error, with "ref":null.
            c.send(new JsonObject().put("type", "frobnicate"));
            assertThat(awaitUnreferencedError(c).getString("code")).isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
        }
    }

    @Test
    void missingRequiredFieldsAreBadRequestsAndTheSocketStillWorks() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");

            assertThat(c.errorCode(new JsonObject().put("type", "message").put("text", "no client id")))
                    .as("message without clientMsgId").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(customerMessage("", "empty client id"))).as("empty clientMsgId").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(new JsonObject().put("type", "typing"))).as("typing without on").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(historyTexts(c)).as("nothing was stored").isEmpty();

            String conv = c.ack(customerMessage("ok", "a real message")).getString("conversationId");
            agent.await(f -> "conversation.new".equals(f.getString("type")));
            agent.ack(frame("conversation.assign", conv));

            assertThat(agent.errorCode(new JsonObject().put("type", "message").put("clientMsgId", "x").put("kind", "text")
                    .put("text", "to whom?"))).as("agent message without conversationId").isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
            assertThat(agent.errorCode(new JsonObject().put("type", "message").put("conversationId", conv)
                    .put("kind", "text").put("text", "no client id"))).as("agent message without clientMsgId").isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
            assertThat(agent.errorCode(new JsonObject().put("type", "conversation.open")))
                    .as("conversation.open without conversationId").isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
            assertThat(agent.errorCode(new JsonObject().put("type", "status.set"))).as("status.set without status")
                    .isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();

            assertThat(historyTexts(c)).as("none of the refused frames stored anything").containsExactly("a real message");
            assertThat(agent.ack(agentMessage(conv, "fine", "the socket still works")).getLong("seq")).isEqualTo(2);
        }
    }

    @Test
    void wrongFieldTypesAreBadRequestsAndTheSocketStillWorks() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            String conv = c.ack(customerMessage("first", "first")).getString("conversationId");

            assertThat(c.errorCode(new JsonObject().put("type", "message").put("clientMsgId", "n").put("text", 12345)))
                    .as("text as a number").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(new JsonObject().put("type", "message").put("clientMsgId", 7).put("text", "hi")))
                    .as("clientMsgId as a number").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(new JsonObject().put("type", "history").put("afterSeq", "1")))
                    .as("afterSeq as a string").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(new JsonObject().put("type", "history").put("limit", 1.5)))
                    .as("limit as a fraction").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(new JsonObject().put("type", "read").put("seq", "1")))
                    .as("seq as a string").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.errorCode(new JsonObject().put("type", "typing").put("on", "yes")))
                    .as("on as a string").isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();

            agent.ack(frame("conversation.assign", conv));
            assertThat(agent.errorCode(frame("message", conv).put("clientMsgId", "a").put("kind", "text").put("text", 42)))
                    .as("agent text as a number").isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
            assertThat(agent.errorCode(frame("read", conv).put("seq", "1"))).as("agent seq as a string").isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
            assertThat(agent.errorCode(new JsonObject().put("type", "conversation.open").put("conversationId", 17)))
                    .as("conversationId as a number").isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();

            assertThat(historyTexts(c)).containsExactly("first");
            assertThat(c.ack(new JsonObject().put("type", "history").put("afterSeq", 0)).getJsonArray("messages"))
                    .as("the same command with the right types is accepted").hasSize(1);
        }
    }

    @Test
    void aReadWithSeqAsAStringIsRefusedWhileTheSameReadWithANumberIsAccepted() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            String conv = c.ack(customerMessage("first", "first")).getString("conversationId");
            agent.ack(frame("conversation.assign", conv));
            agent.ack(agentMessage(conv, "reply", "reply"));

            assertThat(c.errorCode(new JsonObject().put("type", "read").put("seq", "2"))).isEqualTo("bad_request");
            assertThat(c.ack(new JsonObject().put("type", "read").put("seq", 2)))
                    .as("PROTOCOL.md: read {seq} is acked with {}").isEmpty();

            assertThat(agent.errorCode(frame("read", conv).put("seq", "1"))).isEqualTo("bad_request");
            assertThat(agent.ack(frame("read", conv).put("seq", 1)))
                    .as("PROTOCOL.md: read {conversationId, seq} is acked with {}").isEmpty();
        }
    }

    @Test
    void aRefThatIsTooLongOrNotAStringIsAnsweredWithANullRef() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            String longRef = "r".repeat(65);
            c.send(ping().put("ref", longRef));
            JsonObject error = awaitUnreferencedError(c);
            assertThat(error.getString("code")).isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();

            c.send(ping().put("ref", 12));
            assertThat(awaitUnreferencedError(c).getString("code")).isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();

            String maxRef = "m".repeat(64);
            c.send(ping().put("ref", maxRef));
            JsonObject ok = c.await(f -> maxRef.equals(f.getString("ref")));
            assertThat(ok.getString("type")).as("a ref of exactly 64 chars is fine").isEqualTo("ack");
            assertThat(c.receivedOfType("ack")).noneMatch(f -> longRef.equals(f.getString("ref")));
        }
    }

    @Test
    void aTextLongerThanTenThousandCharactersIsRefusedAndNothingIsStored() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            String tooLong = "x".repeat(10_001);
            assertThat(c.errorCode(customerMessage("long-first", tooLong))).isEqualTo("bad_request");
            assertThat(historyTexts(c)).as("no conversation was opened").isEmpty();

            JsonObject first = c.ack(customerMessage("short", "short"));
            assertThat(first.getLong("seq")).isEqualTo(1);
            String conv = first.getString("conversationId");
            assertThat(c.errorCode(customerMessage("long", tooLong))).isEqualTo("bad_request");
            assertThat(historyTexts(c)).containsExactly("short");

            String atLimit = "y".repeat(10_000);
            JsonObject max = c.ack(customerMessage("at-limit", atLimit));
            assertThat(max.getLong("seq")).as("10,000 characters are allowed, and no seq was used up").isEqualTo(2);

            agent.ack(frame("conversation.assign", conv));
            assertThat(agent.errorCode(agentMessage(conv, "agent-long", tooLong))).isEqualTo("bad_request");
            assertThat(agent.errorCode(frame("note", conv).put("clientMsgId", "note-long").put("text", tooLong)))
                    .isEqualTo("bad_request");
            JsonObject opened = agent.ack(frame("conversation.open", conv));
            assertThat(opened.getJsonArray("notes")).isEmpty();
            assertThat(historyTexts(c)).containsExactly("short", atLimit);
            assertThat(agent.ack(agentMessage(conv, "agent-ok", "ok")).getLong("seq")).isEqualTo(3);
        }
    }

    @Test
    void aBinaryFrameIsABadRequestAndTheSocketStaysOpen() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            c.sendBinary(Buffer.buffer("{\"type\":\"ping\",\"ref\":\"bin\"}"));
            JsonObject error = awaitUnreferencedError(c);
            assertThat(error.getString("code")).isEqualTo("bad_request");
            assertThat(c.ack(ping())).isEmpty();
            assertThat(c.ack(customerMessage("after-binary", "still here")).getLong("seq")).isEqualTo(1);

            agent.sendBinary(Buffer.buffer(new byte[]{0, 1, 2, 3}));
            assertThat(awaitUnreferencedError(agent).getString("code")).isEqualTo("bad_request");
            assertThat(agent.ack(ping())).isEmpty();
        }
    }

    @Test
    void aTextFrameOverSixtyFourKibibytesClosesTheSocketWith1009() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            c.sendRaw(customerMessage("huge", "z".repeat(70 * 1024)).encode());
            assertThat(c.awaitClose()).isEqualTo(1009);
        }
        try (Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            agent.await("hello");
            agent.sendRaw(ping().put("padding", "p".repeat(65 * 1024)).encode());
            assertThat(agent.awaitClose()).isEqualTo(1009);
        }
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            c.await("hello");
            assertThat(historyTexts(c)).as("the server still serves new sockets").isEmpty();
        }
    }

    // ---------------------------------------------------------------- refusals before the upgrade

    @Test
    void aCustomerUpgradeWithoutAWidgetOrWithAnUnknownWidgetOrVisitorIsRefused() {
        assertThat(Ws.refusedStatus(node.port(), "/ws/customer")).as("no widget").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/customer?widget=")).as("empty widget").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/customer?widget=wk_no-such-widget")).as("unknown widget").isEqualTo(404);
        assertThat(Ws.refusedStatus(node.port(), "/ws/customer?widget=" + node.widgetKey() + "&token=no-such-visitor"))
                .as("unknown visitor token").isEqualTo(401);
        // The same widget without a token is accepted: the refusals above were about the parameters.
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null)) {
            assertThat(c.await("hello").getString("role")).isEqualTo("customer");
        }
    }

    @Test
    void anAgentUpgradeWithoutAValidTokenIsRefusedWith401() {
        String adminId = fx.adminId();
        long inAnHour = System.currentTimeMillis() / 1000 + 3600;
        // Control: a token forged with the node's own key is accepted, so the refusals below are about the key.
        try (Ws agent = Ws.agent(node.port(), jwt(JWT_SECRET, claims(adminId, inAnHour)))) {
            assertThat(agent.await("hello").getJsonObject("agent").getString("id")).isEqualTo(adminId);
        }
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent")).as("no token").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=")).as("empty token").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=garbage")).as("garbage token").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=aaaa.bbbb.cccc")).as("JWT-shaped garbage").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=" + jwt("some-other-key-0123456789abcdefghij", claims(adminId, inAnHour))))
                .as("signed with another key").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=" + jwt(JWT_SECRET, claims(adminId, inAnHour - 7200))))
                .as("expired").isEqualTo(401);
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=" + jwt(JWT_SECRET, claims(UUID.randomUUID().toString(), inAnHour))))
                .as("an agent that does not exist").isEqualTo(401);
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new JsonObject().put("alg", "none").put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims(adminId, inAnHour).encode().getBytes(StandardCharsets.UTF_8)) + ".";
        assertThat(Ws.refusedStatus(node.port(), "/ws/agent?token=" + unsigned)).as("alg none").isEqualTo(401);
    }

    // ---------------------------------------------------------------- who may act on a conversation

    @Test
    void anAgentWhoIsNotTheAssigneeCannotWriteToTheCustomerAndNothingIsStored() {
        String a = fx.createAgent("assignee@test.local", "agent");
        String b = fx.createAgent("bystander@test.local", "agent");
        fx.setMembers(fx.supportTeamId(), List.of(fx.adminId(), a, b));
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws assignee = Ws.agent(node.port(), fx.login("assignee@test.local"));
             Ws bystander = Ws.agent(node.port(), fx.login("bystander@test.local"))) {
            c.await("hello");
            assignee.await("hello");
            bystander.await("hello");
            String conv = c.ack(customerMessage("help", "help me")).getString("conversationId");
            bystander.await(f -> "conversation.new".equals(f.getString("type")));

            assertThat(bystander.errorCode(agentMessage(conv, "early", "nobody holds it yet")))
                    .as("unassigned: assign it first").isEqualTo("forbidden");

            assignee.ack(frame("conversation.assign", conv));
            assertThat(bystander.errorCode(agentMessage(conv, "intrude", "I am not the assignee")))
                    .as("held by another agent").isEqualTo("forbidden");
            assertThat(bystander.errorCode(frame("conversation.status", conv).put("status", "done")))
                    .as("nor may it resolve the conversation").isEqualTo("forbidden");

            JsonObject reply = assignee.ack(agentMessage(conv, "reply", "the assignee answers"));
            assertThat(reply.getLong("seq")).as("the refused messages used no seq").isEqualTo(2);
            c.await(f -> "message".equals(f.getString("type"))
                    && "the assignee answers".equals(f.getJsonObject("message").getString("text")));
            assertThat(historyTexts(c)).containsExactly("help me", "the assignee answers");
            assertThat(c.receivedOfType("message")).noneMatch(f -> {
                String text = f.getJsonObject("message").getString("text");
                return "nobody holds it yet".equals(text) || "I am not the assignee".equals(text);
            });
            // A team member may still read it.
            assertThat(bystander.ack(frame("conversation.open", conv)).getJsonArray("messages")).hasSize(2);
        }
    }

    @Test
    void anAgentOutsideTheConversationsTeamCannotOpenItTakeItOrWriteNotes() {
        fx.createAgent("outsider@test.local", "agent");
        String sales = fx.createTeam("Sales", "manual");
        String salesWidget = fx.createWidget("Sales site", sales);
        try (Ws c = Ws.customer(node.port(), salesWidget, null);
             Ws outsider = Ws.agent(node.port(), fx.login("outsider@test.local"));
             Ws admin = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            outsider.await("hello");
            admin.await("hello");
            String conv = c.ack(customerMessage("s", "a question for sales")).getString("conversationId");

            assertThat(outsider.errorCode(frame("conversation.open", conv))).isEqualTo("forbidden");
            assertThat(outsider.errorCode(frame("note", conv).put("clientMsgId", "n1").put("text", "psst")))
                    .isEqualTo("forbidden");
            assertThat(outsider.errorCode(frame("conversation.assign", conv))).isEqualTo("forbidden");
            assertThat(outsider.errorCode(agentMessage(conv, "m1", "hello from outside"))).isEqualTo("forbidden");

            JsonObject opened = admin.ack(frame("conversation.open", conv));
            assertThat(opened.getJsonObject("conversation").getJsonObject("team").getString("id")).isEqualTo(sales);
            assertThat(opened.getJsonObject("conversation").getValue("assignee")).as("the refused claim took nothing").isNull();
            assertThat(opened.getJsonArray("notes")).as("the refused note was not stored").isEmpty();
            assertThat(historyTexts(c)).containsExactly("a question for sales");
        }
    }

    @Test
    void anUnknownOrMalformedConversationIdIsNotFound() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            agent.await("hello");
            c.ack(customerMessage("mine", "mine"));
            String unknown = UUID.randomUUID().toString();
            for (String id : List.of(unknown, "not-a-uuid")) {
                assertThat(agent.errorCode(frame("conversation.open", id))).as("open " + id).isEqualTo("not_found");
                assertThat(agent.errorCode(frame("conversation.assign", id))).as("assign " + id).isEqualTo("not_found");
                assertThat(agent.errorCode(agentMessage(id, "m-" + id, "to nowhere"))).as("message " + id).isEqualTo("not_found");
                assertThat(agent.errorCode(frame("note", id).put("clientMsgId", "n-" + id).put("text", "nowhere")))
                        .as("note " + id).isEqualTo("not_found");
                assertThat(agent.errorCode(frame("conversation.status", id).put("status", "done")))
                        .as("status " + id).isEqualTo("not_found");
                assertThat(c.errorCode(new JsonObject().put("type", "history").put("conversationId", id)))
                        .as("customer history " + id).isEqualTo("not_found");
            }
            assertThat(agent.ack(ping())).isEmpty();
            assertThat(historyTexts(c)).containsExactly("mine");
        }
    }
}
