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
import java.util.function.IntSupplier;

/**
 * In a cluster: which other nodes hold sockets on which topics, so that a delivery goes to those
 * nodes only (DESIGN.md: the engine records which nodes hold a conversation's participants). Each
 * node tells the others when its first socket on a topic opens (a join) and when its last one
 * closes (a leave), in rounds that each peer answers; a node that starts says {@code hello} and
 * every node answers with the topics it holds.
 *
 * <p>Why a join waits for every other node's answer ({@link #hold}): a socket must not read what it
 * missed (a customer's current conversation, an agent's inbox) before every node that might publish
 * to it knows where it is. A node that published before it learned of the join published before it
 * answered, so after the message's commit and before the socket's read: the read has it. A node that
 * learned first sends it. Nothing falls between the two; see {@code ClusterIT}.
 *
 * <p>Its own topics and its list of peers live on one context ({@code home}), so joins and leaves
 * leave in the order they happened; the other nodes' topics are read by publishers on any thread.
 */
final class Directory {
    private static final Logger LOG = LoggerFactory.getLogger(Directory.class);
    private static final String HELLO = "sb.dir";
    private static final long ANSWER_MS = 5_000;
    private static final char JOIN = '+';
    private static final char LEAVE = '-';

    private final Vertx vertx;
    private final String nodeId;
    private final IntSupplier clusterSize;
    private final DeliveryOptions answerWithin = new DeliveryOptions().setSendTimeout(ANSWER_MS);
    /** Topics with a socket on this node, and how many (home only). */
    private final Map<String, Integer> own = new HashMap<>();
    /** This node's joins still waiting for answers, by topic: a second socket on the topic waits too (home only). */
    private final Map<String, Future<Void>> joining = new HashMap<>();
    /** The other nodes (home only). */
    private final Set<String> peers = new HashSet<>();
    /** The topics other nodes hold, and which nodes (immutable sets): read by publishers on any thread. */
    private final Map<String, Set<String>> remote = new ConcurrentHashMap<>();
    /** Changes not yet sent, in order: '+' or '-' and the topic (home only). */
    private List<String> queued = new ArrayList<>();
    /** Completes when the round carrying {@link #queued} has been answered (home only). */
    private Promise<Void> nextRound;
    private boolean inFlight;
    private Context home;

    Directory(Vertx vertx, String nodeId, IntSupplier clusterSize) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.clusterSize = clusterSize;
    }

    private static String inbox(String node) {
        return "sb.dir." + node;
    }

    /**
     * Registers this node's consumers, says hello and waits (at most {@value #ANSWER_MS} ms) for the
     * topics of every other member of the cluster: until then it does not know whom to publish to.
     */
    Future<Void> start() {
        home = vertx.getOrCreateContext();
        Promise<Void> started = Promise.promise();
        home.runOnContext(v -> Future.all(
                        vertx.eventBus().<JsonObject>consumer(HELLO, m -> {
                            String from = m.body().getString("node");
                            if (!nodeId.equals(from)) {
                                met(from);
                            }
                        }).completion(),
                        vertx.eventBus().<JsonObject>consumer(inbox(nodeId), this::received).completion())
                .onSuccess(x -> {
                    vertx.eventBus().publish(HELLO, new JsonObject().put("node", nodeId));
                    long deadline = System.currentTimeMillis() + ANSWER_MS;
                    vertx.setPeriodic(20, id -> {
                        if (peers.size() >= clusterSize.getAsInt() - 1 || System.currentTimeMillis() > deadline) {
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
        JsonObject changes = new JsonObject().put("op", "changes").put("node", nodeId).put("changes", new JsonArray(queued));
        queued = new ArrayList<>();
        Promise<Void> round = nextRound;
        nextRound = null;
        inFlight = true;
        List<Future<?>> answers = new ArrayList<>(peers.size());
        for (String p : List.copyOf(peers)) {
            answers.add(vertx.eventBus().request(inbox(p), changes, answerWithin).onFailure(t -> {
                if (t instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
                    forget(p);
                } else {
                    LOG.warn("node {} did not answer in time: {}", p, t.toString());
                }
            }));
        }
        Future.join(answers).onComplete(ar -> {
            inFlight = false;
            round.complete();
            sendRound();
        });
    }

    private void received(Message<JsonObject> m) {
        JsonObject body = m.body();
        String from = body.getString("node");
        switch (body.getString("op")) {
            case "changes" -> {
                met(from);
                for (Object o : body.getJsonArray("changes")) {
                    String change = (String) o;
                    if (change.charAt(0) == JOIN) {
                        add(change.substring(1), from);
                    } else {
                        drop(change.substring(1), from);
                    }
                }
                m.reply(null);
            }
            case "topics" -> {
                met(from);
                body.getJsonArray("topics").forEach(t -> add((String) t, from));
            }
            default -> LOG.warn("unknown directory message from {}: {}", from, body.getString("op"));
        }
    }

    /** A node this one had not heard of: from now on it hears of this node's joins, and gets what this node holds. */
    private void met(String node) {
        if (peers.add(node)) {
            vertx.eventBus().send(inbox(node), snapshot());
        }
    }

    /** A node that is gone (no consumer at its address): nothing goes there any more. */
    private void forget(String node) {
        if (peers.remove(node)) {
            LOG.info("node {} left the cluster directory", node);
            for (String t : List.copyOf(remote.keySet())) {
                drop(t, node);
            }
        }
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

    private JsonObject snapshot() {
        return new JsonObject().put("op", "topics").put("node", nodeId).put("topics", new JsonArray(new ArrayList<>(own.keySet())));
    }
}
