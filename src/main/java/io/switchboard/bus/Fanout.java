package io.switchboard.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands deliveries to every socket-owning verticle: on this node directly, each on its own event
 * loop (the same immutable {@link Delivery}, no copy, no encoding); in a cluster also once to every
 * other node over the event bus, whose own Fanout hands it to its verticles.
 *
 * <p>Thread-safe. Events published from one thread arrive at each receiver in publication order.
 */
public final class Fanout {
    static final String ADDRESS = "sb.fanout";
    private static final String CODEC = "sb.delivery";

    private record Receiver(Context context, Consumer<Delivery> handler, Set<String> topics) {
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
    private final String nodeId;
    private final boolean clustered;
    private final List<Receiver> receivers = new CopyOnWriteArrayList<>();
    private final DeliveryOptions remote;

    public Fanout(Vertx vertx, String nodeId, boolean clustered) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.clustered = clustered;
        this.remote = new DeliveryOptions().setCodecName(CODEC).setLocalOnly(false);
    }

    /** In a cluster: registers the codec and this node's consumer of other nodes' deliveries. */
    public Future<Void> start() {
        if (!clustered) {
            return Future.succeededFuture();
        }
        vertx.eventBus().registerCodec(new WireCodec(nodeId));
        return vertx.eventBus().<Remote>consumer(ADDRESS, m -> {
            Remote r = m.body();
            if (!nodeId.equals(r.origin())) {
                handOut(r.delivery());
            }
        }).completion();
    }

    public void publish(Delivery d) {
        handOut(d);
        if (clustered) {
            vertx.eventBus().publish(ADDRESS, new Remote(nodeId, d), remote);
        }
    }

    private void handOut(Delivery d) {
        for (Receiver r : receivers) {
            if (r.wants(d)) {
                r.context().runOnContext(v -> r.handler().accept(d));
            }
        }
    }

    /**
     * Registers a receiver on the calling verticle's context; deliveries are handed to it on that
     * context, those only that name one of {@code topics}. Waking every verticle for every delivery
     * cost each message a hop to an event loop with nobody to write to.
     *
     * @param topics the topics the receiver has sockets for, kept up to date by it (a concurrent set)
     */
    public Registration subscribe(Consumer<Delivery> handler, Set<String> topics) {
        Context context = vertx.getOrCreateContext();
        Receiver r = new Receiver(context, handler, topics);
        receivers.add(r);
        return () -> receivers.remove(r);
    }

    /** A delivery with the node it was published on (a node hands its own directly). */
    record Remote(String origin, Delivery delivery) {
    }

    /**
     * Between nodes: origin, topics, excepted session, meter and frame bytes. On one node the codec
     * is not used (local deliveries never go through the event bus).
     */
    private static final class WireCodec implements MessageCodec<Remote, Remote> {
        private final String nodeId;

        WireCodec(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public void encodeToWire(Buffer out, Remote r) {
            Delivery d = r.delivery();
            string(out, r.origin());
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
        public Remote decodeFromWire(int pos, Buffer in) {
            int[] at = {pos};
            String origin = string(in, at);
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
            return new Remote(origin, d);
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
        public Remote transform(Remote r) {
            return r;
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
