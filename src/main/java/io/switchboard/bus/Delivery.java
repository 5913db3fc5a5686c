package io.switchboard.bus;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One event on its way to the sockets of some topics.
 *
 * @param frame         the serialised frame, written as is to every recipient
 * @param exceptSession a session that must not get it (the sender, which gets an ack instead), or null
 * @param meter         for message events, what the metrics count per recipient: {@code kind|direction|storedAt}; else null
 */
public record Delivery(List<String> topics, Buffer frame, String exceptSession, String meter) {

    public static Delivery to(List<String> topics, Buffer frame) {
        return new Delivery(topics, frame, null, null);
    }

    public static Delivery to(String topic, Buffer frame) {
        return new Delivery(List.of(topic), frame, null, null);
    }

    public Delivery except(String sessionId) {
        return new Delivery(topics, frame, sessionId, meter);
    }

    /** Counts each recipient of this message event in the delivery metrics. */
    public Delivery metered(String kind, String direction, long storedAt) {
        return new Delivery(topics, frame, exceptSession, kind + "|" + direction + "|" + storedAt);
    }
}
