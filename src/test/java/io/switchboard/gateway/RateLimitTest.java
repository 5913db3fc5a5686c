package io.switchboard.gateway;

import org.junit.jupiter.api.Test;

import static io.switchboard.gateway.RateLimit.Verdict.ACCEPT;
import static io.switchboard.gateway.RateLimit.Verdict.CLOSE;
import static io.switchboard.gateway.RateLimit.Verdict.REFUSE;
import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest {

    @Test
    void aBurstIsAcceptedThenFramesAreRefusedUntilTokensRefill() {
        RateLimit r = new RateLimit(10, 3, 0);
        assertThat(r.take(0)).isEqualTo(ACCEPT);
        assertThat(r.take(0)).isEqualTo(ACCEPT);
        assertThat(r.take(0)).isEqualTo(ACCEPT);
        assertThat(r.take(0)).isEqualTo(REFUSE);
        assertThat(r.take(100)).as("one token per 100 ms at 10/s").isEqualTo(ACCEPT);
        assertThat(r.take(100)).isEqualTo(REFUSE);
    }

    @Test
    void keepingOnPastTheLimitClosesAndAPauseForgives() {
        RateLimit r = new RateLimit(1, 2, 0);
        r.take(0);
        r.take(0);
        assertThat(r.take(1)).isEqualTo(REFUSE);
        assertThat(r.take(2)).isEqualTo(REFUSE);
        assertThat(r.take(3)).isEqualTo(CLOSE);

        RateLimit calm = new RateLimit(1, 2, 0);
        calm.take(0);
        calm.take(0);
        assertThat(calm.take(1)).isEqualTo(REFUSE);
        assertThat(calm.take(2)).isEqualTo(REFUSE);
        long later = 2 + RateLimit.FORGIVE_MS + 1;
        assertThat(calm.take(later)).isEqualTo(ACCEPT);
        calm.take(later);
        calm.take(later);
        assertThat(calm.take(later)).as("refusals before the pause are forgiven").isEqualTo(REFUSE);
    }

    @Test
    void zeroDisablesTheLimit() {
        RateLimit r = new RateLimit(0, 1, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(r.take(0)).isEqualTo(ACCEPT);
        }
    }
}
