package io.switchboard.domain;

import java.util.Locale;

/**
 * The invitation state machine: {@code pending -> accepted | declined | ended} (ended: withdrawn by
 * the agent, or expired) and {@code accepted -> ended}. Declined and ended are final.
 */
public enum InviteState {
    PENDING, ACCEPTED, DECLINED, ENDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InviteState fromWire(String s) {
        for (InviteState st : values()) {
            if (st.wire().equals(s)) {
                return st;
            }
        }
        throw new IllegalArgumentException("unknown invite state " + s);
    }

    public boolean canMoveTo(InviteState target) {
        return switch (this) {
            case PENDING -> target == ACCEPTED || target == DECLINED || target == ENDED;
            case ACCEPTED -> target == ENDED;
            case DECLINED, ENDED -> false;
        };
    }
}
