package io.switchboard.bus;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One event on its way to the sockets of some topics.
 *
 * @param frame         the serialised frame, written as is to every recipient
 * @param exceptSession a session that must not get it (the sender, which gets an ack instead), or null
 */
public record Delivery(List<String> topics, Buffer frame, String exceptSession) {

    public static Delivery to(List<String> topics, Buffer frame) {
        return new Delivery(topics, frame, null);
    }

    public static Delivery to(String topic, Buffer frame) {
        return new Delivery(List.of(topic), frame, null);
    }

    public Delivery except(String sessionId) {
        return new Delivery(topics, frame, sessionId);
    }
}
