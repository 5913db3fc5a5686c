package io.switchboard.service;

import io.switchboard.bus.Delivery;
import io.switchboard.bus.Fanout;
import io.switchboard.bus.Topics;
import io.switchboard.domain.Author;
import io.switchboard.domain.ConversationState;
import io.switchboard.domain.ConversationStatus;
import io.switchboard.domain.ConversationSummary;
import io.switchboard.domain.Failure;
import io.switchboard.domain.Message;
import io.switchboard.domain.MessageKind;
import io.switchboard.domain.Note;
import io.switchboard.domain.Permissions;
import io.switchboard.domain.Principal;
import io.switchboard.domain.Visitor;
import io.switchboard.protocol.Audience;
import io.switchboard.protocol.Frames;
import io.switchboard.store.pg.ConversationStore;
import io.switchboard.store.pg.Ids;
import io.switchboard.store.pg.MessageStore;
import io.switchboard.store.pg.MessageStore.Appended;
import io.switchboard.store.pg.MessageStore.Guard;
import io.switchboard.store.pg.NoteStore;
import io.switchboard.store.pg.AgentStore;
import io.switchboard.store.pg.ReadStore;
import io.switchboard.store.redis.PresenceStore;
import io.switchboard.domain.Pools;
import io.switchboard.protocol.Views;
import io.switchboard.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The use cases of a conversation: messages both ways, notes, claiming, status changes, reading.
 * Every command checks who is asking; every change is stored before anything is announced, and
 * announcements of one conversation leave in seq order (see {@link Lanes}).
 *
 * <p>Thread-safe and stateless apart from the lanes.
 */
