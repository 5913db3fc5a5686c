package io.switchboard.protocol;

import io.switchboard.domain.Failure;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** Typed, validated reads of one frame's fields; every violation is a {@code bad_request} naming the field. */
final class Fields {
    private final JsonObject json;
    private final int maxTextChars;

    Fields(JsonObject json, int maxTextChars) {
        this.json = json;
        this.maxTextChars = maxTextChars;
    }

    String requiredString(String name, int maxLength) {
        String s = optionalString(name, maxLength);
        if (s == null || s.isEmpty()) {
            throw Failure.badRequest(name + " is required");
        }
        return s;
    }

    String optionalString(String name, int maxLength) {
        Object v = json.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw Failure.badRequest(name + " must be a string");
        }
        if (s.length() > maxLength) {
            throw Failure.badRequest(name + " is longer than " + maxLength + " characters");
        }
        return s;
    }

    /** Message or note text: at most the configured number of characters. */
    String text(String name, boolean required) {
        // Counted in characters (code points), not UTF-16 units: an emoji is one character.
        String s = required ? requiredString(name, 2 * maxTextChars) : optionalString(name, 2 * maxTextChars);
        if (s != null && s.codePointCount(0, s.length()) > maxTextChars) {
            throw Failure.badRequest(name + " is longer than " + maxTextChars + " characters");
        }
        return s;
    }

    String id(String name) {
        return requiredString(name, 64);
    }

    String optionalId(String name) {
        return optionalString(name, 64);
    }

    Long optionalLong(String name, long min, long max) {
        Object v = json.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || v instanceof Double || v instanceof Float) {
            throw Failure.badRequest(name + " must be an integer");
        }
        long l = n.longValue();
        if (l < min || l > max) {
            throw Failure.badRequest(name + " must be between " + min + " and " + max);
        }
        return l;
    }

    long requiredLong(String name, long min, long max) {
        Long l = optionalLong(name, min, max);
        if (l == null) {
            throw Failure.badRequest(name + " is required");
        }
        return l;
    }

    Integer optionalInt(String name, int min, int max) {
        Long l = optionalLong(name, min, max);
        return l == null ? null : l.intValue();
    }

    boolean requiredBoolean(String name) {
        Object v = json.getValue(name);
        if (!(v instanceof Boolean b)) {
            throw Failure.badRequest(name + " must be true or false");
        }
        return b;
    }

    boolean optionalBoolean(String name) {
        Object v = json.getValue(name);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw Failure.badRequest(name + " must be true or false");
        }
        return b;
    }

    Map<String, Object> optionalObject(String name) {
        Object v = json.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            throw Failure.badRequest(name + " must be an object");
        }
        return o.getMap();
    }
}
