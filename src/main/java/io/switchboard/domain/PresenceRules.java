package io.switchboard.domain;

/**
 * When an agent counts as present. Each node holding an agent's socket renews a lease on it every
 * heartbeat; when its last socket closes the lease ends then. The agent is gone once the lease has
 * ended more than the grace period ago, so a network blink shorter than the grace changes nothing.
 */
public final class PresenceRules {
    private PresenceRules() {
    }

    /** Until when a node's heartbeat keeps an agent with open sockets present: two heartbeats ahead. */
    public static long leaseUntil(long now, long heartbeatMillis) {
        return now + 2 * heartbeatMillis;
    }

    /** Whether an agent whose lease ends (ended) at {@code presentUntil} is gone at {@code now}. */
    public static boolean isGone(long presentUntil, long now, long graceMillis) {
        return presentUntil + graceMillis < now;
    }

    /** The score below which leases are past their grace: {@code isGone(score, now, grace)} iff {@code score < goneBefore}. */
    public static long goneBefore(long now, long graceMillis) {
        return now - graceMillis;
    }
}
