package io.switchboard.boot;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up paces its customers so that no socket of it, an agent's included, nears the rate limit. */
class WarmupIntervalTest {

    @Test
    void aCustomerWritesNoFasterThanKeepsItsAgentAtHalfTheRateLimit() {
        // An agent answers up to 5 customers: 5 frames per interval, at most 50 a second at a limit of 100.
        assertThat(Warmup.interval(100)).isEqualTo(100);
        assertThat(Warmup.interval(10)).isEqualTo(1000);
        assertThat(Warmup.interval(3)).isEqualTo(3334);
    }

    @Test
    void withoutARateLimitOrAHighOneItStillPausesBetweenMessages() {
        assertThat(Warmup.interval(0)).isEqualTo(50);
        assertThat(Warmup.interval(100_000)).isEqualTo(50);
    }
}
