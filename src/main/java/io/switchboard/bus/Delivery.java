package io.switchboard.bus;

import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.Supplier;

/**
 * One event on its way to the sockets of some topics. Immutable, and handed as is to every
 * socket-owning verticle of this node (on their own threads).
 *
 * <p>The frame is serialised at most once, by the first verticle that has a recipient for it (or
 * the cluster codec): an event whose only socket is the one excluded (a customer's echo to its own
 * single tab, an agent's message to a team of one) costs no serialisation at all.
 */
public final class Delivery {
    /** For message events: what the metrics count per recipient. */
    public record Meter(String kind, String direction, long storedAt) {
    }

    private final List<String> topics;
    private final Supplier<Buffer> encode;
    private final String exceptSession;
    private final Meter meter;
    private volatile Buffer frame;

    private Delivery(List<String> topics, Buffer frame, Supplier<Buffer> encode, String exceptSession, Meter meter) {
        this.topics = topics;
        this.frame = frame;
        this.encode = encode;
        this.exceptSession = exceptSession;
        this.meter = meter;
    }

    public static Delivery to(List<String> topics, Buffer frame) {
        return new Delivery(topics, frame, null, null, null);
    }

    public static Delivery to(String topic, Buffer frame) {
        return to(List.of(topic), frame);
    }

    /** A delivery whose frame is built only if someone is there to receive it. */
    public static Delivery lazy(List<String> topics, Supplier<Buffer> frame) {
        return new Delivery(topics, null, frame, null, null);
    }

    public static Delivery lazy(String topic, Supplier<Buffer> frame) {
        return lazy(List.of(topic), frame);
    }

    /** Everyone of the topics but this session (the sender, which gets an ack instead). */
    public Delivery except(String sessionId) {
        return new Delivery(topics, frame, encode, sessionId, meter);
    }

    /** Counts each recipient of this message event in the delivery metrics. */
    public Delivery metered(String kind, String direction, long storedAt) {
        return new Delivery(topics, frame, encode, exceptSession, new Meter(kind, direction, storedAt));
    }

    public List<String> topics() {
        return topics;
    }

    /** The serialised frame, written as is to every recipient. Two threads may both build it: the bytes are equal. */
    public Buffer frame() {
        Buffer f = frame;
        if (f == null) {
            f = encode.get();
            frame = f;
        }
        return f;
    }

    /** A session that must not get it, or null. */
    public String exceptSession() {
        return exceptSession;
    }

    /** Null for events that are not messages. */
    public Meter meter() {
        return meter;
    }
}
