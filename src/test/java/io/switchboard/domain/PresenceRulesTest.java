package io.switchboard.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceRulesTest {
    private static final long HEARTBEAT = 10_000;
    private static final long GRACE = 30_000;

    @Test
    void aConnectedAgentIsLeasedTwoHeartbeatsAheadSoItNeverLooksGoneBetweenHeartbeats() {
        long now = 1_000_000;
        long until = PresenceRules.leaseUntil(now, HEARTBEAT);
        assertThat(until).isEqualTo(now + 2 * HEARTBEAT);
        assertThat(PresenceRules.isGone(until, now + HEARTBEAT, 0)).isFalse();
    }

    @Test
    void aDisconnectedAgentIsGoneOnlyAfterTheGracePeriod() {
        long closedAt = 1_000_000;
        assertThat(PresenceRules.isGone(closedAt, closedAt + GRACE - 1, GRACE)).as("a blink").isFalse();
        assertThat(PresenceRules.isGone(closedAt, closedAt + GRACE, GRACE)).isFalse();
        assertThat(PresenceRules.isGone(closedAt, closedAt + GRACE + 1, GRACE)).isTrue();
    }

    @Test
    void theSweepThresholdMatchesTheRule() {
        long now = 5_000_000;
        long before = PresenceRules.goneBefore(now, GRACE);
        assertThat(PresenceRules.isGone(before - 1, now, GRACE)).isTrue();
        assertThat(PresenceRules.isGone(before, now, GRACE)).isFalse();
    }
}
