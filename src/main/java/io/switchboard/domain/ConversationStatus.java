package io.switchboard.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The conversation state machine: {@code open <-> pending -> done}, and an agent may reopen a
 * {@code done} conversation ({@code done -> open}). Staying in the same status is allowed and
 * changes nothing.
 */
public enum ConversationStatus {
    OPEN, PENDING, DONE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConversationStatus fromWire(String s) {
        return switch (s) {
            case "open" -> OPEN;
            case "pending" -> PENDING;
            case "done" -> DONE;
            default -> throw Failure.badRequest("status must be one of open, pending, done");
        };
    }

    /** Whether a conversation in this status may move to {@code target}. */
    public boolean canMoveTo(ConversationStatus target) {
        return target == this || switch (this) {
            case OPEN -> target == PENDING || target == DONE;
            case PENDING -> target == OPEN || target == DONE;
            case DONE -> target == OPEN;
        };
    }

    /** The statuses from which {@code target} may be reached (itself included). */
    public static Set<ConversationStatus> sourcesOf(ConversationStatus target) {
        EnumSet<ConversationStatus> out = EnumSet.noneOf(ConversationStatus.class);
        for (ConversationStatus s : values()) {
            if (s.canMoveTo(target)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether customer-visible messages may still be added. */
    public boolean acceptsMessages() {
        return this != DONE;
    }
}
