package io.switchboard.toolkit;

import io.switchboard.testing.Chat;
import io.switchboard.testing.NodeTestBase;
import io.switchboard.testing.Ws;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.switchboard.testing.ClientFrames.customerMessage;
import static io.switchboard.testing.ClientFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Invitations the customer must accept: states, one pending per kind, expiry, both sides told. */
class InviteIT extends NodeTestBase {

    @Override
    protected Map<String, String> env() {
        return Map.of("SWITCHBOARD_INVITE_TTL_S", "2");
    }

    private static boolean updated(JsonObject f, String inviteId, String state) {
        return "invite.updated".equals(f.getString("type")) && inviteId.equals(f.getJsonObject("invite").getString("id"))
                && state.equals(f.getJsonObject("invite").getString("state"));
    }

    @Test
    void anInviteIsAcceptedByTheCustomerThenEndedAndBothSidesFollowEveryChange() {
        try (Chat chat = Chat.assigned(node, fx.adminToken(), "can you show me?")) {
            Ws c = chat.customer();
            Ws agent = chat.agent();
            String conv = chat.conversationId();
            JsonObject invite = agent.ack(frame("invite", conv).put("kind", "cobrowse")).getJsonObject("invite");
            assertThat(invite.getString("state")).isEqualTo("pending");
            assertThat(invite.getString("kind")).isEqualTo("cobrowse");
            String id = invite.getString("id");
            assertThat(c.await("invite").getJsonObject("invite").getString("id")).isEqualTo(id);
            assertThat(agent.errorCode(frame("invite", conv).put("kind", "cobrowse"))).as("one pending per kind").isEqualTo("conflict");
            assertThat(agent.errorCode(frame("invite", conv).put("kind", "teleport"))).isEqualTo("bad_request");
            agent.ack(frame("invite", conv).put("kind", "call"));

            JsonObject accepted = c.ack(new JsonObject().put("type", "invite.respond").put("inviteId", id).put("accept", true));
            assertThat(accepted.getJsonObject("invite").getString("state")).isEqualTo("accepted");
            agent.await(f -> updated(f, id, "accepted"));
            c.await(f -> updated(f, id, "accepted"));
            assertThat(c.errorCode(new JsonObject().put("type", "invite.respond").put("inviteId", id).put("accept", false)))
                    .as("only a pending invite is answered").isEqualTo("conflict");

            JsonObject opened = agent.ack(frame("conversation.open", conv));
            assertThat(opened.getJsonArray("invites")).hasSize(2)
                    .anySatisfy(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("accepted"));

            agent.ack(new JsonObject().put("type", "invite.end").put("inviteId", id));
            c.await(f -> updated(f, id, "ended"));
            assertThat(agent.errorCode(new JsonObject().put("type", "invite.end").put("inviteId", id))).isEqualTo("conflict");
        }
    }

    @Test
    void aDeclinedInviteIsFinalAndAPendingOneExpires() {
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws other = Ws.customer(node.port(), node.widgetKey(), null);
             Ws agent = Ws.agent(node.port(), fx.adminToken())) {
            c.await("hello");
            other.await("hello");
            agent.await("hello");
            String conv = c.ack(customerMessage("1", "hi")).getString("conversationId");
            agent.ack(frame("conversation.assign", conv));
            String video = agent.ack(frame("invite", conv).put("kind", "video_call")).getJsonObject("invite").getString("id");
            assertThat(other.errorCode(new JsonObject().put("type", "invite.respond").put("inviteId", video).put("accept", true)))
                    .as("another visitor cannot answer it").isEqualTo("not_found");
            c.ack(new JsonObject().put("type", "invite.respond").put("inviteId", video).put("accept", false));
            agent.await(f -> updated(f, video, "declined"));

            String share = agent.ack(frame("invite", conv).put("kind", "screen_share")).getJsonObject("invite").getString("id");
            agent.await(f -> updated(f, share, "ended"));
            c.await(f -> updated(f, share, "ended"));
            assertThat(c.errorCode(new JsonObject().put("type", "invite.respond").put("inviteId", share).put("accept", true)))
                    .isEqualTo("conflict");
            assertThat(agent.ack(frame("invite", conv).put("kind", "screen_share")).getJsonObject("invite").getString("state"))
                    .as("a new one may follow an expired one").isEqualTo("pending");
        }
    }

    @Test
    void onlyTheAssigneeOrAnAdminInvitesAndResolvingEndsOpenInvites() {
        String agentId = fx.createAgent("member@test.local", "agent");
        fx.setMembers(fx.supportTeamId(), java.util.List.of(fx.adminId(), agentId));
        try (Ws c = Ws.customer(node.port(), node.widgetKey(), null);
             Ws admin = Ws.agent(node.port(), fx.adminToken());
             Ws member = Ws.agent(node.port(), fx.login("member@test.local"))) {
            c.await("hello");
            admin.await("hello");
            member.await("hello");
            String conv = c.ack(customerMessage("1", "hi")).getString("conversationId");
            admin.ack(frame("conversation.assign", conv));
            assertThat(member.errorCode(frame("invite", conv).put("kind", "call"))).isEqualTo("forbidden");
            String call = admin.ack(frame("invite", conv).put("kind", "call")).getJsonObject("invite").getString("id");
            member.await(f -> "invite.updated".equals(f.getString("type")));
            admin.ack(frame("conversation.status", conv).put("status", "done"));
            c.await(f -> updated(f, call, "ended"));
        }
    }
}
