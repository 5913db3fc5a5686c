package io.switchboard.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * In a cluster: which other nodes hold sockets on which topics, so that a delivery goes to those
 * nodes only (DESIGN.md: the engine records which nodes hold a conversation's participants). Each
 * node tells the others when its first socket on a topic opens (a join) and when its last one
 * closes (a leave), in rounds that each peer answers. To a node it meets (at start, every member;
 * later, one that joins or writes first) it sends every topic it holds, whole: a sync.
 *
 * <p>Why a join waits for every other node's answer ({@link #hold}): a socket must not read what it
 * missed (a customer's current conversation, an agent's inbox) before every node that might publish
 * to it knows where it is. A node that published before it learned of the join published before it
 * answered, so after the message's commit and before the socket's read: the read has it. A node that
 * learned first sends it. Nothing falls between the two; see {@code ClusterIT}.
 *
 * <p>Why an answer names the joined topics that the answering node holds too: that node's own join
 * of one may still be queued behind a slow round, or on its way. A brand-new visitor is greeted
 * before its join is answered (it has nothing to miss); if it opens a second tab on another node
 * meanwhile, that node would not know of the first tab, and the first tab would miss the live echo
 * of what the second sends. The answer tells it before the second tab is greeted. It is sent on the
 * home context, as every later leave of the topic is, and both travel to the peer one after the
 * other: a leave never overtakes it.
 *
 * <p>A peer that does not answer in time may have lost a change: it is <em>late</em>, and is sent
 * syncs instead of changes, one at a time (a failed one again a second later) and not waited for,
 * until one is answered. So a dead or stalled node costs one round its timeout, not every round
 * until the cluster manager drops it; a join that it has not acknowledged is the one case where a
 * socket may miss a live delivery from it (never a stored message: the socket's next read has it).
 * A node that writes to one that does not know it is asked for a sync (a node forgotten while
 * alive, say after a network split). A member with no directory yet (it is starting) is tried again
 * each second, not forgotten, and not waited for.
 *
 * <p>Its own topics and its peers live on one context ({@code home}), so joins and leaves leave in
 * the order they happened; the other nodes' topics are read by publishers on any thread.
 */
final class Directory {
    private static final Logger LOG = LoggerFactory.getLogger(Directory.class);
    /**
     * The version of these messages: 2 since syncs replaced the hello (messages of version 1 carry
     * none; version 1 answers changes, and takes syncs but does not answer them); 3 since the answer
     * to changes names the joined topics that the answering node holds too (version 2 names none,
     * and reads past them). Nodes of different versions still answer each other, and say so in their
     * logs.
     */
    private static final int VERSION = 3;
    /** How long a failed sync waits before it is tried again. */
    private static final long RETRY_MS = 1_000;
    /** How long a stopping node waits for its byes to be answered (they are a courtesy: the cluster manager tells too). */
    private static final long BYE_MS = 1_000;
    private static final char JOIN = '+';
    private static final char LEAVE = '-';

    private final Vertx vertx;
    private final Members members;
    private final String self;
    private final long answerMs;
    private final Runnable onUnanswered;
    private final Consumer<String> onLost;
    private final DeliveryOptions answerWithin;
    /** Topics with a socket on this node, and how many (home only). */
    private final Map<String, Integer> own = new HashMap<>();
    /** This node's joins still waiting for answers, by topic: a second socket on the topic waits too (home only). */
    private final Map<String, Future<Void>> joining = new HashMap<>();
    /** The other nodes (home only). */
    private final Set<String> peers = new HashSet<>();
    /** Peers whose topics this node has received whole (home only): a starting node waits for every member's. */
    private final Set<String> heard = new HashSet<>();
    /** Peers that did not answer in time: sent syncs, not changes, until one is answered (home only). */
    private final Set<String> late = new HashSet<>();
    /** Peers with a sync in flight (home only). */
    private final Set<String> syncing = new HashSet<>();
    /** Peers whose sync failed, and the timer that tries it again {@value #RETRY_MS} ms later (home only). */
    private final Map<String, Long> retrying = new HashMap<>();
    /** Peers to sync again once the sync in flight is answered: their topics changed meanwhile (home only). */
    private final Set<String> resync = new HashSet<>();
    /** Nodes of another version this node has logged (home only). */
    private final Set<String> warnedOf = new HashSet<>();
    /** Nodes of version 1, which take syncs but do not answer them: sent, not asked (home only). */
    private final Set<String> versionOne = new HashSet<>();
    /** Members with no directory (starting, or lost their consumer), and how many syncs to each failed so (home only). */
    private final Map<String, Integer> absentTries = new HashMap<>();
    /** The topics other nodes hold, and which nodes (immutable sets): read by publishers on any thread. */
    private final Map<String, Set<String>> remote = new ConcurrentHashMap<>();
    /** Changes not yet sent, in order: '+' or '-' and the topic (home only). */
    private List<String> queued = new ArrayList<>();
    /** The round in flight's wait on each peer: a peer forgotten meanwhile is not waited for (home only). */
    private final Map<String, Promise<Void>> awaited = new HashMap<>();
    /** Completes when the round carrying {@link #queued} has been answered (home only). */
    private Promise<Void> nextRound;
    private boolean inFlight;
    /** Said bye: sends nothing more (home only). */
    private boolean stopped;
    private Context home;

    /**
     * @param answerMs     how long an answer may take: a starting node's wait for the others' topics,
     *                     and each peer's in a round ({@code cluster.answerMillis})
     * @param onUnanswered called each time a peer did not answer in time (a meter)
     * @param onLost       called (on the home context) with a peer this node had heard from (it had a
     *                     directory, so it served) that left without saying bye: killed, or cut off.
     *                     What it stored and acked in its last moments may never have been passed on
     *                     to this node's sockets (see {@link #forget})
     */
    Directory(Vertx vertx, Members members, long answerMs, Runnable onUnanswered, Consumer<String> onLost) {
        this.vertx = vertx;
        this.members = members;
        this.self = members.self();
        this.answerMs = answerMs;
        this.onUnanswered = onUnanswered;
        this.onLost = onLost;
        this.answerWithin = new DeliveryOptions().setSendTimeout(answerMs);
    }

    private JsonObject message(String op) {
        return new JsonObject().put("op", op).put("v", VERSION).put("node", self);
    }

    private static String inbox(String node) {
        return "sb.dir." + node;
    }

    /**
     * Registers this node's consumer, syncs to every other member and waits (at most the answer
     * time) for each one's topics, or to find it has no consumer yet (it has no sockets either):
     * until then this node does not know whom to publish to.
     */
    Future<Void> start() {
        home = vertx.getOrCreateContext();
        Promise<Void> started = Promise.promise();
        home.runOnContext(v -> vertx.eventBus().<JsonObject>consumer(inbox(self), this::received).completion()
                .onSuccess(x -> {
                    members.listen(new NodeListener() {
                        @Override
                        public void nodeAdded(String node) {
                            home.runOnContext(y -> met(node));
                        }

                        @Override
                        public void nodeLeft(String node) {
                            home.runOnContext(y -> forget(node, false));
                        }
                    });
                    try {
                        members.all().forEach(this::met);
                    } catch (RuntimeException e) {
                        started.fail(e);
                        return;
                    }
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerMs);
                    vertx.setPeriodic(20, id -> {
                        if (peers.stream().allMatch(p -> heard.contains(p) || late.contains(p))
                                || System.nanoTime() - deadline > 0) {
                            vertx.cancelTimer(id);
                            LOG.info("cluster directory: {} other node(s), {} topics held there", peers.size(), remote.size());
                            started.complete();
                        }
                    });
                })
                .onFailure(started::fail));
        return started.future();
    }

    /**
     * Tells the other nodes that this one leaves: they forget its topics at once, and hear no more
     * from it. Completes once each has answered (or {@value #BYE_MS} ms passed): call it once this
     * node's sockets are closed, and before its event bus closes.
     */
    Future<Void> stop() {
        Promise<Void> said = Promise.promise();
        home.runOnContext(v -> {
            stopped = true;
            queued.clear();
            if (nextRound != null) {
                nextRound.complete();
                nextRound = null;
            }
            JsonObject bye = message("bye");
            DeliveryOptions within = new DeliveryOptions().setSendTimeout(Math.min(answerMs, BYE_MS));
            List<Future<?>> answers = new ArrayList<>();
            for (String p : peers) {
                if (versionOne.contains(p)) {
                    vertx.eventBus().send(inbox(p), bye);
                } else {
                    answers.add(vertx.eventBus().request(inbox(p), bye, within));
                }
            }
            Future.join(answers).onComplete(ar -> said.complete());
        });
        return said.future();
    }

    /**
     * A socket of this node listens to {@code topics} from now on. Completes (on the caller's context)
     * once every other node knows, so that what the socket reads next misses nothing published to it.
     */
    Future<Void> hold(List<String> topics) {
        Context caller = vertx.getOrCreateContext();
        Promise<Void> known = Promise.promise();
        home.runOnContext(v -> {
            List<String> fresh = new ArrayList<>();
            List<Future<Void>> waits = new ArrayList<>();
            for (String t : topics) {
                if (own.merge(t, 1, Integer::sum) == 1) {
                    fresh.add(t);
                } else if (joining.containsKey(t)) {
                    waits.add(joining.get(t));
                }
            }
            if (!fresh.isEmpty()) {
                Future<Void> told = tell(JOIN, fresh);
                fresh.forEach(t -> joining.put(t, told));
                told.onComplete(ar -> fresh.forEach(t -> joining.remove(t, told)));
                waits.add(told);
            }
            Future.join(waits).onComplete(ar -> caller.runOnContext(x -> known.complete()));
        });
        return known.future();
    }

    /** A socket that listened to {@code topics} closed (or listens to others now). */
    void release(List<String> topics) {
        home.runOnContext(v -> {
            List<String> gone = new ArrayList<>();
            for (String t : topics) {
                Integer n = own.get(t);
                if (n == null) {
                    continue;
                }
                if (n == 1) {
                    own.remove(t);
                    gone.add(t);
                } else {
                    own.put(t, n - 1);
                }
            }
            if (!gone.isEmpty()) {
                tell(LEAVE, gone);
            }
        });
    }

    /**
     * The other nodes holding a socket on any of {@code topics}. Called for every delivery: when one
     * topic's nodes cover them all (the usual case) that topic's own immutable set is returned, and
     * nothing is allocated.
     */
    Set<String> nodesFor(Collection<String> topics) {
        Set<String> out = Set.of();
        boolean merged = false;
        for (String t : topics) {
            Set<String> nodes = remote.get(t);
            if (nodes == null || out.containsAll(nodes)) {
                continue;
            }
            if (out.isEmpty()) {
                out = nodes;
            } else {
                if (!merged) {
                    out = new HashSet<>(out);
                    merged = true;
                }
                out.addAll(nodes);
            }
        }
        return out;
    }

    /** How many topics other nodes hold, as this node knows (a gauge). */
    int remoteTopics() {
        return remote.size();
    }

    /**
     * Queues changes for the next round; completes when every peer has answered it (or is gone, or
     * timed out). One round is in flight at a time and carries every change queued meanwhile, in
     * order: a burst of connects costs each peer a few messages, not one per socket, and a topic's
     * leave never overtakes its join.
     */
    private Future<Void> tell(char op, List<String> topics) {
        if (stopped) {
            return Future.succeededFuture();
        }
        topics.forEach(t -> queued.add(op + t));
        if (nextRound == null) {
            nextRound = Promise.promise();
        }
        Future<Void> told = nextRound.future();
        if (!inFlight) {
            sendRound();
        }
        return told;
    }

    private void sendRound() {
        if (queued.isEmpty()) {
            return;
        }
        JsonObject changes = message("changes").put("changes", new JsonArray(queued));
        queued = new ArrayList<>();
        Promise<Void> round = nextRound;
        nextRound = null;
        inFlight = true;
        List<Future<?>> answers = new ArrayList<>(peers.size());
        for (String p : List.copyOf(peers)) {
            if (late.contains(p)) {
                sync(p);
                continue;
            }
            Promise<Void> waited = Promise.promise();
            awaited.put(p, waited);
            answers.add(waited.future());
            vertx.eventBus().<JsonObject>request(inbox(p), changes, answerWithin).onComplete(ar -> {
                awaited.remove(p, waited);
                if (ar.failed()) {
                    unanswered(p, ar.cause());
                } else if (ar.result().body() != null) {
                    answered(p, ar.result().body());
                }
                waited.tryComplete();
            });
        }
        Future.join(answers).onComplete(ar -> {
            inFlight = false;
            round.complete();
            sendRound();
        });
    }

    /** A peer's answer to a round: the topics of its joins that it holds too, and whether it wants a sync. */
    private void answered(String peer, JsonObject answer) {
        if (!peers.contains(peer)) {
            return; // forgotten meanwhile: what it held is gone with it
        }
        for (Object t : answer.getJsonArray("holds", new JsonArray())) {
            add((String) t, peer);
        }
        if (answer.getBoolean("sync", false)) {
            sync(peer);
        }
    }

    private void received(Message<JsonObject> m) {
        JsonObject body = m.body();
        String from = body == null ? null : body.getString("node");
        String op = from == null ? null : body.getString("op");
        if (op == null || from.equals(self)) {
            LOG.warn("malformed cluster directory message: {}", body);
            m.fail(400, "a directory message names its node and op");
            return;
        }
        if (stopped) {
            m.reply(null);
            return;
        }
        int version = body.getInteger("v", 1);
        if (version != VERSION && warnedOf.add(from)) {
            LOG.error("node {} speaks version {} of the cluster directory, this node {}: live events between them may be"
                    + " late or lost until every node runs the same release", from, version, VERSION);
        }
        if (version == 1) {
            versionOne.add(from);
        }
        switch (op) {
            case "changes" -> {
                boolean known = heard.contains(from);
                List<String> heldHere = new ArrayList<>();
                for (Object o : body.getJsonArray("changes", new JsonArray())) {
                    String change = (String) o;
                    String topic = change.substring(1);
                    if (change.charAt(0) == JOIN) {
                        add(topic, from);
                        if (own.containsKey(topic)) {
                            heldHere.add(topic);
                        }
                    } else {
                        drop(topic, from);
                    }
                }
                met(from);
                JsonObject answer = new JsonObject();
                // Changes from a node whose topics this one does not have (it forgot that node): ask for them all.
                if (!known) {
                    answer.put("sync", true);
                }
                // This node's own join of these topics may still be on its way (see the class comment).
                if (!heldHere.isEmpty()) {
                    answer.put("holds", new JsonArray(heldHere));
                }
                m.reply(answer.isEmpty() ? null : answer);
            }
            case "topics" -> {
                replace(from, body.getJsonArray("topics", new JsonArray()).getList());
                heard.add(from);
                // A node that forgot this one (a split, say) and met it again wants its topics too.
                if (!met(from) && body.getBoolean("want", false)) {
                    syncNow(from);
                }
                m.reply(null);
            }
            case "bye" -> {
                forget(from, true);
                m.reply(null);
            }
            default -> {
                LOG.warn("unknown directory message from {}: {}", from, op);
                m.fail(400, "unknown op " + op);
            }
        }
    }

    /**
     * A node this one had not heard of: from now on it hears of this node's joins, and gets what
     * this node holds. Whether it was new.
     */
    private boolean met(String node) {
        if (node == null || node.equals(self) || stopped || !peers.add(node)) {
            return false;
        }
        sync(node);
        return true;
    }

    /**
     * Sends a peer every topic this node holds, once at a time per peer (a sync asked for while one is
     * in flight follows it; one asked for while a failed one waits to be tried again is that one).
     * Answered, a late peer is sent changes again.
     */
    private void sync(String node) {
        if (stopped || !peers.contains(node) || retrying.containsKey(node)) {
            return;
        }
        if (versionOne.contains(node)) {
            vertx.eventBus().send(inbox(node), topicsFor(node));
            late.remove(node);
            return;
        }
        if (!syncing.add(node)) {
            resync.add(node);
            return;
        }
        vertx.eventBus().request(inbox(node), topicsFor(node), answerWithin).onComplete(ar -> {
            syncing.remove(node);
            boolean again = resync.remove(node);
            if (ar.failed() && !versionOne.contains(node)) {
                unanswered(node, ar.cause());
            } else {
                late.remove(node);
                absentTries.remove(node);
                if (again) {
                    sync(node);
                }
            }
        });
    }

    /** A sync to {@code node} now, not when a failed one would be tried again: it has just written, so it is there. */
    private void syncNow(String node) {
        Long retry = retrying.remove(node);
        if (retry != null) {
            vertx.cancelTimer(retry);
        }
        sync(node);
    }

    /** Every topic this node holds, and whether it wants the peer's back: it has not got them (it forgot the peer, or never met it). */
    private JsonObject topicsFor(String node) {
        return message("topics").put("want", !heard.contains(node)).put("topics", new JsonArray(new ArrayList<>(own.keySet())));
    }

    /**
     * A peer did not answer. Not a member any more: forgotten. A member with no directory (starting,
     * or its consumer lost): tried again, not counted. Else it may have lost a change: late, counted,
     * and synced again.
     */
    private void unanswered(String node, Throwable t) {
        if (!peers.contains(node)) {
            return;
        }
        if (t instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
            if (!members.all().contains(node)) {
                forget(node, false);
                return;
            }
            // A starting member is absent for a moment; one absent for the answer time is worth a word, once.
            if (absentTries.merge(node, 1, Integer::sum) == Math.max(1, answerMs / RETRY_MS)) {
                LOG.warn("node {} is a cluster member with no directory for {} ms: trying each {} ms", node, answerMs, RETRY_MS);
            }
        } else {
            onUnanswered.run();
            if (!late.contains(node)) {
                LOG.warn("node {} did not answer the cluster directory ({}): sending it every topic, each {} ms until it answers",
                        node, t.toString(), RETRY_MS);
            }
        }
        late.add(node);
        // Not at once: a dead node's refused connection fails as fast as it is tried.
        retrying.computeIfAbsent(node, n -> vertx.setTimer(RETRY_MS, id -> {
            retrying.remove(n);
            sync(n);
        }));
    }

    /**
     * A node that is gone (it said so, the cluster manager says so, or it has no consumer): nothing
     * goes there any more. One that had a directory (it served) and did not say bye is lost: a
     * stopping node says bye only once its sockets are closed and its deliveries sent, but a killed
     * one may have acked a message (stored it) and died before passing its event on. {@link #onLost} hears of it once its
     * topics are gone here.
     */
    private void forget(String node, boolean saidBye) {
        if (peers.remove(node)) {
            // A member the cluster manager announced before its directory listened was never heard: not news.
            boolean served = heard.remove(node);
            if (served) {
                LOG.info("node {} left the cluster directory{}", node, saidBye ? "" : " without a bye: lost");
            }
            late.remove(node);
            resync.remove(node);
            absentTries.remove(node);
            replace(node, List.of());
            if (served && !saidBye && !stopped) {
                onLost.accept(node);
            }
        }
        // A node killed with a round in flight never answers it: without this, every socket opened
        // on this node until the answer time (5 s) waited for its hello. Last: ending the round sends
        // the next one, which must not go to this node.
        Promise<Void> waited = awaited.remove(node);
        if (waited != null) {
            waited.tryComplete();
        }
    }

    /** What {@code node} holds is {@code topics}, and nothing else. */
    private void replace(String node, List<?> topics) {
        Set<Object> now = new HashSet<>(topics);
        for (String t : List.copyOf(remote.keySet())) {
            if (!now.contains(t)) {
                drop(t, node);
            }
        }
        now.forEach(t -> add((String) t, node));
    }

    // The sets of remote are immutable and replaced whole (only home writes): most topics are on one
    // node, and a set of one costs a few bytes where a concurrent set costs a hundred, per socket.
    private void add(String topic, String node) {
        remote.compute(topic, (k, nodes) -> {
            if (nodes == null) {
                return Set.of(node);
            }
            if (nodes.contains(node)) {
                return nodes;
            }
            Set<String> more = new HashSet<>(nodes);
            more.add(node);
            return Set.copyOf(more);
        });
    }

    private void drop(String topic, String node) {
        remote.computeIfPresent(topic, (k, nodes) -> {
            if (!nodes.contains(node)) {
                return nodes;
            }
            Set<String> fewer = new HashSet<>(nodes);
            fewer.remove(node);
            return fewer.isEmpty() ? null : Set.copyOf(fewer);
        });
    }
}