public final class ConversationService {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationService.class);
    /** Messages in {@code conversation.open} and {@code history} when the client names no limit. */
    public static final int DEFAULT_PAGE = 100;
    private static final int INBOX_LIMIT = 200;
    private static final int NOTES_LIMIT = 500;
    /** How long a client may keep retrying a message whose conversation was resolved meanwhile. */
    private static final long RETRY_WINDOW_MS = 24 * 3600 * 1000L;

    private final ConversationStore conversations;
    private final MessageStore messages;
    private final NoteStore notes;
    private final Fanout fanout;
    private final Lanes lanes;
    private final RoutingService routing;
    private final Notices notices;
    private final PresenceStore presence;
    private final AgentStore agents;
    private final ReadStore reads;
    private final MessageContents contents;
    private final InviteService invites;
    private final Metrics metrics;

    public ConversationService(ConversationStore conversations, MessageStore messages, NoteStore notes, Fanout fanout,
                               Lanes lanes, RoutingService routing, Notices notices, PresenceStore presence,
                               AgentStore agents, ReadStore reads, CatalogService catalog, AttachmentService attachments,
                               InviteService invites, Metrics metrics) {
        this.metrics = metrics;
        this.reads = reads;
        this.invites = invites;
        this.contents = new MessageContents(catalog, attachments, conversations);
        this.conversations = conversations;
        this.messages = messages;
        this.notes = notes;
        this.fanout = fanout;
        this.lanes = lanes;
        this.routing = routing;
        this.notices = notices;
        this.presence = presence;
        this.agents = agents;
    }

    /** The agent's inbox as {@code hello} shows it. */
    public record Inbox(List<ConversationSummary> unassigned, List<ConversationSummary> mine) {
    }

    /** A customer's message as stored (or found again, for a retry). */
    public record CustomerAck(Message message, boolean duplicate) {
    }

    public Future<Inbox> inbox(Principal who) {
        return conversations.unassignedFor(who, INBOX_LIMIT)
                .compose(u -> conversations.assignedTo(who.agentId(), INBOX_LIMIT).map(m -> new Inbox(u, m)));
    }

    public Future<Optional<ConversationSummary>> currentOf(Visitor v) {
        return conversations.currentOf(v.id());
    }

    /**
     * Stores a customer's message in its current conversation ({@code knownConversationId}, when the
     * socket knows it), or opens a new one when the visitor has none that is not done.
     *
     * @param sessionId the sending socket, which gets the ack instead of the echo
     * @param earlier   the answer to the socket's message before this one: when the known conversation
     *                  is done, this one opens the next conversation only after that (which may have
     *                  opened it already), so the socket's messages keep their order there too. The
     *                  answer keeps it for as long as the answer is held: it must not hold the answers
     *                  before it in turn (CustomerSession passes {@code CustomerSession.settled})
     */
    public Future<CustomerAck> customerMessage(Visitor v, String knownConversationId, String sessionId, CustomerInput in,
                                               Future<?> earlier) {
        Author author = new Author(Author.CUSTOMER, v.id(), v.name());
        if (knownConversationId != null) {
            return appendCustomer(v, author, knownConversationId, null, sessionId, in)
                    .recover(t -> t instanceof MessageStore.Refused
                            ? earlier.transform(ignored -> openAndAppend(v, author, sessionId, in))
                            : Future.failedFuture(t));
        }
        return openAndAppend(v, author, sessionId, in);
    }

    /** What a customer sent: text, a file it uploaded, or a flow answer ({@code {"flowId","optionId"}}). */
    public record CustomerInput(String clientMsgId, String text, String attachmentId, Map<String, Object> payload) {
    }

    private Future<CustomerAck> openAndAppend(Visitor v, Author author, String sessionId, CustomerInput in) {
        // A retry whose conversation was resolved meanwhile must not open a new one with a copy: the
        // opening looks for a recent message with this clientMsgId first, in the same round trip.
        long now = System.currentTimeMillis();
        return open(v, author, sessionId, in, now - RETRY_WINDOW_MS, now);
    }

    /**
     * Opens the visitor's conversation with this message as its first, in one commit, or appends the
     * message to the conversation the visitor has meanwhile. A file is bound to its conversation when it
     * is sent, so for a file the conversation is opened first and the file appended after (someone
     * else's file is refused before anything is opened).
     */
    private Future<CustomerAck> open(Visitor v, Author author, String sessionId, CustomerInput in, Long since, long now) {
        String id = UUID.randomUUID().toString(); // chosen here, so that its lane can be held before it exists
        if (in.attachmentId() != null) {
            return contents.checkOwnFile(v, in.attachmentId())
                    .compose(x -> conversations.open(v.id(), id, in.clientMsgId(), since, now, null, null, null))
                    .transform(ar -> routing.opened(v.widgetId(), null, ar))
                    .compose(o -> afterOpen(v, author, sessionId, in, o, now));
        }
        // The new conversation's lane is held from before it exists: another tab's message to it, which
        // can only follow the commit, is then announced after this one. A message that goes elsewhere
        // (a retry, or the conversation the visitor has) takes that conversation's lane, never this one.
        return lanes.submit(id, () -> contents.forCustomer(v, id, in.text(), null, in.payload())
                .map(c -> new Message(Ids.newOrderedId().toString(), id, 1, now, in.clientMsgId(), author, c.kind(), c.text(),
                        null, c.payload()))
                .compose(first -> routing.reserveForNew(v.widgetId(), id)
                        .compose(slot -> conversations.open(v.id(), id, in.clientMsgId(), since, now, first,
                                        slot == null ? null : slot.agentId(), slot == null ? null : slot.pool())
                                .transform(ar -> routing.opened(v.widgetId(), slot, ar)))
                        .compose(o -> o.created()
                                ? Future.succeededFuture(announceCustomer(v, sessionId, new Appended(first, false, o.state()), o))
                                : afterOpen(v, author, sessionId, in, o, now))));
    }

    /** The message was not stored with a new conversation: it is a retry, or goes to the one the visitor has. */
    private Future<CustomerAck> afterOpen(Visitor v, Author author, String sessionId, CustomerInput in,
                                          ConversationStore.Opened o, long now) {
        if (o.earlier()) {
            return retryOrOpen(v, author, sessionId, in, now);
        }
        return appendCustomer(v, author, o.conversationId(), o.created() ? o : null, sessionId, in)
                .recover(t -> Future.failedFuture(t instanceof MessageStore.Refused
                        ? Failure.conflict("the conversation was closed meanwhile; send again") : t));
    }

    /**
     * A recent message has this clientMsgId: it is acked again if it is this one. clientMsgIds are unique
     * per conversation only (a widget may restart its counter), so it counts only when it says the same;
     * otherwise a conversation opens as for any first message.
     */
    private Future<CustomerAck> retryOrOpen(Visitor v, Author author, String sessionId, CustomerInput in, long now) {
        return messages.byVisitor(v.id(), in.clientMsgId()).compose(earlier -> earlier.isPresent() && isRetryOf(earlier.get(), in)
                ? Future.succeededFuture(new CustomerAck(earlier.get(), true))
                : open(v, author, sessionId, in, null, now));
    }

    /** Whether a stored message is this input sent again: the same words, file or flow answer, recently. */
    private static boolean isRetryOf(Message earlier, CustomerInput in) {
        boolean same;
        if (in.attachmentId() != null) {
            same = earlier.attachment() != null && earlier.attachment().id().equals(in.attachmentId());
        } else if (in.payload() != null) {
            same = earlier.payload() != null && Objects.equals(earlier.payload().get("flowId"), in.payload().get("flowId"))
                    && Objects.equals(earlier.payload().get("optionId"), in.payload().get("optionId"));
        } else {
            same = Objects.equals(earlier.text(), in.text());
        }
        return same && System.currentTimeMillis() - earlier.at() < RETRY_WINDOW_MS;
    }

    /** @param created the opening that created the conversation just now, or null */
    private Future<CustomerAck> appendCustomer(Visitor v, Author author, String conversationId, ConversationStore.Opened created,
                                               String sessionId, CustomerInput in) {
        return lanes.pipeline(conversationId, () -> contents.forCustomer(v, conversationId, in.text(), in.attachmentId(), in.payload())
                        .map(content -> messages.append(conversationId, new Guard.Visitor(v.id()), author, content.kind(),
                                content.text(), content.attachment(), content.payload(), in.clientMsgId(), System.currentTimeMillis())),
                a -> a.duplicate() ? new CustomerAck(a.message(), true) : announceCustomer(v, sessionId, a, created));
    }

    /**
     * Announces a customer's new message (inside its conversation's lane): to the visitor's other
     * sockets, and to the conversation's agents; a new conversation's first message instead reaches
     * its agent with the conversation: at once when the opening assigned it, otherwise once it is
     * routed (after the ack's lane step).
     *
     * @param created the opening that created the conversation just now, or null
     */
    private CustomerAck announceCustomer(Visitor v, String sessionId, Appended a, ConversationStore.Opened created) {
        metrics.messageReceived(a.message().kind().wire(), Metrics.FROM_CUSTOMER);
        fanout.publish(Delivery.lazy(Topics.visitor(v.id()), () -> Frames.message(a.message(), Audience.CUSTOMER))
                .except(sessionId));
        if (created == null) {
            fanout.publish(Delivery.lazy(Topics.conversationAgents(a.conversation()),
                    () -> Frames.message(a.message(), Audience.AGENT))
                    .metered(a.message().kind().wire(), Metrics.FROM_CUSTOMER, a.message().at()));
        } else if (created.assignedToo()) {
            // As the lane's next work: after the ack (a widget files what follows under the conversation its
            // ack names, and a lane's caller hears before its next work runs), and before any later
            // message of the conversation is announced (its agent hears of the conversation first).
            ConversationSummary assigned = created.assigned().summary();
            lanes.submit(a.message().conversationId(), () -> {
                routing.announceAssigned(assigned);
                return Future.succeededFuture();
            });
        } else {
            routing.waitingNew(a.conversation(), created.arrival(), a.message())
                    .onFailure(t -> LOG.error("routing conversation {} failed: {}", a.message().conversationId(), t.toString()));
        }
        return new CustomerAck(a.message(), false);
    }

    /** An agent's message to the customer: only the assignee or an admin, while the conversation is not done. */
    public Future<Appended> agentMessage(Principal who, String sessionId, String conversationId, String clientMsgId,
                                         String kind, String text, String attachmentId, Map<String, Object> payload) {
        Author author = new Author(Author.AGENT, who.agentId(), who.name());
        return lanes.pipeline(conversationId, () -> contents.forAgent(who, conversationId, kind, text, attachmentId, payload)
                        .map(content -> messages.append(conversationId,
                                        new Guard.Agent(who.agentId(), who.workspaceId(), who.isAdmin()), author, content.kind(),
                                        content.text(), content.attachment(), content.payload(), clientMsgId, System.currentTimeMillis())
                                .recover(t -> t instanceof MessageStore.Refused
                                        ? conversations.state(conversationId).map(s -> {
                                            Permissions.checkCanSend(who, s);
                                            throw Failure.conflict("the conversation changed meanwhile; send again");
                                        })
                                        : Future.failedFuture(t))),
                a -> {
                    if (!a.duplicate()) {
                        metrics.messageReceived(a.message().kind().wire(), Metrics.FROM_AGENT);
                        fanout.publish(Delivery.lazy(Topics.visitor(a.conversation().visitorId()),
                                () -> Frames.message(a.message(), Audience.CUSTOMER))
                                .metered(a.message().kind().wire(), Metrics.FROM_AGENT, a.message().at()));
                        fanout.publish(Delivery.lazy(Topics.conversationAgents(a.conversation()),
                                () -> Frames.message(a.message(), Audience.AGENT)).except(sessionId));
                    }
                    return a;
                });
    }

    /** An internal note: stored apart, sent to the agents who may see the conversation, never to a customer. */
    public Future<NoteStore.Added> note(Principal who, String sessionId, String conversationId, String clientMsgId, String text) {
        return notes.add(who, conversationId, text, clientMsgId, System.currentTimeMillis())
                .compose(added -> added.isPresent()
                        ? Future.succeededFuture(added.get())
                        : conversations.state(conversationId).map(s -> {
                            Permissions.checkCanSee(who, s);
                            throw Failure.conflict("the conversation changed meanwhile; try again");
                        }))
                .compose(added -> added.duplicate()
                        ? Future.succeededFuture(added)
                        : conversations.state(conversationId).map(s -> {
                            fanout.publish(Delivery.to(Topics.conversationAgents(s), Frames.note(added.note())).except(sessionId));
                            return added;
                        }));
    }

    /** "Assign to me". Exactly one of several concurrent claims wins; the others get {@code conflict}. */
    public Future<ConversationSummary> claim(Principal who, String conversationId) {
        return lanes.submit(conversationId, () -> conversations.claim(who, conversationId)
                        .compose(change -> conversations.summary(conversationId).map(summary -> {
                            if (change.changed()) {
                                routing.announceAssigned(summary);
                            }
                            return new HolderChange(summary, change.changed() ? change.before() : null);
                        })))
                .compose(c -> c.before() == null ? Future.succeededFuture(c.summary())
                        : routing.taken(c.summary()).otherwiseEmpty().map(c.summary()));
    }

    /**
     * A conversation's new holder as announced, and its state before ({@code null}: nothing changed).
     * The change and its announcement are one job of the conversation's lane: a message stored after
     * the change is announced after it, so its new agent hears of the conversation before any of its
     * messages (the rest of the work, which may post a system message to the same lane, follows it).
     */
    private record HolderChange(ConversationSummary summary, ConversationState before) {
    }

    /** Moves the conversation to a status ("done" resolves it); the customer is told, capacity and queues follow. */
    public Future<ConversationSummary> changeStatus(Principal who, String conversationId, ConversationStatus target) {
        return conversations.changeStatus(who, conversationId, target).compose(change -> conversations.summary(conversationId)
                .compose(summary -> {
                    if (!change.changed()) {
                        return Future.succeededFuture(summary);
                    }
                    ConversationState s = summary.state();
                    fanout.publish(Delivery.to(Topics.conversationAgents(s),
                            Frames.conversationEvent("conversation.status", summary)));
                    fanout.publish(Delivery.to(Topics.visitor(s.visitorId()),
                            Frames.customerStatus(conversationId, target.wire())));
                    return statusRouting(change.before(), summary).otherwiseEmpty().map(summary);
                }));
    }

    /** What a status change means for capacity and queues. */
    private Future<Void> statusRouting(ConversationState before, ConversationSummary after) {
        boolean wasDone = before.status() == ConversationStatus.DONE;
        boolean isDone = after.status() == ConversationStatus.DONE;
        if (!wasDone && isDone) {
            invites.conversationDone(before.id()).onFailure(t -> LOG.warn("ending invites of {}: {}", before.id(), t.toString()));
            return before.assigneeId() == null
                    ? routing.leftQueue(before.workspaceId(), before.teamId(), before.id())
                    : releaseFrom(before.assigneeId());
        }
        if (wasDone && !isDone) {
            return after.assignee() == null ? routing.waiting(after, after.lastMessage(), null) : routing.took(after.assignee().id());
        }
        return Future.succeededFuture();
    }

    /** A conversation left this agent: its slot frees and the pools it serves are drained. */
    private Future<Void> releaseFrom(String agentId) {
        return agents.byId(agentId).compose(a -> routing.released(agentId,
                a.map(x -> Pools.of(x.principal())).orElse(List.of())));
    }

    /**
     * Transfers a conversation to an agent (who then holds it) or to a team (where it waits,
     * unassigned, and is routed by the team's policy). The comment is for agents only; the customer
     * gets a system message. An agent who is not online or is at capacity is refused unless {@code force}.
     */
    public Future<ConversationSummary> transfer(Principal who, String conversationId, String toAgentId, String toTeamId,
                                                String comment, boolean force) {
        if ((toAgentId == null) == (toTeamId == null)) {
            return Future.failedFuture(Failure.badRequest("give exactly one of toAgentId and toTeamId"));
        }
        JsonObject from = new JsonObject().put("id", who.agentId()).put("name", who.name());
        JsonObject transfer = new JsonObject().put("from", from);
        if (comment != null && !comment.isBlank()) {
            transfer.put("comment", comment);
        }
        if (toAgentId != null) {
            // Who may transfer is settled first (Postgres checks it again under a lock).
            Future<Void> online = conversations.state(conversationId).map(s -> {
                Permissions.checkCanTransfer(who, s);
                return (Void) null;
            }).compose(v -> agents.byId(toAgentId)).compose(target -> {
                if (target.isEmpty() || !target.get().workspaceId().equals(who.workspaceId())) {
                    throw Failure.notFound("no such agent");
                }
                return Future.<Void>succeededFuture();
            }).compose(v -> force ? Future.succeededFuture() : presence.presentStatus(toAgentId).compose(st ->
                    "online".equals(st) ? Future.succeededFuture()
                            : Future.failedFuture(Failure.conflict("that agent is not online; use force to transfer anyway"))));
            return online
                    .compose(v -> lanes.submit(conversationId, () -> conversations.transferToAgent(who, conversationId, toAgentId,
                                    comment, force)
                            .compose(t -> conversations.summary(conversationId).map(summary -> {
                                fanout.publish(Delivery.to(Topics.agent(toAgentId), Frames.event("conversation.transferred",
                                        transfer.copy().put("conversation", Views.summary(summary, Audience.AGENT)))));
                                List<String> audience = new java.util.ArrayList<>(Topics.conversationAgents(t.before()));
                                audience.addAll(Topics.conversationAgents(summary.state()));
                                fanout.publish(Delivery.to(audience, Frames.conversationEvent("conversation.assigned", summary)));
                                fanout.publish(Delivery.to(Topics.visitor(summary.visitor().id()),
                                        Frames.agentJoined(summary.assignee().name())));
                                return new HolderChange(summary, t.before());
                            }))))
                    .compose(c -> notices.post(c.summary().state(), "You are being transferred to " + c.summary().assignee().name() + ".")
                            .otherwiseEmpty()
                            .compose(m -> afterTransfer(c.before()))
                            .compose(v -> routing.took(toAgentId))
                            .otherwiseEmpty()
                            .map(c.summary()));
        }
        return conversations.transferToTeam(who, conversationId, toTeamId, comment)
                .compose(t -> conversations.summary(conversationId).compose(summary -> {
                    fanout.publish(Delivery.to(Topics.conversationAgents(t.before()), Frames.event("conversation.transferred",
                            transfer.copy().put("conversation", Views.summary(summary, Audience.AGENT)))));
                    return notices.post(summary.state(), "You are being transferred to the " + summary.team().name() + " team.")
                            .otherwiseEmpty()
                            .compose(m -> afterTransfer(t.before())
                                    .compose(v -> conversations.summary(conversationId))
                                    .compose(now -> routing.waiting(now, m != null ? m : now.lastMessage(), transfer)))
                            .otherwiseEmpty()
                            .compose(v -> conversations.summary(conversationId));
                }));
    }

    /** A transferred conversation left its previous holder or queue. */
    private Future<Void> afterTransfer(ConversationState before) {
        return before.assigneeId() != null ? releaseFrom(before.assigneeId())
                : routing.leftQueue(before.workspaceId(), before.teamId(), before.id());
    }

    /** What {@code conversation.open} shows an agent: the summary, the messages, the notes, the invites. */
    public record Opened(ConversationSummary conversation, List<Message> messages, List<Note> notes,
                         List<io.switchboard.domain.Invite> invites) {
    }

    public Future<Opened> open(Principal who, String conversationId, Long afterSeq, Integer limit) {
        return conversations.state(conversationId).compose(s -> {
            Permissions.checkCanSee(who, s);
            int n = limit == null ? DEFAULT_PAGE : limit;
            Future<List<Message>> page = afterSeq == null
                    ? messages.latest(conversationId, n) : messages.after(conversationId, afterSeq, n);
            return conversations.summary(conversationId).compose(summary -> page
                    .compose(ms -> notes.of(conversationId, NOTES_LIMIT)
                            .compose(ns -> invites.of(conversationId).map(is -> new Opened(summary, ms, ns, is)))));
        });
    }

    /** A page of messages for an agent who may see the conversation. */
    public Future<List<Message>> messagesFor(Principal who, String conversationId, long afterSeq, int limit) {
        return conversations.state(conversationId).compose(s -> {
            Permissions.checkCanSee(who, s);
            return messages.after(conversationId, afterSeq, limit);
        });
    }

    public Future<List<Note>> notesFor(Principal who, String conversationId) {
        return conversations.state(conversationId).compose(s -> {
            Permissions.checkCanSee(who, s);
            return notes.of(conversationId, NOTES_LIMIT);
        });
    }

    /** A page of messages for the visitor who owns the conversation; anyone else gets {@code not_found}. */
    public Future<List<Message>> messagesForVisitor(String visitorId, String conversationId, long afterSeq, int limit) {
        return messages.afterForVisitor(visitorId, conversationId, afterSeq, limit);
    }

    public Future<ConversationState> state(String conversationId) {
        return conversations.state(conversationId);
    }

    public Future<List<ConversationSummary>> list(Principal who, ConversationStatus status, String assigneeId,
                                                  String teamId, Long before, int limit) {
        return conversations.list(who, status, assigneeId, teamId, before, limit);
    }

    /** The customer has read its conversation up to {@code seq}: stored, and the agents are told ("seen"). */
    public Future<Void> customerRead(Visitor v, String conversationId, long seq) {
        return conversations.state(conversationId).compose(c -> {
            Permissions.checkVisitorOwns(v.id(), c);
            return reads.mark(conversationId, Author.CUSTOMER, v.id(), seq).map(mark -> {
                mark.ifPresent(m -> fanout.publish(Delivery.to(Topics.conversationAgents(c), Frames.event("read",
                        new JsonObject().put("conversationId", conversationId).put("seq", m)
                                .put("who", new JsonObject().put("type", Author.CUSTOMER).put("name", v.name()))))));
                return null;
            });
        });
    }

    /** An agent has read the conversation up to {@code seq}: stored, other agents told, and the customer when it is the assignee's. */
    public Future<Void> agentRead(Principal who, String sessionId, String conversationId, long seq) {
        return conversations.state(conversationId).compose(c -> {
            Permissions.checkCanSee(who, c);
            return reads.mark(conversationId, Author.AGENT, who.agentId(), seq).map(mark -> {
                mark.ifPresent(m -> {
                    fanout.publish(Delivery.to(Topics.conversationAgents(c), Frames.event("read", new JsonObject()
                                    .put("conversationId", conversationId).put("seq", m)
                                    .put("who", new JsonObject().put("type", Author.AGENT).put("id", who.agentId()).put("name", who.name()))))
                            .except(sessionId));
                    if (who.isAdmin() || who.agentId().equals(c.assigneeId())) {
                        fanout.publish(Delivery.to(Topics.visitor(c.visitorId()), Frames.event("read", new JsonObject().put("seq", m))));
                    }
                });
                return null;
            });
        });
    }

    /** Relays typing to the other side of the conversation; never stored. */
    public void relayCustomerTyping(ConversationState c, Visitor v, String sessionId, boolean on) {
        JsonObject who = new JsonObject().put("type", Author.CUSTOMER).put("name", v.name());
        fanout.publish(Delivery.to(Topics.conversationAgents(c), Frames.event("typing",
                new JsonObject().put("conversationId", c.id()).put("who", who).put("on", on))));
    }

    public Future<Void> relayAgentTyping(Principal who, String sessionId, String conversationId, boolean on) {
        return conversations.state(conversationId).map(s -> {
            Permissions.checkCanSee(who, s);
            fanout.publish(Delivery.to(Topics.conversationAgents(s), Frames.event("typing", new JsonObject()
                            .put("conversationId", conversationId)
                            .put("who", new JsonObject().put("type", Author.AGENT).put("id", who.agentId()).put("name", who.name()))
                            .put("on", on)))
                    .except(sessionId));
            if (who.isAdmin() || who.agentId().equals(s.assigneeId())) {
                fanout.publish(Delivery.to(Topics.visitor(s.visitorId()), Frames.event("typing",
                        new JsonObject().put("on", on).put("who", new JsonObject().put("name", who.name())))));
            }
            return null;
        });
    }

}
