package io.switchboard.gateway;

import io.switchboard.boot.Services;
import io.switchboard.domain.Agent;
import io.switchboard.domain.AgentStatus;
import io.switchboard.domain.ConversationStatus;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Principal;
import io.switchboard.protocol.Audience;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.Decoded;
import io.switchboard.protocol.FrameDecoder;
import io.switchboard.protocol.Views;
import io.switchboard.service.ConversationService;
import io.switchboard.service.PresenceService;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/** An agent's socket: the console's commands, each checked against who the agent is now. */
final class AgentSession extends Session {
    private volatile Agent agent;
    /** The agent as commands check it, built once per change rather than per frame. */
    private volatile Principal principal;
    private final Services services;
    private final ConversationService conversations;
    private final PresenceService presence;
    private final TypingThrottle typing = new TypingThrottle();

    AgentSession(String id, ServerWebSocket ws, FrameDecoder decoder, Agent agent, Services services, RateLimit rateLimit) {
        super(id, ws, decoder, services.metrics(), rateLimit, services.config().maxFrameBytes());
        this.agent = agent;
        this.principal = agent.principal();
        this.services = services;
        this.conversations = services.conversations();
        this.presence = services.presence();
    }

    Principal principal() {
        return principal;
    }

    Agent agent() {
        return agent;
    }

    /** The agent's role or teams changed: later commands use the new ones. */
    void changed(Agent now) {
        this.principal = now.principal();
        this.agent = now;
    }

    @Override
    String agentId() {
        return agent.id();
    }

    @Override
    String describe() {
        return "agent " + agent.id();
    }

    @Override
    Future<JsonObject> handle(Decoded d) {
        Principal who = principal();
        ClientFrame f = d.frame();
        if (f instanceof ClientFrame.AgentMessage m) {
            return conversations.agentMessage(who, id, m.conversationId(), m.clientMsgId(), m.kind(), m.text(),
                            m.attachmentId(), m.payload())
                    .map(a -> Views.messageAck(a.message(), a.duplicate()));
        }
        if (f instanceof ClientFrame.Assign a) {
            return conversations.claim(who, a.conversationId())
                    .map(c -> new JsonObject().put("conversation", Views.summary(c, Audience.AGENT)));
        }
        if (f instanceof ClientFrame.SetConversationStatus s) {
            return conversations.changeStatus(who, s.conversationId(), ConversationStatus.fromWire(s.status()))
                    .map(c -> new JsonObject().put("conversation", Views.summary(c, Audience.AGENT)));
        }
        if (f instanceof ClientFrame.OpenConversation o) {
            return conversations.open(who, o.conversationId(), o.afterSeq(), o.limit())
                    .map(op -> new JsonObject()
                            .put("conversation", Views.summary(op.conversation(), Audience.AGENT))
                            .put("messages", Views.list(op.messages(), m -> Views.message(m, Audience.AGENT)))
                            .put("notes", Views.list(op.notes(), Views::note))
                            .put("invites", Views.list(op.invites(), Views::invite)));
        }
        if (f instanceof ClientFrame.AddNote n) {
            return conversations.note(who, id, n.conversationId(), n.clientMsgId(), n.text())
                    .map(a -> new JsonObject().put("note", Views.note(a.note())).put("duplicate", a.duplicate()));
        }
        if (f instanceof ClientFrame.Transfer t) {
            return conversations.transfer(who, t.conversationId(), t.toAgentId(), t.toTeamId(), t.comment(), t.force())
                    .map(c -> new JsonObject().put("conversation", Views.summary(c, Audience.AGENT)));
        }
        if (f instanceof ClientFrame.StatusSet s) {
            return presence.set(agent, AgentStatus.fromWire(s.status()))
                    .map(st -> new JsonObject().put("status", st.wire()));
        }
        if (f instanceof ClientFrame.Typing t) {
            if (!typing.allow(t.conversationId(), t.on())) {
                return Future.succeededFuture();
            }
            return conversations.relayAgentTyping(who, id, t.conversationId(), t.on()).map(v -> null);
        }
        if (f instanceof ClientFrame.Read r) {
            return conversations.agentRead(who, id, r.conversationId(), r.seq()).map(v -> new JsonObject());
        }
        if (f instanceof ClientFrame.CreateInvite i) {
            return services.invites().invite(who, i.conversationId(), i.kind())
                    .map(inv -> new JsonObject().put("invite", Views.invite(inv)));
        }
        if (f instanceof ClientFrame.EndInvite e) {
            return services.invites().end(who, e.inviteId()).map(inv -> new JsonObject().put("invite", Views.invite(inv)));
        }
        if (f instanceof ClientFrame.SearchTextBlocks q) {
            return services.catalog().searchTextBlocks(who, q.q()).map(results -> new JsonObject().put("results",
                    Views.list(results, Views::textBlock)));
        }
        if (f instanceof ClientFrame.Ping) {
            return Future.succeededFuture(new JsonObject());
        }
        return Future.failedFuture(Failure.badRequest(d.type() + " is not available on this server yet"));
    }
}
