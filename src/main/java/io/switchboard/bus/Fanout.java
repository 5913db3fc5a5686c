package io.switchboard.bus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands deliveries to every socket-owning verticle: on this node directly, each on its own event
 * loop (the same immutable {@link Delivery}, no copy, no encoding); in a cluster also to each other
 * node holding a socket on one of its topics ({@link Directory}), once, over the event bus, whose
 * Fanout hands it to its verticles. A node with no recipient of a delivery never sees it.
 *
 * <p>Thread-safe. Events published from one thread arrive at each receiver in publication order.
 */
public final class Fanout {
    private static final String CODEC = "sb.delivery";

    private record Receiver(Context context, Consumer<Delivery> handler, Set<String> topics, Consumer<String> onPeerLost) {
        /** Whether the receiver holds a socket on any of the delivery's topics (else it is not woken). */
        boolean wants(Delivery d) {
            for (String t : d.topics()) {
                if (topics.contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A receiver's registration; {@link #cancel()} stops its deliveries. */
    public interface Registration {
        void cancel();
    }

    private final Vertx vertx;
    private final List<Receiver> receivers = new CopyOnWriteArrayList<>();
    private final DeliveryOptions remote = new DeliveryOptions().setCodecName(CODEC).setLocalOnly(false);
    /** This node's id in the cluster; null on a node alone, as is {@link #directory}. */
    private final String self;
    private final Directory directory;
    /** Each other node's delivery address, built once rather than for every delivery. */
    private final Map<String, String> addresses = new ConcurrentHashMap<>();
    private final Counter forwarded;
    private final Counter arrived;

    /**
     * @param members  the cluster's members (a starting node waits to know their sockets); null on a node alone
     * @param answerMs in a cluster, how long another node's directory may take to answer
     */
    public Fanout(Vertx vertx, Members members, long answerMs, MeterRegistry meters) {
        this.vertx = vertx;
        this.self = members == null ? null : members.self();
        this.forwarded = Counter.builder("switchboard.cluster.deliveries.forwarded")
                .description("Deliveries this node sent to another node holding one of their recipients").register(meters);
        this.arrived = Counter.builder("switchboard.cluster.deliveries.arrived")
                .description("Deliveries other nodes sent to this node's sockets").register(meters);
        if (members == null) {
            this.directory = null;
            return;
        }
        Counter unanswered = Counter.builder("switchboard.cluster.directory.unanswered")
                .description("Directory messages another node did not answer in time (it is sent all this node's topics again)")
                .register(meters);
        Counter lost = Counter.builder("switchboard.cluster.nodes.lost")
                .description("Other nodes that left without saying bye (killed or cut off): this node's sockets were told to read again")
                .register(meters);
        this.directory = new Directory(vertx, members, answerMs, unanswered::increment, node -> {
            lost.increment();
            peerLost(node);
        });
        Gauge.builder("switchboard.cluster.remote.topics", directory, Directory::remoteTopics)
                .description("Recipient groups (a visitor, an agent, a team) with a socket on other nodes, as this node knows")
                .register(meters);
    }

    /** In a cluster: registers the codec, this node's consumer of deliveries and its directory. */
    public Future<Void> start() {
        if (directory == null) {
            return Future.succeededFuture();
        }
        vertx.eventBus().registerCodec(new WireCodec());
        return vertx.eventBus().<Delivery>consumer(address(self), m -> {
            arrived.increment();
            handOut(m.body());
        }).completion().compose(v -> directory.start());
    }

    public void publish(Delivery d) {
        handOut(d);
        if (directory != null) {
            for (String node : directory.nodesFor(d.topics())) {
                forwarded.increment();
                vertx.eventBus().send(addresses.computeIfAbsent(node, Fanout::address), d, remote);
            }
        }
    }

    /**
     * A socket of this node listens to {@code topics} from now on. In a cluster, completes once every
     * other node knows (read what the socket missed after that: {@link Directory}).
     */
    public Future<Void> hold(List<String> topics) {
        return directory == null ? Future.succeededFuture() : directory.hold(topics);
    }

    /** A socket that listened to {@code topics} closed, or listens to others now. */
    public void release(List<String> topics) {
        if (directory != null) {
            directory.release(topics);
        }
    }

    /**
     * In a cluster: tells the other nodes that this one is leaving, so that they forget its sockets
     * at once rather than when the cluster manager notices. Call when its sockets are closed; completes
     * once they have heard (at most a second), so before the event bus closes.
     */
    public Future<Void> stop() {
        return directory == null ? Future.succeededFuture() : directory.stop();
    }

    private static String address(String node) {
        return "sb.node." + node;
    }

    private void handOut(Delivery d) {
        for (Receiver r : receivers) {
            if (r.wants(d)) {
                r.context().runOnContext(v -> r.handler().accept(d));
            }
        }
    }

    /** Another node was lost with its last deliveries maybe unsent: every receiver hears, on its own context. */
    private void peerLost(String node) {
        for (Receiver r : receivers) {
            r.context().runOnContext(v -> r.onPeerLost().accept(node));
        }
    }

    /**
     * Registers a receiver on the calling verticle's context; deliveries are handed to it on that
     * context, those only that name one of {@code topics}. Waking every verticle for every delivery
     * cost each message a hop to an event loop with nobody to write to.
     *
     * @param topics     the topics the receiver has sockets for, kept up to date by it (a concurrent set)
     * @param onPeerLost run on that context with another node of the cluster that was lost (it left
     *                   without saying bye): events it stored but had not yet sent may never come, and
     *                   the receiver's sockets should read what they show again. The cluster manager
     *                   notices a death a second or more after it, so what that node did send has
     *                   arrived by then
     */
    public Registration subscribe(Consumer<Delivery> handler, Set<String> topics, Consumer<String> onPeerLost) {
        Context context = vertx.getOrCreateContext();
        Receiver r = new Receiver(context, handler, topics, onPeerLost);
        receivers.add(r);
        return () -> receivers.remove(r);
    }

    /** Between nodes: topics, excepted session, meter and frame bytes. A node's own deliveries never use it. */
    private static final class WireCodec implements MessageCodec<Delivery, Delivery> {
        @Override
        public void encodeToWire(Buffer out, Delivery d) {
            out.appendInt(d.topics().size());
            d.topics().forEach(t -> string(out, t));
            string(out, d.exceptSession());
            Delivery.Meter m = d.meter();
            string(out, m == null ? null : m.kind());
            string(out, m == null ? null : m.direction());
            out.appendLong(m == null ? 0 : m.storedAt());
            Buffer frame = d.frame();
            out.appendInt(frame.length()).appendBuffer(frame);
        }

        @Override
        public Delivery decodeFromWire(int pos, Buffer in) {
            int[] at = {pos};
            int n = in.getInt(at[0]);
            at[0] += 4;
            List<String> topics = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                topics.add(string(in, at));
            }
            String except = string(in, at);
            String kind = string(in, at);
            String direction = string(in, at);
            long storedAt = in.getLong(at[0]);
            at[0] += 8;
            int len = in.getInt(at[0]);
            Buffer frame = in.getBuffer(at[0] + 4, at[0] + 4 + len);
            Delivery d = Delivery.to(List.copyOf(topics), frame);
            if (except != null) {
                d = d.except(except);
            }
            if (kind != null) {
                d = d.metered(kind, direction, storedAt);
            }
            return d;
        }

        private static void string(Buffer out, String s) {
            if (s == null) {
                out.appendInt(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.appendInt(b.length).appendBytes(b);
        }

        private static String string(Buffer in, int[] at) {
            int len = in.getInt(at[0]);
            at[0] += 4;
            if (len < 0) {
                return null;
            }
            String s = in.getString(at[0], at[0] + len, "UTF-8");
            at[0] += len;
            return s;
        }

        @Override
        public Delivery transform(Delivery d) {
            return d;
        }

        @Override
        public String name() {
            return CODEC;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
