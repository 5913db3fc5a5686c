package io.switchboard.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * The three frames every message costs the generator, written and read without a JsonObject: the
 * {@code message} it sends, the {@code ack} to it and the {@code message} event that delivers it.
 * Reading them into maps was an eighth of the generator's CPU at 8,000-10,000 msg/s, and most of
 * what it allocated (its young collections and the kernel zeroing pages for them were another
 * fifth); the generator shares the machine with the server it measures, so what it spends the
 * server lacks. Every other frame, and one of these that does not look as expected, is left to
 * JsonObject.
 */
final class MessageFrames {
    private static final JsonFactory JSON = new JsonFactory();

    private MessageFrames() {
    }

    /** A frame read here: an ack or a message event. */
    sealed interface Read permits Ack, Event {
    }

    /** An ack with a result object: its ref and the result's messageId, conversationId and seq (-1: none). */
    record Ack(String ref, String messageId, String conversationId, int seq) implements Read {
        static Ack of(String ref, JsonObject result) {
            JsonObject r = result == null ? new JsonObject() : result;
            return new Ack(ref, r.getString("messageId"), r.getString("conversationId"), r.getInteger("seq", -1));
        }
    }

    /** A message event: the message's id, conversation, clientMsgId, seq (-1: none) and author type. */
    record Event(String id, String conversationId, String clientMsgId, int seq, String authorType) implements Read {
        static Event of(JsonObject message) {
            JsonObject author = message.getJsonObject("author");
            return new Event(message.getString("id"), message.getString("conversationId"),
                    message.getString("clientMsgId"), message.getInteger("seq", -1),
                    author == null ? null : author.getString("type"));
        }
    }

    /** {@code text} as a JSON string literal, quotes included: made once, written into every frame. */
    static String quote(String text) {
        String a = new JsonArray().add(text).encode();
        return a.substring(1, a.length() - 1);
    }

    /**
     * A {@code message} frame's fields after its type and before its ref, as JSON members: a
     * customer's (no conversation) or an agent's. {@code clientMsgId} and {@code conversationId} are
     * ids (letters, digits, dashes), {@code quotedText} is from {@link #quote}.
     */
    static StringBuilder messageFields(StringBuilder sb, String conversationId, String clientMsgId, String quotedText) {
        if (conversationId != null) {
            sb.append("\"conversationId\":\"").append(conversationId).append("\",");
        }
        sb.append("\"clientMsgId\":\"").append(clientMsgId).append('"');
        if (conversationId != null) {
            sb.append(",\"kind\":\"text\"");
        }
        return sb.append(",\"text\":").append(quotedText);
    }

    /** The frame as an {@link Ack} or {@link Event}; null when it is neither, or not as expected. */
    static Read read(String frame) {
        try (JsonParser p = JSON.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            String ref = null;
            Result result = null;
            Event event = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "ref" -> ref = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "result" -> {
                        if (t != JsonToken.START_OBJECT) {
                            return null;
                        }
                        result = result(p);
                    }
                    case "message" -> {
                        if (t != JsonToken.START_OBJECT) {
                            return null; // an error's message
                        }
                        event = event(p);
                    }
                    default -> p.skipChildren();
                }
            }
            if ("ack".equals(type) && ref != null && result != null) {
                return new Ack(ref, result.messageId(), result.conversationId(), result.seq());
            }
            return "message".equals(type) ? event : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** What an ack's result says of a message; the ack's ref may come before or after it. */
    private record Result(String messageId, String conversationId, int seq) {
    }

    /** An ack's result object, the parser on its start; what is not a message's ack is skipped. */
    private static Result result(JsonParser p) throws IOException {
        String messageId = null;
        String conversationId = null;
        int seq = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "messageId" -> messageId = string(p, t);
                case "conversationId" -> conversationId = string(p, t);
                case "seq" -> seq = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                default -> p.skipChildren();
            }
        }
        return new Result(messageId, conversationId, seq);
    }

    /** A message event's message object, the parser on its start. */
    private static Event event(JsonParser p) throws IOException {
        String id = null;
        String conversationId = null;
        String clientMsgId = null;
        String authorType = null;
        int seq = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, t);
                case "conversationId" -> conversationId = string(p, t);
                case "clientMsgId" -> clientMsgId = string(p, t);
                case "seq" -> seq = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                case "author" -> authorType = t == JsonToken.START_OBJECT ? authorType(p) : null;
                default -> p.skipChildren();
            }
        }
        return new Event(id, conversationId, clientMsgId, seq, authorType);
    }

    private static String authorType(JsonParser p) throws IOException {
        String type = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("type")) {
                type = string(p, t);
            } else {
                p.skipChildren();
            }
        }
        return type;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_STRING ? p.getText() : null;
    }
}
