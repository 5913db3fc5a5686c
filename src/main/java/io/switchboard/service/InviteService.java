package io.switchboard.service;

import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Invite;
import io.switchboard.domain.InviteState;
import io.switchboard.domain.Permissions;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Visitor;
import io.switchboard.protocol.Frames;
import io.switchboard.protocol.Views;
import io.switchboard.store.pg.ConversationStore;
import io.switchboard.store.pg.InviteStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Invitations the customer must accept (co-browsing, call, video call, desktop request, screen share,
 * conference): the assignee (or an admin) invites, the customer accepts or declines, either side's
 * end closes an accepted one, and a pending one expires. Both sides get {@code invite.updated} on
 * every change; the customer gets {@code invite} when invited. Thread-safe.
 */
public final class InviteService {
    private final InviteStore invites;
    private final ConversationStore conversations;
    private final Fanout fanout;
    private final long ttlMillis;

    public InviteService(InviteStore invites, ConversationStore conversations, Fanout fanout, long ttlMillis) {
        this.invites = invites;
        this.conversations = conversations;
        this.fanout = fanout;
        this.ttlMillis = ttlMillis;
    }

    public Future<Invite> invite(Principal who, String conversationId, String kind) {
        Invite.checkKind(kind);
        return conversations.state(conversationId).compose(c -> {
            Permissions.checkCanSend(who, c);
            long now = System.currentTimeMillis();
            return invites.create(conversationId, kind, who.agentId(), now, now + ttlMillis).map(invite -> {
                fanout.publish(Delivery.to(Topics.visitor(c.visitorId()), Frames.event("invite",
                        new JsonObject().put("invite", Views.invite(invite)))));
                fanout.publish(Delivery.to(Topics.conversationAgents(c), updated(invite)));
                return invite;
            });
        });
    }

    /** The customer answers a pending invite of its own conversation; anything not pending is a {@code conflict}. */
    public Future<Invite> respond(Visitor v, String inviteId, boolean accept) {
        return find(inviteId).compose(i -> conversations.state(i.conversationId()).compose(c -> {
            Permissions.checkVisitorOwns(v.id(), c);
            return move(c, i, List.of(InviteState.PENDING), accept ? InviteState.ACCEPTED : InviteState.DECLINED);
        }));
    }

    /** The agent withdraws a pending invite or ends an accepted one. */
    public Future<Invite> end(Principal who, String inviteId) {
        return find(inviteId).compose(i -> conversations.state(i.conversationId()).compose(c -> {
            Permissions.checkCanSee(who, c);
            if (!who.isAdmin() && !who.agentId().equals(c.assigneeId())) {
                throw Failure.forbidden("only the assignee or an admin may end an invite");
            }
            return move(c, i, List.of(InviteState.PENDING, InviteState.ACCEPTED), InviteState.ENDED);
        }));
    }

    public Future<List<Invite>> of(String conversationId) {
        return invites.of(conversationId);
    }

    /** Ends pending invites past their time; run periodically on every node (each expires once). */
    public Future<Void> expireDue() {
        return invites.expireDue().compose(this::announceAll);
    }

    /** A resolved conversation's invites end with it. */
    public Future<Void> conversationDone(String conversationId) {
        return invites.endAll(conversationId).compose(this::announceAll);
    }

    private Future<Void> announceAll(List<Invite> changed) {
        List<Future<Void>> all = new ArrayList<>();
        for (Invite i : changed) {
            all.add(conversations.state(i.conversationId()).map(c -> {
                announce(c, i);
                return null;
            }));
        }
        return Future.join(all).mapEmpty();
    }

    private Future<Invite> move(ConversationState c, Invite i, List<InviteState> from, InviteState to) {
        return invites.move(i.id(), from, to).map(moved -> {
            Invite now = moved.orElseThrow(() -> Failure.conflict("the invite is no longer " + from.get(0).wire()));
            announce(c, now);
            return now;
        });
    }

    private void announce(ConversationState c, Invite i) {
        fanout.publish(Delivery.to(Topics.visitor(c.visitorId()), updated(i)));
        fanout.publish(Delivery.to(Topics.conversationAgents(c), updated(i)));
    }

    private static io.vertx.core.buffer.Buffer updated(Invite i) {
        return Frames.event("invite.updated", new JsonObject().put("invite", Views.invite(i)));
    }

    private Future<Invite> find(String inviteId) {
        return invites.byId(inviteId).map(i -> i.orElseThrow(() -> Failure.notFound("no such invite")));
    }
}
