package io.switchboard.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.util.Map;

/**
 * JSON of socket frames through Jackson's streaming parser and generator. With jackson-databind on
 * the class path (it is, for the YAML configuration) Vert.x' default codec goes through an
 * ObjectMapper for every {@code toBuffer} and {@code new JsonObject(text)}: a profile under load
 * showed its MapSerializer among the top costs of a message. Frames hold only JSON values (maps,
 * lists, strings, numbers, booleans), which the streaming codec writes the same way.
 */
public final class JsonWire {
    private static final JacksonCodec CODEC = new JacksonCodec();

    private JsonWire() {
    }

    public static Buffer encode(JsonObject frame) {
        return CODEC.toBuffer(frame, false);
    }

    /** @throws DecodeException when the text is not a JSON object */
    @SuppressWarnings("unchecked")
    public static JsonObject decode(String text) {
        return new JsonObject(CODEC.fromString(text, Map.class));
    }
}
