package io.switchboard.protocol;

import io.switchboard.domain.Agent;
import io.switchboard.domain.AttachmentRef;
import io.switchboard.domain.Author;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.Invite;
import io.switchboard.domain.Message;
import io.switchboard.domain.Note;
import io.switchboard.domain.Ref;
import io.switchboard.domain.Team;
import io.switchboard.domain.TextBlock;
import io.switchboard.domain.Widget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * The wire shape of every object (PROTOCOL.md, "Objects"). The one place that decides what a
 * customer may see: notes have no customer view at all.
 */
public final class Views {
    private Views() {
    }

    public static JsonObject message(Message m, Audience to) {
        JsonObject j = new JsonObject()
                .put("id", m.id())
                .put("conversationId", m.conversationId())
                .put("seq", m.seq())
                .put("at", m.at());
        if (m.clientMsgId() != null) {
            j.put("clientMsgId", m.clientMsgId());
        }
        j.put("author", author(m.author(), to)).put("kind", m.kind().wire());
        if (m.text() != null) {
            j.put("text", m.text());
        }
        if (m.attachment() != null) {
            j.put("attachment", attachment(m.attachment()));
        }
        if (m.payload() != null) {
            j.put("payload", new JsonObject(m.payload()));
        }
        return j;
    }

    public static JsonObject attachment(AttachmentRef a) {
        return new JsonObject().put("id", a.id()).put("name", a.name()).put("contentType", a.contentType())
                .put("size", a.size()).put("url", a.url());
    }

    static JsonObject author(Author a, Audience to) {
        JsonObject j = new JsonObject().put("type", a.type());
        // A customer sees agents by name only; its own id is its own.
        if (a.id() != null && (to == Audience.AGENT || Author.CUSTOMER.equals(a.type()))) {
            j.put("id", a.id());
        }
        if (a.name() != null) {
            j.put("name", a.name());
        }
        return j;
    }

    public static JsonObject summary(ConversationSummary c, Audience to) {
        JsonObject j = new JsonObject()
                .put("id", c.id())
                .put("status", c.status().wire())
                .put("assignee", c.assignee() == null ? null : to == Audience.AGENT
                        ? ref(c.assignee()) : new JsonObject().put("name", c.assignee().name()))
                .put("team", c.team() == null || to == Audience.CUSTOMER ? null : ref(c.team()))
                .put("visitor", new JsonObject()
                        .put("id", c.visitor().id())
                        .put("name", c.visitor().name())
                        .put("email", c.visitor().email()))
                .put("createdAt", c.createdAt())
                .put("lastSeq", c.lastSeq());
        if (c.lastMessage() != null) {
            j.put("lastMessage", message(c.lastMessage(), to));
        }
        return j;
    }

    /** The ack of a {@code message} command, the same on both sockets. */
    public static JsonObject messageAck(Message m, boolean duplicate) {
        return new JsonObject()
                .put("conversationId", m.conversationId())
                .put("messageId", m.id())
                .put("seq", m.seq())
                .put("at", m.at())
                .put("duplicate", duplicate);
    }

    /** Agents only: there is deliberately no customer view of a note. */
    public static JsonObject note(Note n) {
        JsonObject j = new JsonObject()
                .put("id", n.id())
                .put("conversationId", n.conversationId())
                .put("at", n.at())
                .put("author", new JsonObject().put("type", Author.AGENT).put("id", n.author().id()).put("name", n.author().name()))
                .put("text", n.text());
        if (n.clientMsgId() != null) {
            j.put("clientMsgId", n.clientMsgId());
        }
        return j;
    }

    /** The same for both sides: an invite holds nothing agent-only. */
    public static JsonObject invite(Invite i) {
        return new JsonObject()
                .put("id", i.id())
                .put("conversationId", i.conversationId())
                .put("kind", i.kind())
                .put("state", i.state().wire())
                .put("at", i.at());
    }

    public static JsonObject textBlock(TextBlock b) {
        return new JsonObject().put("id", b.id()).put("shortcut", b.shortcut()).put("title", b.title())
                .put("body", b.body()).put("teamId", b.teamId());
    }

    public static JsonObject ref(Ref r) {
        return new JsonObject().put("id", r.id()).put("name", r.name());
    }

    public static JsonObject agent(Agent a) {
        return new JsonObject()
                .put("id", a.id())
                .put("name", a.name())
                .put("email", a.email())
                .put("role", a.role().wire())
                .put("maxChats", a.maxChats())
                .put("teams", list(a.teams(), Views::ref));
    }

    /** Colleagues with presence and load, and teams with their online members: what a transfer dialog lists. */
    public static JsonObject directory(io.switchboard.service.DirectoryService.Directory d) {
        return new JsonObject()
                .put("agents", list(d.agents(), c -> new JsonObject()
                        .put("id", c.agent().id()).put("name", c.agent().name()).put("role", c.agent().role().wire())
                        .put("maxChats", c.agent().maxChats()).put("teams", list(c.agent().teams(), Views::ref))
                        .put("status", c.status().wire()).put("load", c.load())))
                .put("teams", list(d.teams(), t -> new JsonObject()
                        .put("id", t.team().id()).put("name", t.team().name()).put("routing", t.team().routing())
                        .put("online", t.online())));
    }

    public static JsonObject team(Team t) {
        return new JsonObject()
                .put("id", t.id())
                .put("name", t.name())
                .put("routing", t.routing())
                .put("members", list(t.members(), Views::ref));
    }

    public static JsonObject widget(Widget w) {
        return new JsonObject()
                .put("id", w.id())
                .put("key", w.key())
                .put("name", w.name())
                .put("teamId", w.teamId());
    }

    public static <T> JsonArray list(List<T> items, Function<T, JsonObject> view) {
        JsonArray a = new JsonArray();
        for (T t : items) {
            a.add(view.apply(t));
        }
        return a;
    }
}
