package io.switchboard.domain;

import java.util.Locale;

/** Kinds of customer-visible messages. */
public enum MessageKind {
    TEXT, IMAGE, VIDEO, AUDIO, FILE, ARTICLE, FLOW, TEXTBLOCK, SYSTEM;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
        return wire;
    }

    public static MessageKind fromWire(String s) {
        for (MessageKind k : values()) {
            if (k.wire().equals(s)) {
                return k;
            }
        }
        throw Failure.badRequest("unknown message kind: " + s);
    }
}
